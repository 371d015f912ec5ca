import type { ConnectionStatus } from '../connection.ts';
import type { ChatActivity, FacilityFree } from '../protocol.ts';
import { applyFacilityFree, type CardContext } from '../render/cards.ts';
import { renderActivity, renderDriverText, renderNotice } from '../render/message.ts';
import type { Shell } from './shell.ts';

/** What the conversation area can be told to show. */
export interface ChatView {
  /** Replaces everything shown with the server's transcript (on every (re)connect). */
  showHistory(activities: readonly ChatActivity[]): void;
  /** Appends an activity unless one with its id is already shown; `true` when it was new. */
  addActivity(activity: ChatActivity): boolean;
  addDriverText(text: string): void;
  addNotice(message: string): void;
  /** shows or hides "typing…" (naming the agent who writes, if one does) */
  setTyping(on: boolean, name?: string): void;
  updateFacilityFree(update: FacilityFree): void;
  setStatus(status: ConnectionStatus): void;
  showHint(text: string | undefined): void;
}

/** The typing indicator goes away on its own if no reply comes. */
export const TYPING_TIMEOUT_MS = 10_000;
/** "Connecting…" only shows when connecting takes noticeably long. */
const CONNECTING_NOTICE_DELAY_MS = 1_000;

/**
 * The message log and its companions (typing indicator, connection line, hint). Button presses
 * anywhere in the log are handled by one listener and reported as `onAction(title, value)`.
 */
export function createChatView(
  shell: Shell,
  ctx: CardContext,
  onAction: (title: string, value: string) => void,
): ChatView {
  const { log, typing, conn, hint } = shell;
  const shown = new Set<string>();
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let statusTimer: ReturnType<typeof setTimeout> | undefined;

  log.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('button.action') : null;
    if (!(target instanceof HTMLButtonElement) || target.disabled) return;
    onAction(target.textContent ?? '', target.dataset['value'] ?? '');
  });

  const scrollToEnd = () => {
    log.scrollTop = log.scrollHeight;
  };

  // Only the newest message's buttons stay pressable: older choices are stale once anything
  // (a reply, or the driver's own words) has come after them.
  const refreshActions = () => {
    const messages = log.querySelectorAll('.msg');
    const last = messages[messages.length - 1];
    for (const button of log.querySelectorAll<HTMLButtonElement>('button.action')) {
      button.disabled = !last?.contains(button) && !shell.intro.contains(button);
    }
  };

  const append = (node: HTMLElement) => {
    log.append(node);
    refreshActions();
    scrollToEnd();
  };

  const setTyping = (on: boolean, name?: string) => {
    clearTimeout(typingTimer);
    typing.hidden = !on;
    // the text changes (rather than only the visibility) so screen readers announce it
    const label = typing.querySelector('.typing-text');
    if (label) label.textContent = on ? (name ? ctx.t.agentTyping(name) : ctx.t.typing) : '';
    if (on) typingTimer = setTimeout(() => setTyping(false), TYPING_TIMEOUT_MS);
  };

  return {
    showHistory(activities) {
      log.replaceChildren(shell.intro);
      shown.clear();
      for (const a of activities) {
        if (shown.has(a.id)) continue;
        shown.add(a.id);
        log.append(renderActivity(a, ctx));
      }
      refreshActions();
      scrollToEnd();
    },
    addActivity(activity) {
      if (activity.from !== 'driver') setTyping(false);
      if (shown.has(activity.id)) return false;
      shown.add(activity.id);
      append(renderActivity(activity, ctx));
      return true;
    },
    addDriverText(text) {
      append(renderDriverText(text, ctx));
    },
    addNotice(message) {
      log.append(renderNotice(message));
      scrollToEnd();
    },
    setTyping,
    updateFacilityFree(update) {
      applyFacilityFree(log, update, ctx.t);
    },
    setStatus(status) {
      clearTimeout(statusTimer);
      const text = {
        connected: '',
        connecting: ctx.t.connecting,
        reconnecting: ctx.t.reconnecting,
        unavailable: ctx.t.unavailable,
      }[status];
      const show = () => {
        conn.textContent = text;
        conn.hidden = text === '';
        shell.root.dataset['status'] = status;
      };
      if (status === 'connecting') statusTimer = setTimeout(show, CONNECTING_NOTICE_DELAY_MS);
      else show();
    },
    showHint(text) {
      hint.textContent = text ?? '';
      hint.hidden = !text;
    },
  };
}
