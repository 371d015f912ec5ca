// The stylesheet is a real .css file: esbuild minifies it at build time (see ../build.ts) and
// the bundle carries it as a string.
import WIDGET_CSS from './widget.css';

/**
 * Puts the widget's styles into its shadow root: as a constructed stylesheet where supported
 * (not subject to a host page's `style-src` CSP), else as a `<style>` element.
 *
 * Two walls keep the host page out (see widget.css):
 * - `:host { all: initial !important }`: the page's rules (even `* { … !important }` ones lose to
 *   an important rule from the shadow tree) cannot restyle, transform or hide the host element,
 *   and inherited properties such as `color` or `font-family` stop at it;
 * - `.root` then sets every inherited property the widget relies on, in px (the page's `rem`
 *   base would otherwise leak in).
 * Colours come in as `--accent` / `--on-accent` custom properties set on `.root`.
 */
export function applyStyles(shadow: ShadowRoot): void {
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
    shadow.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = WIDGET_CSS;
  shadow.append(style);
}
