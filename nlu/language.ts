import type { Locale } from './intents.ts';
import { foldCase } from './text/normalise.ts';

// Letters and marks only Spanish uses here; one of them settles a short message on its own.
const SPANISH_MARKS = /[ñ¿¡áéíóú]/i;

export interface LanguageEvidence {
  /** How often each language's corpus uses a (folded) word. */
  frequency(word: string, locale: Locale): number;
  /** NLP.js's trigram guess, used only to break ties (it is unreliable on short texts). */
  guessLanguage(text: string): string | undefined;
}

/**
 * The language of a message: Spanish marks first, then a vote of its words (each goes to the
 * corpus that uses it more: "thanks" is in both, but far more in English), then NLP.js's guess,
 * then `fallback`.
 *
 * @example
 * detectLocale('vale, gracias', model) // 'es'
 */
export function detectLocale(
  text: string,
  evidence: LanguageEvidence,
  fallback: Locale = 'en',
  /** Folded words that say nothing of the language: a car park's name ("kings cross"). */
  names = '',
): Locale {
  if (SPANISH_MARKS.test(text)) return 'es';
  const ignored = new Set(names.split(' '));
  const words = (foldCase(text).match(/[\p{L}']+/gu) ?? []).filter((word) => !ignored.has(word));
  let votes = 0;
  for (const word of words)
    votes += Math.sign(evidence.frequency(word, 'en') - evidence.frequency(word, 'es'));
  if (votes !== 0) return votes > 0 ? 'en' : 'es';
  // A name alone says nothing of the language, not even to trigrams.
  const guess = words.length > 0 || !names ? evidence.guessLanguage(text) : undefined;
  return guess === 'en' || guess === 'es' ? guess : fallback;
}
