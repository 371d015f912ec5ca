/**
 * The bundle's entry point: what runs when a page includes
 * `<script src="https://<server>/widget.js" data-title="…" data-color="#0a7d4f" data-lang="en" data-position="right">`.
 * It reads its options from its own tag and mounts the widget once the page has a body.
 */
import { readOptions } from './options.ts';
import { mountWidget } from './ui/controller.ts';

declare global {
  interface Window {
    /** set once mounted, so a page that includes the script twice still gets one widget */
    __smartParkingChat?: boolean;
  }
}

// `document.currentScript` is only set while this script first runs, so it is read right away,
// before waiting for the body (async and defer scripts have it too; modules would not).
const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;

function start(): void {
  if (window.__smartParkingChat) return;
  window.__smartParkingChat = true;
  const options = readOptions({
    data: { ...script?.dataset },
    scriptSrc: script?.src,
    pageUrl: location.href,
    pageLang: document.documentElement.lang,
    browserLang: navigator.language,
  });
  mountWidget(options, document.body);
}

if (document.body) start();
else document.addEventListener('DOMContentLoaded', start, { once: true });
