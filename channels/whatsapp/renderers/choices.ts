import type { Choice } from '../choices.ts';
import { LIMITS, clip } from './limits.ts';
import type { GraphMessage, ListRow } from './messages.ts';
import { wordsFor } from './words.ts';

/** Up to three choices as reply buttons; each title at most 20 characters. */
export function replyButtons(body: string, choices: readonly Choice[]): GraphMessage {
  return {
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: body },
      action: {
        buttons: choices.map((c) => ({
          type: 'reply',
          reply: { id: c.value, title: clip(c.title, LIMITS.buttonTitle) },
        })),
      },
    },
  };
}

/** Up to ten rows as a list message behind one button. */
export function listMessage(body: string, rows: readonly ListRow[], locale?: string): GraphMessage {
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body },
      action: { button: clip(wordsFor(locale).choose, LIMITS.listButton), sections: [{ rows: [...rows] }] },
    },
  };
}

/** A choice as a list row: a title cut to 24 characters keeps its full wording in the description. */
export function choiceRow(c: Choice, description?: string): ListRow {
  const title = clip(c.title, LIMITS.rowTitle);
  const full = description ?? (title === c.title.trim() ? undefined : c.title);
  return {
    id: c.value.slice(0, LIMITS.rowId),
    title,
    ...(full ? { description: clip(full, LIMITS.rowDescription) } : {}),
  };
}

/** Choices as numbered lines, for more than a list holds (or a channel without buttons). */
export function numberedLines(choices: readonly Choice[], from = 1, details?: readonly string[]): string {
  return choices.map((c, i) => `${from + i}. ${c.title}${details?.[i] ? ` — ${details[i]}` : ''}`).join('\n');
}

/** The best native form for a set of choices: buttons (≤3), a list (≤10), or numbered text. */
export function choiceMessage(
  body: string,
  choices: readonly Choice[],
  locale?: string,
  first = 1,
): GraphMessage {
  if (choices.length <= LIMITS.buttons && new Set(choices.map((c) => c.value)).size === choices.length)
    return replyButtons(body, choices);
  if (choices.length <= LIMITS.listRows)
    return listMessage(
      body,
      choices.map((c) => choiceRow(c)),
      locale,
    );
  return {
    type: 'text',
    text: { body: `${body}\n\n${numberedLines(choices, first)}\n\n${wordsFor(locale).replyNumber}` },
  };
}
