import type { Activity } from 'botbuilder';
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'telegraf/types';
import { attachmentSchema, BOOKING_SUMMARY, FACILITY_LIST } from '../../bot/index.ts';
import { keyboardRows, renderActions, type ActionLike } from './renderers/actions.ts';
import { renderBooking, renderFacilityList, renderUnknown, type CardRender } from './renderers/cards.ts';
import { bold, packBlocks, textBlock, type Block } from './renderers/html.ts';
import { labels, type Labels } from './renderers/labels.ts';

export { escapeHtml, MAX_MESSAGE_CHARS } from './renderers/html.ts';
export { MAX_CALLBACK_BYTES } from './renderers/actions.ts';

/** One `sendMessage` call: HTML text and at most one keyboard. */
export interface TelegramMessage {
  text: string;
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup;
}

export interface Rendered {
  messages: TelegramMessage[];
  /** callback-data tokens → the values they stand for (keep them so a press can be read back) */
  tokens: Record<string, string>;
}

export interface RenderOptions {
  /** the driver's language for the channel's own labels; the activity's locale otherwise */
  locale?: string;
  /** who speaks: an agent's messages carry their name */
  sender?: { role: string; name?: string };
}

type Card = { contentType?: string; content?: unknown; contentUrl?: string; name?: string };

/** Renderers of the card types the bot sends, by content type. */
const cardRenderers: Record<string, (content: never, t: Labels) => CardRender> = {
  [FACILITY_LIST]: renderFacilityList,
  [BOOKING_SUMMARY]: renderBooking,
};

function renderCard(card: Card, t: Labels): CardRender {
  const parsed = attachmentSchema.safeParse({ contentType: card.contentType, content: card.content });
  const render = parsed.success ? cardRenderers[parsed.data.contentType] : undefined;
  if (parsed.success && render) return render(parsed.data.content as never, t);
  return renderUnknown(card.contentType ?? 'attachment', card.content, card.contentUrl, card.name);
}

/** Telegram needs some text under a keyboard. */
const KEYBOARD_ONLY_TEXT = '👇';

/**
 * A bot (or agent) activity as Telegram messages: its text (HTML, every string escaped), its
 * cards as formatted text, its actions as an inline keyboard under the last message, a location
 * request as a one-time reply keyboard, and anything unknown as readable text. Long content is
 * split into messages of at most 4,096 characters.
 *
 *   renderActivity({ type: 'message', text: 'Which one?', suggestedActions: { to: [], actions } })
 *   // → { messages: [{ text: 'Which one?', reply_markup: { inline_keyboard: [[…]] } }], tokens: {} }
 */
export function renderActivity(a: Partial<Activity>, opts: RenderOptions = {}): Rendered {
  if (a.type && a.type !== 'message') return { messages: [], tokens: {} };
  const t = labels(opts.locale ?? a.locale);
  const cards = (a.attachments ?? []).map((c) => renderCard(c as Card, t));
  const actions = renderActions([
    ...cards.flatMap((c) => c.actions),
    ...((a.suggestedActions?.actions ?? []) as ActionLike[]),
  ]);
  const blocks: Block[] = [];
  if (opts.sender?.role === 'agent') {
    const who = opts.sender.name ? `${opts.sender.name} (${t.agent})` : t.agent;
    blocks.push({ html: bold(who), plain: who });
  }
  if (a.text?.trim()) blocks.push(textBlock(a.text.trim()));
  blocks.push(...cards.flatMap((c) => c.blocks));
  if (actions.lines.length) blocks.push(textBlock(actions.lines.join('\n')));

  const texts = packBlocks(blocks);
  const hasAnyKeyboard = actions.buttons.length > 0 || actions.requestLocation !== undefined;
  if (!texts.length && hasAnyKeyboard) texts.push(KEYBOARD_ONLY_TEXT);
  const messages: TelegramMessage[] = texts.map((text) => ({ text }));
  const last = messages.at(-1);
  if (last && actions.buttons.length) last.reply_markup = { inline_keyboard: keyboardRows(actions.buttons) };
  if (actions.requestLocation !== undefined) {
    const keyboard: ReplyKeyboardMarkup = {
      keyboard: [[{ text: actions.requestLocation, request_location: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    };
    // One keyboard per message: the location request goes under its own message when buttons took the last.
    if (last && !last.reply_markup) last.reply_markup = keyboard;
    else messages.push({ text: textBlock(`📍 ${actions.requestLocation}`).html, reply_markup: keyboard });
  }
  return { messages, tokens: actions.tokens };
}
