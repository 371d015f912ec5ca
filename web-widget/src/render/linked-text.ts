import { el } from '../dom.ts';
import { splitLinks } from '../text.ts';

/**
 * Appends text to an element as text nodes, with http(s) addresses made into `<a>` links that
 * open in a new tab without access to this page (`noopener`). Used for the bot's and agents'
 * words (payment and map links), never for the driver's own.
 */
export function appendLinkedText(parent: HTMLElement, text: string): HTMLElement {
  for (const part of splitLinks(text)) {
    parent.append(
      part.href
        ? el('a', {
            text: part.text,
            attrs: { href: part.href, target: '_blank', rel: 'noopener noreferrer' },
          })
        : document.createTextNode(part.text),
    );
  }
  return parent;
}
