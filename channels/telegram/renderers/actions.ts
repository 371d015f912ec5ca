import { createHash } from 'node:crypto';
import { TOKEN_PREFIX } from '../inbound.ts';

/** Telegram's limit on a button's callback data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;

/** The widget's "share my location" button value; a Telegram client asks for the position itself. */
export const LOCATION_REQUEST = 'location:ask';

export type InlineButton = { text: string; callback_data: string } | { text: string; url: string };

/** A channel-neutral action as the bot sends it (botbuilder's CardAction, loosely). */
export interface ActionLike {
  type?: string;
  title?: unknown;
  value?: unknown;
}

/** What an activity's actions become: inline buttons, at most one location request, text lines. */
export interface RenderedActions {
  buttons: InlineButton[];
  /** the title of a "share my location" button, shown as a one-time reply keyboard */
  requestLocation?: string;
  /** actions Telegram cannot show as buttons, as readable text */
  lines: string[];
  /** `~token` → value, for values too long for callback data */
  tokens: Record<string, string>;
}

/**
 * A button's callback data: the value itself when it fits Telegram's 64 bytes, otherwise a short
 * token (the same for the same value) that the adapter keeps and looks up on a press.
 */
export function callbackData(value: string, tokens: Record<string, string>): string {
  if (Buffer.byteLength(value) <= MAX_CALLBACK_BYTES && !value.startsWith(TOKEN_PREFIX)) return value;
  const token = TOKEN_PREFIX + createHash('sha256').update(value).digest('base64url').slice(0, 24);
  tokens[token] = value;
  return token;
}

const isWebUrl = (s: string) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol);

type Place = (out: RenderedActions, title: string, value: string) => void;

const postBack: Place = (out, title, value) =>
  void out.buttons.push({ text: title, callback_data: callbackData(value || title, out.tokens) });
const asText: Place = (out, title, value) =>
  void out.lines.push(value && value !== title ? `${title}: ${value}` : title);

/** How each action type is shown; anything else is a postBack. */
const byType: Record<string, Place> = {
  openUrl: (out, title, value) =>
    isWebUrl(value) ? void out.buttons.push({ text: title, url: value }) : asText(out, title, value),
  requestLocation: (out, title) => void (out.requestLocation ??= title),
  call: asText,
  showImage: asText,
  downloadFile: asText,
};

/** Places each action where Telegram shows it best. */
export function renderActions(actions: readonly ActionLike[]): RenderedActions {
  const out: RenderedActions = { buttons: [], lines: [], tokens: {} };
  for (const a of actions) {
    const value = typeof a.value === 'string' ? a.value : a.value == null ? '' : JSON.stringify(a.value);
    const title = typeof a.title === 'string' && a.title.trim() ? a.title : value;
    if (!title) continue;
    const place =
      value === LOCATION_REQUEST ? byType['requestLocation']! : (byType[a.type ?? ''] ?? postBack);
    place(out, title, value);
  }
  return out;
}

/** Buttons in rows: short titles two to a row, long ones alone. */
export function keyboardRows(buttons: readonly InlineButton[]): InlineButton[][] {
  const rows: InlineButton[][] = [];
  for (const b of buttons) {
    const last = rows.at(-1);
    if (last && last.length === 1 && last[0]!.text.length <= 18 && b.text.length <= 18) last.push(b);
    else rows.push([b]);
  }
  return rows;
}
