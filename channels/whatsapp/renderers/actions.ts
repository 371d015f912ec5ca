import type { Choice } from '../choices.ts';
import type { Part } from './cards.ts';
import { choiceMessage } from './choices.ts';
import { LIMITS, clip } from './limits.ts';
import { wordsFor } from './words.ts';

/** postBack buttons: reply buttons, a list, or numbered text by how many there are. */
export function choicesPart(choices: readonly Choice[], locale: string | undefined, first: number): Part {
  return {
    bodyLimit: choices.length <= LIMITS.buttons ? LIMITS.buttonBody : LIMITS.listBody,
    fallbackBody: wordsFor(locale).pickOne,
    choices,
    build: (body) => [choiceMessage(body, choices, locale, first)],
  };
}

/** An openUrl action (a payment page) as a call-to-action URL button. */
export function linkPart(link: { title: string; url: string }, locale?: string): Part {
  return {
    bodyLimit: LIMITS.ctaBody,
    fallbackBody: link.title,
    choices: [],
    build: (body) => [
      {
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          body: { text: body },
          action: {
            name: 'cta_url',
            parameters: {
              display_text: clip(link.title || wordsFor(locale).openLink, LIMITS.ctaText),
              url: link.url,
            },
          },
        },
      },
    ],
  };
}

/** A requestLocation action as WhatsApp's location-request message (a "Send location" button). */
export function locationRequestPart(title: string): Part {
  return {
    bodyLimit: LIMITS.locationBody,
    fallbackBody: title,
    choices: [],
    build: (body) => [
      {
        type: 'interactive',
        interactive: {
          type: 'location_request_message',
          body: { text: body },
          action: { name: 'send_location' },
        },
      },
    ],
  };
}
