import { describe, expect, it } from 'vitest';
import { detectLocale, type LanguageEvidence } from './language.ts';

// A tiny stand-in for the corpora: how often each language uses a word.
const COUNTS: Record<string, { en: number; es: number }> = {
  thanks: { en: 40, es: 1 },
  gracias: { en: 0, es: 50 },
  parking: { en: 30, es: 20 },
  no: { en: 10, es: 12 },
  book: { en: 25, es: 0 },
  kings: { en: 3, es: 9 },
  cross: { en: 3, es: 9 },
  tomorrow: { en: 20, es: 0 },
  until: { en: 15, es: 0 },
  ok: { en: 8, es: 0 },
  vale: { en: 0, es: 30 },
};

const evidence = (guess?: string): LanguageEvidence => ({
  frequency: (word, locale) => COUNTS[word]?.[locale] ?? 0,
  guessLanguage: () => guess,
});

describe('detectLocale', () => {
  it('lets Spanish marks decide on their own', () => {
    expect(detectLocale('¿sí?', evidence('en'))).toBe('es');
  });

  it('gives each word to the corpus that uses it more', () => {
    expect(detectLocale('thanks', evidence('es'))).toBe('en');
    expect(detectLocale('gracias', evidence('en'))).toBe('es');
    expect(detectLocale('book parking', evidence('es'))).toBe('en');
  });

  it("falls back to NLP.js's guess, then to the default, when the words do not tell", () => {
    expect(detectLocale('zzz', evidence('es'))).toBe('es');
    expect(detectLocale('zzz', evidence('fr'), 'es')).toBe('es');
    expect(detectLocale('zzz', evidence(undefined))).toBe('en');
  });

  it("leaves a car park's name out of the vote: 'kings cross' is no Spanish", () => {
    expect(detectLocale('kings cross', evidence(undefined))).toBe('es');
    expect(detectLocale('kings cross', evidence('es'), 'en', 'kings cross')).toBe('en');
    expect(detectLocale('thanks kings cross', evidence(undefined), 'en', 'kings cross')).toBe('en');
  });

  it('reads shorthand as the words it stands for in each language', () => {
    // The corpora are stored expanded: "tmrw" and "til" only exist there as "tomorrow", "until".
    expect(detectLocale('tmrw 9 til 11', evidence('es'))).toBe('en');
    // A word each corpus uses as itself votes as itself: "ok" is English here, though Spanish
    // shorthand reads it as "vale".
    expect(detectLocale('ok', evidence('es'))).toBe('en');
  });

  it('breaks a tie of votes by how hard the words lean', () => {
    // "no" is a little more Spanish, "thanks" far more English
    expect(detectLocale('no thanks', evidence('es'))).toBe('en');
    expect(detectLocale('no gracias', evidence('en'))).toBe('es');
  });

  it("keeps the conversation's language over a trigram guess when the words do not tell", () => {
    expect(detectLocale('kings cross 9 11', evidence('es'), 'en', 'kings cross', true)).toBe('en');
    expect(detectLocale('zzz', evidence('en'), 'es', '', true)).toBe('es');
    // The words still win over the conversation's language.
    expect(detectLocale('gracias', evidence('en'), 'en', '', true)).toBe('es');
  });
});
