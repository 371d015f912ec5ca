import type { BookingCard, FacilityCardItem, FacilityListCard } from '../../../bot/index.ts';
import type { Choice } from '../choices.ts';
import { choiceRow, listMessage, numberedLines } from './choices.ts';
import { LIMITS } from './limits.ts';
import type { GraphMessage } from './messages.ts';
import { wordsFor } from './words.ts';

/** One piece of an outgoing activity; the activity's text can become its body. */
export interface Part {
  /** the longest text this part can carry as its body */
  readonly bodyLimit: number;
  /** its body when the activity's text went elsewhere */
  readonly fallbackBody: string;
  /** choices it offers, in the order a typed number counts them */
  readonly choices: readonly Choice[];
  build(body: string): GraphMessage[];
}

const text = (body: string): GraphMessage => ({ type: 'text', text: { body } });

const facilityLine = (f: FacilityCardItem, locale?: string) =>
  [
    `${f.free}/${f.total} ${wordsFor(locale).free}`,
    f.price,
    ...(f.distanceKm !== undefined ? [`${f.distanceKm.toFixed(1)} km`] : []),
  ].join(' · ');

/** Car parks with live free counts: a list message to pick one from (numbered text past ten). */
export function facilityListPart(card: FacilityListCard, locale: string | undefined, first: number): Part {
  const items = card.content.facilities;
  const choices = items.flatMap((f) => (f.action ? [{ title: f.name, value: f.action.value }] : []));
  const details = items.map((f) => facilityLine(f, locale));
  const lines = items.map((f, i) => `• *${f.name}* — ${details[i]}`).join('\n');
  if (choices.length !== items.length || !items.length)
    // nothing to pick: a plain text summary
    return {
      bodyLimit: LIMITS.text - lines.length - 2,
      fallbackBody: card.content.title,
      choices: [],
      build: (body) => [text(`${body}\n\n${lines}`.trim())],
    };
  if (items.length <= LIMITS.listRows)
    return {
      bodyLimit: LIMITS.listBody,
      fallbackBody: card.content.title,
      choices,
      build: (body) => [
        listMessage(
          body,
          choices.map((c, i) => choiceRow(c, details[i])),
          locale,
        ),
      ],
    };
  const numbered = `${numberedLines(choices, first, details)}\n\n${wordsFor(locale).replyNumber}`;
  return {
    bodyLimit: LIMITS.text - numbered.length - 2,
    fallbackBody: card.content.title,
    choices,
    build: (body) => [text(`${body}\n\n${numbered}`)],
  };
}

/** A booking summary as formatted text (WhatsApp's *bold*). */
export function bookingText(card: BookingCard): string {
  const c = card.content;
  return [
    `*${c.title}* · ${c.reference}`,
    c.statusLabel,
    `📍 ${c.facilityName} · ${c.spaceCode} (${c.spaceKind})`,
    `🚗 ${c.plate}`,
    `🕘 ${c.when}`,
    `💳 ${c.price}`,
    ...(c.note ? [c.note] : []),
  ].join('\n');
}

export function bookingPart(card: BookingCard): Part {
  const summary = bookingText(card);
  return {
    bodyLimit: LIMITS.text - summary.length - 2,
    fallbackBody: '',
    choices: [],
    build: (body) => [text(body ? `${body}\n\n${summary}` : summary)],
  };
}
