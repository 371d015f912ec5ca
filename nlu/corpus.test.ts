import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusHash, loadCorpus, parseExamples } from './corpus.ts';
import { INTENTS, LOCALES } from './intents.ts';
import { foldCase } from './text/normalise.ts';

const corpus = loadCorpus();
const testSplit = (locale: string) =>
  parseExamples(readFileSync(new URL(`./corpus/test-${locale}.jsonl`, import.meta.url), 'utf8'));
const key = (text: string) =>
  foldCase(text)
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

describe('corpus', () => {
  it.each(LOCALES)('%s has a rich set of utterances for every intent and a large none class', (locale) => {
    for (const intent of INTENTS) {
      expect(corpus[locale][intent].length, `${locale}/${intent}`).toBeGreaterThanOrEqual(50);
    }
    expect(corpus[locale].none.length).toBeGreaterThanOrEqual(300);
  });

  it.each(LOCALES)('%s gives no utterance two intents', (locale) => {
    const owner = new Map<string, string>();
    for (const intent of INTENTS) {
      for (const utterance of corpus[locale][intent]) {
        const previous = owner.get(key(utterance));
        expect(
          previous === undefined || previous === intent,
          `"${utterance}": ${previous} and ${intent}`,
        ).toBe(true);
        owner.set(key(utterance), intent);
      }
    }
  });

  it.each(LOCALES)('%s held-out split shares no sentence with training and covers every intent', (locale) => {
    const training = new Set(INTENTS.flatMap((intent) => corpus[locale][intent].map(key)));
    const examples = testSplit(locale);
    expect(examples.filter((example) => training.has(key(example.text)))).toEqual([]);
    expect(new Set(examples.map((example) => example.label))).toEqual(new Set(INTENTS));
    expect(examples.every((example) => example.locale === locale)).toBe(true);
  });

  it.each(LOCALES)('%s other-voice evaluation file shares no sentence with training', (locale) => {
    const training = new Set(INTENTS.flatMap((intent) => corpus[locale][intent].map(key)));
    const examples = parseExamples(
      readFileSync(new URL(`./eval/other-voice.${locale}.jsonl`, import.meta.url), 'utf8'),
    );
    expect(examples.length).toBeGreaterThanOrEqual(130);
    expect(examples.filter((example) => training.has(key(example.text)))).toEqual([]);
  });

  it('hashes the corpus together with the model version', () => {
    expect(corpusHash(corpus, 'v1')).toBe(corpusHash(loadCorpus(), 'v1'));
    expect(corpusHash(corpus, 'v1')).not.toBe(corpusHash(corpus, 'v2'));
  });
});
