import type { Locale } from './intents.ts';
import { normaliseWords } from './text/normalise.ts';

// Letters and marks only Spanish uses here; one of them settles a short message on its own.
const SPANISH_MARKS = /[ñ¿¡áéíóú]/i;

export interface LanguageEvidence {
  /** How many of the message's words each language's corpus uses. */
  knownWords(words: string[], locale: Locale): number;
  /** NLP.js's trigram guess, used only to break ties (it is unreliable on short texts). */
  guessLanguage(text: string): string | undefined;
}

/**
 * The language of a message: Spanish marks first, then which corpus knows more of its words,
 * then NLP.js's guess, then `fallback`.
 *
 * @example
 * detectLocale('vale, gracias', model) // 'es'
 */
export function detectLocale(text: string, evidence: LanguageEvidence, fallback: Locale = 'en'): Locale {
  if (SPANISH_MARKS.test(text)) return 'es';
  const english = evidence.knownWords(normaliseWords(text, 'en'), 'en');
  const spanish = evidence.knownWords(normaliseWords(text, 'es'), 'es');
  if (english !== spanish) return english > spanish ? 'en' : 'es';
  const guess = evidence.guessLanguage(text);
  return guess === 'en' || guess === 'es' ? guess : fallback;
}
