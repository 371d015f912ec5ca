import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWidget, DEMO_PAGE_PATH, demoPageHtml } from './index.ts';

describe('buildWidget', () => {
  it('bundles one small self-contained script, without zod', async () => {
    const js = await buildWidget();
    expect(js.startsWith('"use strict";(()=>{') || js.startsWith('(()=>{')).toBe(true);
    expect(js).not.toMatch(/\bimport\s*\(|\bexport\s/);
    expect(js).not.toContain('ZodError');
    // budget: socket.io-client is most of it; fail loudly if something big sneaks in
    expect(js.length).toBeLessThan(80_000);
    expect(gzipSync(js).length).toBeLessThan(26_000);
  });

  it('can carry an inline source map', async () => {
    expect(await buildWidget({ sourcemap: true })).toContain('sourceMappingURL=data:application/json');
  });
});

describe('the widget source', () => {
  it('never parses strings as HTML', async () => {
    const dir = join(import.meta.dirname, 'src');
    const files = (await readdir(dir, { recursive: true })).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    for (const f of files) {
      const source = await readFile(join(dir, f), 'utf8');
      expect(source, f).not.toMatch(
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|eval\(|new Function/,
      );
    }
  });
});

describe('demo page', () => {
  it('embeds the widget with one script tag', async () => {
    expect(DEMO_PAGE_PATH).toMatch(/web-widget[/\\]demo[/\\]index\.html$/);
    const html = await demoPageHtml();
    expect(html).toMatch(/<script\s+src="\/widget\.js"[^>]*data-title="CityPark assistant"/);
  });
});
