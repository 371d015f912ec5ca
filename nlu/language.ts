import type { Locale } from './intents.ts';
import { expandShorthand, foldCase } from './text/normalise.ts';

// Letters and marks only Spanish uses here; one of them settles a short message on its own.
const SPANISH_MARKS = /[ñ¿¡áéíóú]/i;

export interface LanguageEvidence {
  /** How often each language's corpus uses a (folded) word. */
  frequency(word: string, locale: Locale): number;
  /** NLP.js's trigram guess, used only to break ties (it is unreliable on short texts). */
  guessLanguage(text: string): string | undefined;
}

/** How often `locale`'s corpus uses what a word stands for there ("tmrw" is "tomorrow" in English). */
function usage(word: string, locale: Locale, evidence: LanguageEvidence): number {
  return Math.min(...expandShorthand(word, locale).map((w) => evidence.frequency(w, locale)));
}

/**
 * How far a word leans to English (> 0) or Spanish (< 0): the log-ratio of its use in each corpus
 * (its own use, else what its shorthand stands for there). "thanks" leans hard; "no" barely.
 */
function lean(word: string, evidence: LanguageEvidence): number {
  const en = evidence.frequency(word, 'en');
  const es = evidence.frequency(word, 'es');
  if (en !== es || en > 0) return Math.log((en + 1) / (es + 1));
  return Math.log((usage(word, 'en', evidence) + 1) / (usage(word, 'es', evidence) + 1));
}

/**
 * The language of a message: Spanish marks first, then a vote of its words (each goes to the
 * corpus that uses it more: "thanks" is in both, but far more in English; shorthand counts as
 * the words it stands for), then the conversation's language when it has one (`fallback`), and
 * only for a first message NLP.js's guess.
 *
 * @example
 * detectLocale('vale, gracias', model) // 'es'
 * detectLocale('kx 9 11', model, 'en', '', true) // 'en': nothing to vote on, the conversation's
 */
export function detectLocale(
  text: string,
  evidence: LanguageEvidence,
  fallback: Locale = 'en',
  /** Folded words that say nothing of the language: a car park's name ("kings cross"). */
  names = '',
  /** `fallback` is the conversation's language: trust it over a trigram guess. */
  conversational = false,
): Locale {
  if (SPANISH_MARKS.test(text)) return 'es';
  const ignored = new Set(names.split(' '));
  const words = (foldCase(text).match(/[\p{L}']+/gu) ?? []).filter((word) => !ignored.has(word));
  // one vote per word; a tie goes to the side whose words lean harder ("no thanks" is English)
  let votes = 0;
  let weight = 0;
  for (const word of words) {
    const l = lean(word, evidence);
    votes += Math.sign(l);
    weight += l;
  }
  if (votes !== 0) return votes > 0 ? 'en' : 'es';
  if (Math.abs(weight) >= 1) return weight > 0 ? 'en' : 'es';
  if (conversational) return fallback;
  // A name alone says nothing of the language, not even to trigrams.
  const guess = words.length > 0 || !names ? evidence.guessLanguage(text) : undefined;
  return guess === 'en' || guess === 'es' ? guess : fallback;
}
