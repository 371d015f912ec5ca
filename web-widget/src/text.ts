/** Text handling with no DOM: what is sent, and where links are in what is received. */

/** A message ready to send, and whether it had to be cut to fit. */
export interface Outgoing {
  readonly text: string;
  readonly truncated: boolean;
}

/**
 * Trims the typed text and cuts it to `max` UTF-16 units (what `maxlength` and the server count),
 * never splitting an emoji's surrogate pair. `undefined` when nothing is left to send.
 *
 * @example prepareOutgoing('  hi  ', 2000) // → { text: 'hi', truncated: false }
 */
export function prepareOutgoing(raw: string, max: number): Outgoing | undefined {
  let text = raw.trim();
  const truncated = text.length > max;
  if (truncated) {
    text = text.slice(0, max);
    if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
    text = text.trimEnd();
  }
  return text ? { text, truncated } : undefined;
}

/** A run of text, and the web address it links to when it is one. */
export interface TextPart {
  readonly text: string;
  readonly href?: string;
}

// http(s) only: a bot's payment or map link. Trailing punctuation is left out of the link.
const LINK = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}]/gi;

/**
 * Splits text into plain runs and http(s) links so links can be made clickable as DOM nodes,
 * never as HTML. Anything that does not parse as an http(s) URL stays plain text.
 *
 * @example splitLinks('Pay at https://pay.example/x.') // → [{ text: 'Pay at ' }, { text: 'https://pay.example/x', href: … }, { text: '.' }]
 */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    const href = safeHref(m[0]);
    if (!href || m.index === undefined) continue;
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ text: m[0], href });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
