import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { INTENTS, LOCALES, type Intent, type Locale } from './intents.ts';

/** Training utterances of one language, by intent. */
export type LocaleCorpus = Record<Intent, string[]>;

export type Corpus = Record<Locale, LocaleCorpus>;

/** One labelled line of an evaluation file (`{"text","label","locale"?}`). */
export interface LabelledExample {
  text: string;
  label: Intent;
  locale?: Locale;
}

const localeCorpusSchema = z.object(
  Object.fromEntries(INTENTS.map((intent) => [intent, z.array(z.string().min(1)).min(1)])) as Record<
    Intent,
    z.ZodArray<z.ZodString>
  >,
);

const exampleSchema = z.object({
  text: z.string(),
  label: z.enum(INTENTS),
  locale: z.enum(LOCALES).optional(),
});

const corpusFile = (locale: Locale) => new URL(`./corpus/${locale}.json`, import.meta.url);

/**
 * The training corpus shipped in `nlu/corpus/` (one JSON file per language).
 *
 * @example
 * const corpus = loadCorpus();
 * corpus.en.find_parking.length // ~60
 */
export function loadCorpus(): Corpus {
  const read = (locale: Locale) =>
    localeCorpusSchema.parse(JSON.parse(readFileSync(corpusFile(locale), 'utf8'))) as LocaleCorpus;
  return { en: read('en'), es: read('es') };
}

/** A stable digest of the corpus and of the code version that turns it into a model. */
export function corpusHash(corpus: Corpus, modelVersion: string): string {
  return createHash('sha256').update(modelVersion).update(JSON.stringify(corpus)).digest('hex').slice(0, 16);
}

/**
 * Parses JSON Lines of labelled examples; blank lines are skipped, a bad line throws with its number.
 *
 * @example
 * parseExamples('{"text":"hi","label":"greet"}\n') // [{ text: 'hi', label: 'greet' }]
 */
export function parseExamples(jsonl: string): LabelledExample[] {
  const examples: LabelledExample[] = [];
  jsonl.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = exampleSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`line ${index + 1}: ${parsed.error.message}`);
    const { text, label, locale } = parsed.data;
    examples.push(locale === undefined ? { text, label } : { text, label, locale });
  });
  return examples;
}

/** Total utterances per language, for reports. */
export function corpusSize(corpus: Corpus): Record<Locale, number> {
  const count = (c: LocaleCorpus) => Object.values(c).reduce((sum, list) => sum + list.length, 0);
  return { en: count(corpus.en), es: count(corpus.es) };
}
