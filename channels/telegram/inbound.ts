import type { Update } from 'telegraf/types';
import type { InboundMessage } from '../runtime/index.ts';

export const TELEGRAM_CHANNEL = 'telegram';

/**
 * The bot's commands (registered with setMyCommands) and the button value each one stands for —
 * the same values the bot's own buttons carry.
 */
export const COMMANDS = {
  start: 'intent:greet',
  help: 'intent:help',
  mybookings: 'intent:my_bookings',
  cancel: 'intent:cancel_booking',
} as const satisfies Record<string, string>;

/** The command menu Telegram shows, by language (the default first). */
export const COMMAND_MENU: Record<'default' | 'es', Record<keyof typeof COMMANDS, string>> = {
  default: {
    start: 'Start: what I can do',
    help: 'Help',
    mybookings: 'My bookings',
    cancel: 'Cancel a booking',
  },
  es: {
    start: 'Empezar: qué puedo hacer',
    help: 'Ayuda',
    mybookings: 'Mis reservas',
    cancel: 'Cancelar una reserva',
  },
};

/** Callback data that stands for a longer value kept in the token store (see render.ts). */
export const TOKEN_PREFIX = '~';

/** A pressed inline button: answered, and its keyboard taken off, by the adapter. */
export interface PressedButton {
  queryId: string;
  /** the message carrying the keyboard (absent when Telegram no longer has it) */
  messageId?: number;
  /** the raw callback data; a `~token` still needs looking up */
  data: string;
}

export type Inbound =
  | { kind: 'message'; message: InboundMessage; pressed?: PressedButton }
  | { kind: 'ignored'; reason: string; pressed?: PressedButton };

type From = { id: number; first_name: string; last_name?: string; language_code?: string };

const nameOf = (u: From) => [u.first_name, u.last_name].filter(Boolean).join(' ');
/** Telegram sends IETF tags ("es", "en-GB", "pt-br"); the runtime wants the language. */
const localeOf = (u: From) => u.language_code?.split('-')[0]?.toLowerCase() || undefined;

function base(chatId: number, from: From, messageId: string): InboundMessage {
  const locale = localeOf(from);
  return {
    channel: TELEGRAM_CHANNEL,
    conversationId: String(chatId),
    user: { id: String(from.id), name: nameOf(from) },
    messageId,
    ...(locale ? { locale } : {}),
    address: { chatId },
  };
}

/** `/cancel`, `/help@ParkingBot` → its value; `/unknown` → null (read as text instead). */
export function commandValue(text: string): string | null {
  const m = /^\/([A-Za-z0-9_]+)(?:@\w+)?(?:\s|$)/.exec(text);
  const name = m?.[1]?.toLowerCase();
  return name && Object.hasOwn(COMMANDS, name) ? COMMANDS[name as keyof typeof COMMANDS] : null;
}

/** A shared point as the widget sends it: `location:<lat>,<lng>` with five decimals (about a metre). */
export const locationValue = (lat: number, lng: number) => `location:${lat.toFixed(5)},${lng.toFixed(5)}`;

/**
 * A Telegram update as what the runtime understands. Only private chats with people are
 * conversations with the bot; everything else (groups, channels, edits, other bots) is ignored.
 * A message's id is its update id, so a redelivered update is processed once; a button press's
 * id is the keyboard's message, so one keyboard gives one answer however often it is pressed.
 *
 *   toInbound({ update_id: 7, message: { text: '/mybookings', … } })
 *   // → { kind: 'message', message: { channel: 'telegram', value: 'intent:my_bookings', … } }
 */
export function toInbound(update: Update): Inbound {
  if ('callback_query' in update) {
    const q = update.callback_query;
    const data = 'data' in q && typeof q.data === 'string' ? q.data : '';
    const chat = q.message?.chat;
    const pressed: PressedButton = {
      queryId: q.id,
      data,
      ...(q.message ? { messageId: q.message.message_id } : {}),
    };
    if (!chat || chat.type !== 'private' || q.from.is_bot)
      return { kind: 'ignored', reason: 'not a private chat', pressed };
    if (!data) return { kind: 'ignored', reason: 'a button without data', pressed };
    const id = q.message ? `kb${chat.id}:${q.message.message_id}` : `cq${q.id}`;
    return { kind: 'message', message: { ...base(chat.id, q.from, id), value: data }, pressed };
  }
  if (!('message' in update)) return { kind: 'ignored', reason: 'not a new message' };
  const msg = update.message;
  if (msg.chat.type !== 'private' || !msg.from || msg.from.is_bot)
    return { kind: 'ignored', reason: 'not a private chat with a person' };
  const inbound = base(msg.chat.id, msg.from, `u${update.update_id}`);
  if ('location' in msg) {
    return {
      kind: 'message',
      message: { ...inbound, value: locationValue(msg.location.latitude, msg.location.longitude) },
    };
  }
  const text = 'text' in msg ? msg.text : 'caption' in msg ? (msg.caption ?? '') : '';
  const value = text.startsWith('/') ? commandValue(text) : null;
  if (value) return { kind: 'message', message: { ...inbound, value } };
  // An unknown command is read as words ("/book" → "book"); stickers, photos and voice notes
  // arrive as an empty message, which the bot answers by saying what it can read.
  const words = text.startsWith('/') ? text.slice(1).replace(/^(\w+)@\w+/, '$1') : text;
  return { kind: 'message', message: { ...inbound, text: words } };
}
