import type { Activity } from 'botbuilder';
import { BOOKING_SUMMARY, FACILITY_LIST, type ChatAttachment } from '../../bot/index.ts';
import type { Choice } from './choices.ts';
import { choicesPart, linkPart, locationRequestPart } from './renderers/actions.ts';
import { bookingPart, facilityListPart, type Part } from './renderers/cards.ts';
import { readActivity } from './renderers/content.ts';
import { splitText } from './renderers/limits.ts';
import type { GraphMessage } from './renderers/messages.ts';

/** What an outgoing batch becomes: Cloud API messages in order, and the choices a number picks. */
export interface Rendered {
  readonly messages: GraphMessage[];
  /** the choices of the last activity that offered any; empty: a typed number is just a number */
  readonly choices: Choice[];
}

const cardParts: {
  [K in ChatAttachment['contentType']]: (
    card: Extract<ChatAttachment, { contentType: K }>,
    locale: string | undefined,
    first: number,
  ) => Part;
} = {
  [FACILITY_LIST]: facilityListPart,
  [BOOKING_SUMMARY]: (card) => bookingPart(card),
};

function partsOf(a: Partial<Activity>): { text: string; parts: Part[] } {
  const c = readActivity(a);
  const parts: Part[] = [];
  let next = 1;
  const add = (p: Part) => {
    parts.push(p);
    next += p.choices.length;
  };
  for (const card of c.cards)
    add((cardParts[card.contentType] as (...x: unknown[]) => Part)(card, c.locale, next));
  if (c.choices.length) add(choicesPart(c.choices, c.locale, next));
  for (const link of c.links) add(linkPart(link, c.locale));
  if (c.askLocation !== null) add(locationRequestPart(c.askLocation || c.text));
  return { text: c.text, parts };
}

/**
 * One bot activity in WhatsApp's native forms: its text becomes the body of the first interactive
 * message when it fits (else plain texts, split at 4,096 characters), then cards, choices, links
 * and a location request.
 */
export function renderActivity(a: Partial<Activity>): { messages: GraphMessage[]; choices: Choice[] } {
  const { text, parts } = partsOf(a);
  const messages: GraphMessage[] = [];
  let rest = parts;
  const [first] = parts;
  if (first && text && Array.from(text).length <= first.bodyLimit) {
    messages.push(...first.build(text));
    rest = parts.slice(1);
  } else if (text) {
    messages.push(...splitText(text).map((body): GraphMessage => ({ type: 'text', text: { body } })));
  }
  for (const p of rest) messages.push(...p.build(p.fallbackBody));
  return { messages: messages.flatMap(splitLongText), choices: parts.flatMap((p) => [...p.choices]) };
}

/** A text message over the limit (a long card summary) goes out in pieces. */
const splitLongText = (m: GraphMessage): GraphMessage[] =>
  m.type === 'text' ? splitText(m.text.body).map((body) => ({ type: 'text', text: { body } })) : [m];

/** A batch of activities (one turn's replies, or a proactive message). */
export function renderActivities(activities: readonly Partial<Activity>[]): Rendered {
  const messages: GraphMessage[] = [];
  let choices: Choice[] = [];
  for (const a of activities) {
    if (a.type && a.type !== 'message') continue;
    const r = renderActivity(a);
    messages.push(...r.messages);
    if (r.choices.length) choices = r.choices;
  }
  return { messages, choices };
}
