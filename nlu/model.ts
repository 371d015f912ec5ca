import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerBootstrap, LangEn, Nlp } from '@nlpjs/basic';
import { corpusHash, type Corpus } from './corpus.ts';
import { INTENTS, isIntent, LOCALES, type Intent, type Locale } from './intents.ts';
import { normaliseWords } from './text/normalise.ts';
import { stemSpanish } from './text/spanish-stemmer.ts';
import { TypoCorrector } from './text/typo-corrector.ts';
import type { IntentScore } from './types.ts';

// Part of the cache key: bump it when preparation or stemming changes, or a stale model would load.
const MODEL_VERSION = 'nlu-model-3';

export interface TrainedModel {
  model: IntentModel;
  trainingMs: number;
  fromCache: boolean;
  cacheKey: string;
}

/**
 * NLP.js intent classifiers for English and Spanish, trained on the same prepared words
 * (shorthand expanded, typos corrected) that `rank` later sees.
 *
 * @example
 * const { model } = await IntentModel.train(loadCorpus(), { cacheDir: '.data/nlu-cache' });
 * await model.rank('book me a spot tmrw', 'en') // [{ intent: 'book_parking', score: 0.93 }, …]
 */
export class IntentModel {
  private constructor(
    private readonly nlp: Nlp,
    private readonly correctors: Record<Locale, TypoCorrector>,
  ) {}

  static async train(corpus: Corpus, options: { cacheDir?: string } = {}): Promise<TrainedModel> {
    const started = performance.now();
    const cacheKey = corpusHash(corpus, MODEL_VERSION);
    const correctors = buildCorrectors(corpus);
    const nlp = await createNlp();
    const cacheFile = options.cacheDir ? join(options.cacheDir, `intent-model-${cacheKey}.json`) : undefined;
    const model = new IntentModel(nlp, correctors);
    let fromCache = false;
    if (cacheFile && existsSync(cacheFile)) {
      nlp.import(readFileSync(cacheFile, 'utf8'));
      fromCache = true;
    } else {
      for (const locale of LOCALES) {
        for (const intent of INTENTS) {
          for (const utterance of corpus[locale][intent]) {
            const words = model.prepare(utterance, locale);
            if (words.length > 0) nlp.addDocument(locale, words.join(' '), intent);
          }
        }
      }
      await nlp.train();
      if (cacheFile && options.cacheDir) writeCache(options.cacheDir, cacheFile, nlp.export(true));
    }
    return { model, trainingMs: performance.now() - started, fromCache, cacheKey };
  }

  /** The words the classifier sees: folded, shorthand expanded, typos corrected against the corpus. */
  prepare(text: string, locale: Locale): string[] {
    const corrector = this.correctors[locale];
    return normaliseWords(text, locale).map((word) => corrector.correct(word));
  }

  /** How often the corpus of `locale` uses `word` (for language detection). */
  frequency(word: string, locale: Locale): number {
    return this.correctors[locale].frequency(word);
  }

  guessLanguage(text: string): string | undefined {
    return this.nlp.guessLanguage(text);
  }

  /**
   * Every intent's probability, best first. NLP.js's own `None` (its unknown-words feature) is
   * folded into our trained `none`.
   */
  async rank(words: string[], locale: Locale): Promise<IntentScore[]> {
    if (words.length === 0) return [{ intent: 'none', score: 1 }];
    const output = await this.nlp.classify(locale, words.join(' '));
    const scores = new Map<Intent, number>();
    for (const { intent, score } of output.classifications) {
      const ours: Intent = isIntent(intent) ? intent : 'none';
      scores.set(ours, (scores.get(ours) ?? 0) + score);
    }
    const ranking = [...scores].map(([intent, score]) => ({ intent, score }));
    return ranking.sort((a, b) => b.score - a.score);
  }
}

async function createNlp(): Promise<Nlp> {
  const container = await containerBootstrap();
  container.use(LangEn);
  container.register('stemmer-es', { stem: (tokens: string[]) => tokens.map(stemSpanish) });
  // threshold 0: NLP.js must not replace weak answers with `None`/1 — deciding that is ours.
  return new Nlp({
    container,
    languages: [...LOCALES],
    autoSave: false,
    autoLoad: false,
    threshold: 0,
    nlu: { log: false },
  });
}

function buildCorrectors(corpus: Corpus): Record<Locale, TypoCorrector> {
  const words = (locale: Locale) =>
    Object.values(corpus[locale]).flatMap((utterances) =>
      utterances.flatMap((utterance) => normaliseWords(utterance, locale)),
    );
  return { en: new TypoCorrector(words('en')), es: new TypoCorrector(words('es')) };
}

// Written beside and renamed into place, so a crash or a second instance never leaves half a file.
function writeCache(dir: string, file: string, data: string): void {
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}
