import type { Activity } from 'botbuilder';
import { BOOKING_SUMMARY, FACILITY_LIST } from '../../bot/index.ts';
import type { Choice } from '../whatsapp/choices.ts';
import { bookingText } from '../whatsapp/renderers/cards.ts';
import { numberedLines } from '../whatsapp/renderers/choices.ts';
import { readActivity } from '../whatsapp/renderers/content.ts';
import { splitText } from '../whatsapp/renderers/limits.ts';
import { wordsFor } from '../whatsapp/renderers/words.ts';

/**
 * One activity as plain WhatsApp texts. Buttons and lists are deprecated on WhatsApp Web, so car
 * parks and choices are numbered lines, counted together: "1." is the first car park, and the
 * buttons follow on from the last one.
 */
export function renderText(a: Partial<Activity>): { texts: string[]; choices: Choice[] } {
  const c = readActivity(a);
  const words = wordsFor(c.locale);
  const blocks: string[] = c.text ? [c.text] : [];
  const choices: Choice[] = [];
  const offer = (more: readonly Choice[], details?: readonly string[]) => {
    blocks.push(numberedLines(more, choices.length + 1, details));
    choices.push(...more);
  };
  for (const card of c.cards) {
    if (card.contentType === BOOKING_SUMMARY) blocks.push(bookingText(card));
    if (card.contentType === FACILITY_LIST) {
      const items = card.content.facilities;
      if (!c.text) blocks.push(card.content.title);
      offer(
        items.map((f) => ({ title: f.name, value: f.action?.value ?? `facility:${f.facilityId}` })),
        items.map((f) => `${f.free}/${f.total} ${words.free} · ${f.price}`),
      );
    }
  }
  if (c.choices.length) offer(c.choices);
  for (const link of c.links) blocks.push(`${link.title}: ${link.url}`);
  if (c.askLocation !== null) blocks.push(words.shareLocation);
  if (choices.length) blocks.push(words.replyNumber);
  return { texts: splitText(blocks.join('\n\n')), choices };
}

/** A batch: texts in order, and the last offered choices. */
export function renderTexts(activities: readonly Partial<Activity>[]): {
  texts: string[];
  choices: Choice[];
} {
  const texts: string[] = [];
  let choices: Choice[] = [];
  for (const a of activities) {
    if (a.type && a.type !== 'message') continue;
    const r = renderText(a);
    texts.push(...r.texts);
    if (r.choices.length) choices = r.choices;
  }
  return { texts, choices };
}
