import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, transform, type BuildOptions, type Plugin } from 'esbuild';

/** The widget's entry point; everything it imports is bundled with it. */
export const WIDGET_ENTRY = fileURLToPath(new URL('./src/widget.ts', import.meta.url));

/** Browsers the stylesheet is written for (shadow DOM, custom properties, `inset`, `:focus-visible`). */
const CSS_TARGETS = ['chrome90', 'edge90', 'firefox90', 'safari15'];

export interface BuildWidgetOptions {
  /** append an inline source map (bigger; for development) */
  readonly sourcemap?: boolean;
}

/**
 * Bundles the embeddable widget into one minified script (an IIFE for ES2020 browsers, so it
 * leaks no globals and needs no module loader) and returns its text. Takes well under a second:
 * call it once at start and keep the result in memory.
 *
 * @example
 * const js = await buildWidget();
 * app.get('/widget.js', (_req, res) => res.type('text/javascript').send(js));
 */
export async function buildWidget(options: BuildWidgetOptions = {}): Promise<string> {
  return bundleBrowserScript(WIDGET_ENTRY, 'widget', {
    sourcemap: options.sourcemap ? 'inline' : false,
    plugins: [cssAsMinifiedText],
  });
}

/**
 * Bundles one browser entry point (the widget, the console, the dashboard) into one minified
 * script: an IIFE for ES2020 browsers, so it leaks no globals and needs no module loader.
 */
export async function bundleBrowserScript(
  entry: string,
  what: string,
  extra: Pick<BuildOptions, 'sourcemap' | 'plugins'> = {},
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    ...extra,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for the ${what}`);
  return file.text;
}

/** `import css from './x.css'` gives the stylesheet minified, as a string for a shadow root. */
const cssAsMinifiedText: Plugin = {
  name: 'css-as-minified-text',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const { code } = await transform(source, { loader: 'css', minify: true, target: CSS_TARGETS });
      return { contents: code.trim(), loader: 'text' };
    });
  },
};

/** The support console's entry point (browser code under `console/`). */
export const CONSOLE_ENTRY = fileURLToPath(new URL('./console/console.ts', import.meta.url));
const CONSOLE_CSS = new URL('./console/console.css', import.meta.url);

/**
 * Bundles the agents' console like the widget (one minified IIFE, no framework) and minifies its
 * stylesheet, served as /console/console.js and /console/console.css.
 *
 * @example
 * const { script, stylesheet } = await buildConsole();
 */
export async function buildConsole(): Promise<{ script: string; stylesheet: string }> {
  const script = await bundleBrowserScript(CONSOLE_ENTRY, 'console');
  const { code } = await transform(await readFile(CONSOLE_CSS, 'utf8'), {
    loader: 'css',
    minify: true,
    target: CSS_TARGETS,
  });
  return { script, stylesheet: code };
}
