import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Absolute path of the demo operator page, which embeds the widget with `<script src="/widget.js">`. */
export const DEMO_PAGE_PATH = fileURLToPath(new URL('./demo/index.html', import.meta.url));

/** The demo page's HTML. */
export function demoPageHtml(): Promise<string> {
  return readFile(DEMO_PAGE_PATH, 'utf8');
}
