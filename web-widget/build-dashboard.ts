import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { bundleBrowserScript } from './build.ts';

/** The operators' dashboard's entry point (browser code under `dashboard/`). */
export const DASHBOARD_ENTRY = fileURLToPath(new URL('./dashboard/dashboard.ts', import.meta.url));
const DASHBOARD_CSS = new URL('./dashboard/dashboard.css', import.meta.url);

/**
 * Bundles the dashboard like the console (one minified IIFE with uPlot and the socket.io client)
 * and its stylesheet with uPlot's, served as /dashboard/dashboard.js and /dashboard/dashboard.css.
 */
export async function buildDashboard(): Promise<{ script: string; stylesheet: string }> {
  const script = await bundleBrowserScript(DASHBOARD_ENTRY, 'dashboard');
  const uplotCss = await readFile(createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const { code } = await transform(uplotCss + '\n' + (await readFile(DASHBOARD_CSS, 'utf8')), {
    loader: 'css',
    minify: true,
  });
  return { script, stylesheet: code };
}
