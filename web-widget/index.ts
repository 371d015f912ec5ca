/**
 * The web widget's public door, for the server. The widget itself is browser code under `src/`;
 * the server builds it once at start and serves it, plus a demo operator page.
 *
 * @example
 * const widgetJs = await buildWidget();
 * app.get('/widget.js', (_req, res) => res.type('text/javascript').send(widgetJs));
 * app.get('/', (_req, res) => res.sendFile(DEMO_PAGE_PATH));
 */
export { buildWidget, buildConsole, type BuildWidgetOptions } from './build.ts';
export { buildDashboard } from './build-dashboard.ts';
export { DEMO_PAGE_PATH, demoPageHtml } from './demo-page.ts';
