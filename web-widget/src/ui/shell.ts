import { actionButton } from '../render/actions.ts';
import { el } from '../dom.ts';
import type { Strings } from '../i18n.ts';
import type { WidgetOptions } from '../options.ts';
import { MAX_TEXT_LENGTH } from '../protocol.ts';
import { applyStyles } from '../styles.ts';

/** The widget's fixed parts, built once; messages go into `log`. */
export interface Shell {
  readonly host: HTMLElement;
  readonly root: HTMLElement;
  readonly launcher: HTMLButtonElement;
  readonly badge: HTMLElement;
  readonly panel: HTMLElement;
  readonly close: HTMLButtonElement;
  readonly conn: HTMLElement;
  readonly log: HTMLElement;
  /** shown while the log is empty (the server sends no greeting of its own) */
  readonly intro: HTMLElement;
  readonly typing: HTMLElement;
  readonly hint: HTMLElement;
  readonly form: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
}

/** The tag of the host element; a custom element name so no page rule for `div` can match it. */
export const HOST_TAG = 'smart-parking-chat';

const ICON_CHAT = 'M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z';
const ICON_CLOSE = 'M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z';

/**
 * Builds the launcher button and the chat panel inside an open shadow root on a new host element
 * (not yet in the page). The launcher is a real button that controls the panel; the panel is a
 * labelled, non-modal dialog holding a `role="log"` message list and the message form.
 */
export function buildShell(options: WidgetOptions, t: Strings): Shell {
  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  applyStyles(shadow);

  const badge = el('span', { class: 'badge', attrs: { 'aria-hidden': 'true' } });
  badge.hidden = true;
  const launcher = el(
    'button',
    {
      class: 'launcher',
      attrs: {
        type: 'button',
        'aria-expanded': 'false',
        'aria-controls': 'pc-panel',
        'aria-label': t.openChat(options.title),
      },
    },
    [icon(ICON_CHAT, 'icon-chat'), icon(ICON_CLOSE, 'icon-close'), badge],
  );

  const close = el('button', {
    class: 'close',
    text: '×',
    attrs: { type: 'button', 'aria-label': t.closeChat },
  });
  const conn = el('p', { class: 'conn', attrs: { role: 'status' } });
  conn.hidden = true;
  const log = el('div', {
    class: 'log',
    // tabindex: a scrollable region must be reachable by keyboard to be scrolled without a mouse
    attrs: {
      role: 'log',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
      'aria-label': t.conversation,
      tabindex: '0',
    },
  });
  // The greeting an empty conversation opens on, with a few ways to start; it hides once anything is said.
  const intro = el('div', { class: 'intro' }, [
    el('p', { text: t.intro, attrs: { dir: 'auto' } }),
    el(
      'div',
      { class: 'actions', attrs: { role: 'group', 'aria-label': t.replies } },
      t.starters.map((s) => actionButton(s)),
    ),
  ]);
  log.append(intro);
  const typing = el('div', { class: 'typing', attrs: { role: 'status' } }, [
    el('span', { class: 'sr-only typing-text' }),
    el('span', { class: 'dots', attrs: { 'aria-hidden': 'true' } }, [el('i'), el('i'), el('i')]),
  ]);
  typing.hidden = true;
  const hint = el('p', { class: 'hint', attrs: { id: 'pc-hint', 'aria-live': 'polite' } });
  hint.hidden = true;
  const input = el('textarea', {
    class: 'input',
    attrs: {
      id: 'pc-input',
      rows: '1',
      dir: 'auto',
      maxlength: String(MAX_TEXT_LENGTH),
      placeholder: t.placeholder,
      autocomplete: 'off',
      enterkeyhint: 'send',
      'aria-describedby': 'pc-hint',
    },
  });
  const form = el('form', { class: 'composer' }, [
    el('label', { class: 'sr-only', text: t.inputLabel, attrs: { for: 'pc-input' } }),
    input,
    el('button', { class: 'send', text: t.send, attrs: { type: 'submit' } }),
  ]);

  const panel = el(
    'section',
    { class: 'panel', attrs: { id: 'pc-panel', role: 'dialog', 'aria-labelledby': 'pc-title' } },
    [
      el('div', { class: 'header' }, [
        el('h2', { class: 'title', text: options.title, attrs: { id: 'pc-title', dir: 'auto' } }),
        close,
      ]),
      conn,
      log,
      typing,
      hint,
      form,
    ],
  );
  panel.hidden = true;

  const root = el(
    'div',
    { class: 'root', attrs: { lang: options.lang, 'data-position': options.position } },
    [launcher, panel],
  );
  root.style.setProperty('--accent', options.color);
  root.style.setProperty('--on-accent', options.onColor);
  shadow.append(root);
  return { host, root, launcher, badge, panel, close, conn, log, intro, typing, hint, form, input };
}

function icon(path: string, className: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', className);
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  svg.append(p);
  return svg;
}
