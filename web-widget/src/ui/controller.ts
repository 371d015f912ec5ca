import { connectChat, type ChatConnection } from '../connection.ts';
import { strings } from '../i18n.ts';
import type { WidgetOptions } from '../options.ts';
import { MAX_TEXT_LENGTH, type ChatActivity, type ClientMessage } from '../protocol.ts';
import { browserSessionStore, type SessionStore } from '../session-store.ts';
import { LOCATION_REQUEST } from '../render/actions.ts';
import { prepareOutgoing } from '../text.ts';
import { createChatView } from './chat-view.ts';
import { buildShell } from './shell.ts';

/** A mounted widget, for the bootstrap (and any future page API). */
export interface MountedWidget {
  open(focusInput?: boolean): void;
  close(): void;
  readonly host: HTMLElement;
}

/**
 * Builds the widget into `parent` and wires it: launcher and panel, keyboard, the message form,
 * and the connection. The connection opens on first use, or at once for a returning driver (a
 * stored token), so proactive messages such as reminders can arrive while the panel is closed,
 * while a page view by someone who never chats costs the server no socket.
 */
export function mountWidget(
  options: WidgetOptions,
  parent: HTMLElement,
  store: SessionStore = browserSessionStore(options.server),
): MountedWidget {
  const t = strings(options.lang);
  const shell = buildShell(options, t);
  const { launcher, panel, input, form, root } = shell;
  const view = createChatView(shell, { t, lang: options.lang }, (title, value) => {
    if (value === LOCATION_REQUEST) return shareLocation(title);
    if (send({ value }, title)) input.focus();
  });
  /** "Share my location": ask the browser, then send the position as the button's value. */
  const shareLocation = (title: string) => {
    if (!navigator.geolocation) return view.addNotice(t.locationUnavailable);
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        if (send({ value: `location:${coords.latitude.toFixed(5)},${coords.longitude.toFixed(5)}` }, title))
          input.focus();
      },
      () => view.addNotice(t.locationUnavailable),
      { timeout: 10_000, maximumAge: 60_000 },
    );
  };
  let chat: ChatConnection | undefined;
  let unread = 0;
  let conversationId: string | undefined;

  const isOpen = () => !panel.hidden;
  const setUnread = (n: number) => {
    unread = n;
    shell.badge.hidden = n === 0;
    shell.badge.textContent = n === 0 ? '' : String(Math.min(n, 99));
    const label = t.openChat(options.title);
    launcher.setAttribute('aria-label', n === 0 ? label : `${label} (${t.unread(n)})`);
  };

  const onActivity = (a: ChatActivity) => {
    if (view.addActivity(a) && !isOpen() && a.from !== 'driver') setUnread(unread + 1);
  };
  const connect = () => {
    chat ??= connectChat(options.server, store, {
      status: view.setStatus,
      session: (s) => {
        // an expired or rejected token got a fresh conversation: the old one is no longer shown
        if (conversationId !== undefined && s.conversationId !== conversationId) view.showHistory([]);
        conversationId = s.conversationId;
      },
      history: view.showHistory,
      activity: onActivity,
      typing: (name) => view.setTyping(true, name),
      notice: (n) => view.addNotice(n.message),
      facilityFree: view.updateFacilityFree,
    });
  };

  /** Sends and shows the driver's words; keeps them in the box when there is no connection. */
  function send(message: ClientMessage, shownAs: string): boolean {
    connect();
    if (!chat?.send(message)) {
      view.showHint(t.notConnected);
      return false;
    }
    view.addDriverText(shownAs);
    return true;
  }

  function submit() {
    const out = prepareOutgoing(input.value, MAX_TEXT_LENGTH);
    if (!out || !send({ text: out.text }, out.text)) return;
    input.value = '';
    fitInput();
    view.showHint(out.truncated ? t.truncated(MAX_TEXT_LENGTH) : undefined);
  }

  function open(focusInput = true) {
    panel.hidden = false;
    root.dataset['open'] = '';
    launcher.setAttribute('aria-expanded', 'true');
    setUnread(0);
    store.setOpen(true);
    connect();
    if (focusInput) input.focus();
  }

  function close() {
    panel.hidden = true;
    delete root.dataset['open'];
    launcher.setAttribute('aria-expanded', 'false');
    store.setOpen(false);
    launcher.focus();
  }

  // the box grows with its text up to the CSS max-height, then scrolls
  function fitInput() {
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight + 2}px`;
  }

  launcher.addEventListener('click', () => (isOpen() ? close() : open()));
  shell.close.addEventListener('click', close);
  root.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen()) {
      e.preventDefault();
      close();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter is a new line; never while an IME is composing (e.g. Japanese)
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  // maxlength cuts pasted or dropped text silently; say so when that is about to happen
  input.addEventListener('beforeinput', (e) => {
    const added = e.data ?? e.dataTransfer?.getData('text/plain') ?? '';
    const replaced = (input.selectionEnd ?? 0) - (input.selectionStart ?? 0);
    if (input.value.length - replaced + added.length > MAX_TEXT_LENGTH) {
      view.showHint(t.truncated(MAX_TEXT_LENGTH));
    }
  });
  input.addEventListener('input', fitInput);

  parent.append(shell.host);
  if (store.token()) connect();
  if (store.wasOpen()) open(false);
  return { open, close, host: shell.host };
}
