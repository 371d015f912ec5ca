import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerBootstrap, LangEn, type NlpContainer } from '@nlpjs/basic';
import { Language } from '@nlpjs/language-min';
import { NluNeural } from '@nlpjs/nlu';
import { corpusHash, type Corpus } from './corpus.ts';
import { INTENTS, isIntent, LOCALES, type Intent, type Locale } from './intents.ts';
import { normaliseWords } from './text/normalise.ts';
import { isPlaceholder, maskEntities, maskNumber, PLACEHOLDERS } from './text/placeholders.ts';
import { stemSpanish } from './text/spanish-stemmer.ts';
import { TypoCorrector } from './text/typo-corrector.ts';

// Part of the cache key: bump it when preparation or stemming changes, or a stale model would load.
const MODEL_VERSION = 'nlu-model-10';

// Marks word pairs ("book it" vs "cancel it") as features of their own; no real word starts so.
const PAIR = 'zb';

export interface TrainedModel {
  model: IntentModel;
  trainingMs: number;
  fromCache: boolean;
  cacheKey: string;
}

/**
 * What the classifier made of a message: each class's raw perceptron output (about 1 for a class
 * it recognises, near 0 otherwise — not yet squared and renormalised, which would turn one weak
 * known word into a certainty) and how much of the message's vocabulary it knows.
 */
export interface ModelOutput {
  scores: Partial<Record<Intent, number>>;
  /** Distinct stems of the message. */
  stems: number;
  /** Stems that parking or small-talk sentences of the corpus use (placeholders and forgiven names count). */
  inDomain: number;
  /** Stems only off-topic sentences of the corpus use. */
  noneOnly: number;
  /** Stems the corpus never uses. */
  unknown: number;
  /**
   * How much more in-domain than off-topic sentences use the message's stems: the mean log-odds
   * (unknown stems count 0), that of its most off-topic stem, and the mean over its known word
   * pairs ("my card" is another topic's, "my booking" ours, though "my" is both).
   */
  stemLogOdds: number;
  minLogOdds: number;
  pairLogOdds: number;
}

/** What the classifier makes of a message with no words: nothing recognised, nothing known. */
export const noWords = (): ModelOutput => ({
  scores: {},
  stems: 0,
  inDomain: 0,
  noneOnly: 0,
  unknown: 0,
  stemLogOdds: 0,
  minLogOdds: 0,
  pairLogOdds: 0,
});

/** What the message is known to contain, so that it is not read as unknown words. */
export interface KnownSpans {
  /** The facility's words as found in the message (`FacilityMatch.matched`). */
  facility?: string;
  /** Landmark text ("Old Trafford"): its unknown words are names, not a sign of another topic. */
  place?: string;
  /** Other names (`capitalisedNames`), forgiven alike. */
  names?: string;
}

/**
 * Words capitalised inside a sentence ("book Victoria for 10am"): names, whose unknown words are
 * no sign of another topic either.
 *
 * @example
 * capitalisedNames('book Victoria tomorrow') // 'Victoria'
 */
export function capitalisedNames(text: string): string {
  return text
    .split(/\s+/)
    .slice(1)
    .filter((word) => /^\p{Lu}\p{Ll}/u.test(word))
    .join(' ');
}

// Our normalisation happens before; these give NLP.js raw outputs and our Spanish stems.
class RawNlu extends NluNeural {
  private last?: { text: string; stems: Promise<Record<string, number>> };

  override normalizeClassifications(input: { classifications: unknown }): unknown {
    return input;
  }

  // `analyse` needs the stems `process` has just prepared from the same text: stem it once. (NLP.js
  // passes copies of the classifier's own settings; we never pass others.)
  override prepare(utterance: string, settings?: unknown): Promise<Record<string, number>> {
    if (typeof utterance !== 'string') return super.prepare(utterance, settings);
    if (this.last?.text !== utterance) {
      this.last = { text: utterance, stems: super.prepare(utterance, settings) };
    }
    return this.last.stems;
  }
}

/**
 * NLP.js intent classifiers for English and Spanish, trained on the same prepared words
 * (entities masked, shorthand expanded, typos corrected, word pairs added) that `analyse` sees.
 *
 * @example
 * const { model } = await IntentModel.train(loadCorpus(), { cacheDir: '.data/nlu-cache' });
 * await model.analyse(model.prepare('book me a spot tmrw', 'en'), 'en') // { scores: { book_parking: 0.98, … }, … }
 */
export class IntentModel {
  private readonly guesser = new Language();
  private readonly vocabulary: Record<Locale, { inDomain: Set<string>; none: Set<string> }>;

  private constructor(
    private readonly classifiers: Record<Locale, RawNlu>,
    private readonly correctors: Record<Locale, TypoCorrector>,
    private readonly usage: Record<Locale, StemUsage>,
  ) {
    this.vocabulary = { en: vocabularyOf(classifiers.en), es: vocabularyOf(classifiers.es) };
  }

  static async train(corpus: Corpus, options: { cacheDir?: string } = {}): Promise<TrainedModel> {
    const started = performance.now();
    const cacheKey = corpusHash(corpus, MODEL_VERSION);
    const correctors = buildCorrectors(corpus);
    const container = await createContainer();
    const classifiers = {
      en: new RawNlu({ locale: 'en', useNoneFeature: false, log: false }, container),
      es: new RawNlu({ locale: 'es', useNoneFeature: false, log: false }, container),
    };
    const cacheFile = options.cacheDir ? join(options.cacheDir, `intent-model-${cacheKey}.json`) : undefined;
    let fromCache = false;
    let usage: Record<Locale, StemUsage>;
    if (cacheFile && existsSync(cacheFile)) {
      const saved = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<Locale, unknown> & {
        usage: Record<Locale, StemUsage>;
      };
      for (const locale of LOCALES) classifiers[locale].fromJSON(saved[locale]);
      usage = saved.usage;
      fromCache = true;
    } else {
      const counted: Partial<Record<Locale, StemUsage>> = {};
      for (const locale of LOCALES) {
        const documents = INTENTS.flatMap((intent) =>
          corpus[locale][intent].map((utterance) => ({
            utterance: withPairs(prepareWords(asFacilities(utterance), locale, correctors[locale])).join(' '),
            intent,
          })),
        );
        const kept = documents.filter((document) => document.utterance !== '');
        await classifiers[locale].train(kept);
        counted[locale] = await countUsage(classifiers[locale], kept);
      }
      usage = { en: counted.en ?? emptyUsage(), es: counted.es ?? emptyUsage() };
      const saved = { en: classifiers.en.toJSON(), es: classifiers.es.toJSON(), usage };
      if (cacheFile && options.cacheDir) writeCache(options.cacheDir, cacheFile, JSON.stringify(saved));
    }
    const model = new IntentModel(classifiers, correctors, usage);
    return { model, trainingMs: performance.now() - started, fromCache, cacheKey };
  }

  /** The words the classifier sees: entities masked, folded, shorthand expanded, typos corrected. */
  prepare(text: string, locale: Locale, known: KnownSpans = {}): string[] {
    return prepareWords(text, locale, this.correctors[locale], known.facility);
  }

  /** How often the corpus of `locale` uses `word` (for language detection). */
  frequency(word: string, locale: Locale): number {
    return this.correctors[locale].frequency(word);
  }

  /** NLP.js's trigram guess between our languages. */
  guessLanguage(text: string): string | undefined {
    return this.guesser.guess(text, [...LOCALES], 1)[0]?.alpha2;
  }

  /** Raw class scores and vocabulary coverage of prepared words (NLP.js's `None` folds into `none`). */
  async analyse(words: string[], locale: Locale, known: KnownSpans = {}): Promise<ModelOutput> {
    const output = noWords();
    if (words.length === 0) return output;
    const classifier = this.classifiers[locale];
    const paired = withPairs(words).join(' ');
    const { classifications } = await classifier.process(paired);
    for (const { intent, score } of classifications) {
      const ours: Intent = isIntent(intent) ? intent : 'none';
      output.scores[ours] = (output.scores[ours] ?? 0) + score;
    }
    const names = [known.place, known.names].filter(Boolean).join(' ');
    const forgiven = names ? await classifier.prepare(this.prepare(names, locale).join(' ')) : {};
    const { inDomain, none } = this.vocabulary[locale];
    const usage = this.usage[locale];
    let pairs = 0;
    for (const stem of Object.keys(await classifier.prepare(paired))) {
      const odds = logOdds(usage, stem);
      if (stem.startsWith(PAIR)) {
        if (odds === undefined) continue;
        pairs += 1;
        output.pairLogOdds += odds;
        continue;
      }
      output.stems += 1;
      output.stemLogOdds += odds ?? 0;
      output.minLogOdds = Math.min(output.minLogOdds, odds ?? 0);
      if (inDomain.has(stem) || isPlaceholder(stem)) output.inDomain += 1;
      else if (none.has(stem)) output.noneOnly += 1;
      else if (Object.hasOwn(forgiven, stem)) output.inDomain += 1;
      else output.unknown += 1;
    }
    if (output.stems > 0) output.stemLogOdds /= output.stems;
    if (pairs > 0) output.pairLogOdds /= pairs;
    return output;
  }
}

/**
 * In how many in-domain and off-topic training sentences each stem (and word pair) occurs: what
 * the gate's log-odds are read from.
 */
interface StemUsage {
  inDomainSentences: number;
  noneSentences: number;
  /** stem → [in-domain sentences, off-topic sentences] */
  stems: Record<string, [number, number]>;
}

const emptyUsage = (): StemUsage => ({ inDomainSentences: 0, noneSentences: 0, stems: {} });

async function countUsage(
  classifier: RawNlu,
  documents: ReadonlyArray<{ utterance: string; intent: Intent }>,
): Promise<StemUsage> {
  const usage = emptyUsage();
  for (const { utterance, intent } of documents) {
    const side = intent === 'none' ? 1 : 0;
    if (side === 1) usage.noneSentences += 1;
    else usage.inDomainSentences += 1;
    for (const stem of Object.keys(await classifier.prepare(utterance))) {
      const counts = (usage.stems[stem] ??= [0, 0]);
      counts[side] += 1;
    }
  }
  return usage;
}

// One stem alone says at most this much (a word seen in 40 off-topic sentences and no parking one
// is strong evidence, but not proof).
const ODDS_CAP = 4;

/** ln(share of in-domain sentences using the stem / share of off-topic ones), smoothed; unseen: undefined. */
function logOdds(usage: StemUsage, stem: string): number | undefined {
  const counts = usage.stems[stem];
  if (!counts) return undefined;
  const odds =
    Math.log((counts[0] + 0.5) / (usage.inDomainSentences + 1)) -
    Math.log((counts[1] + 0.5) / (usage.noneSentences + 1));
  return Math.max(-ODDS_CAP, Math.min(ODDS_CAP, odds));
}

function prepareWords(text: string, locale: Locale, corrector: TypoCorrector, facility?: string): string[] {
  return normaliseWords(maskEntities(text, facility), locale)
    .flatMap(maskNumber)
    .filter((word, i, words) => word !== PLACEHOLDERS.facility || words[i - 1] !== word)
    .map((word) => (isPlaceholder(word) ? word : corrector.correct(word)));
}

// The corpus writes car parks' names capitalised ("book Marylebone 8-6", "Marylebone tmrw 8-6"); the
// model learns them as the placeholder that a configured facility's name becomes at run time. (The
// corpus is written in lower case, and "I" alone is no name.)
function asFacilities(utterance: string): string {
  return utterance.replace(/(?<=\S\s+)\p{Lu}\p{Ll}[\p{L}'’]*/gu, PLACEHOLDERS.facility);
}

function withPairs(words: string[]): string[] {
  const letters = (word: string) => word.replace(/[^a-z]/g, '');
  const pairs = words.slice(1).map((word, i) => `${PAIR}${letters(words[i] ?? '')}x${letters(word)}`);
  return [...words, ...pairs];
}

function vocabularyOf(classifier: RawNlu): { inDomain: Set<string>; none: Set<string> } {
  const inDomain = new Set<string>();
  const none = new Set<string>();
  for (const [intent, features] of Object.entries(classifier.intentFeatures)) {
    for (const stem of Object.keys(features)) {
      if (stem.startsWith(PAIR)) continue;
      (intent === 'none' ? none : inDomain).add(stem);
    }
  }
  return { inDomain, none };
}

async function createContainer(): Promise<NlpContainer> {
  const container = await containerBootstrap();
  container.use(LangEn);
  container.register('stemmer-es', { stem: (tokens: string[]) => tokens.map(stemSpanish) });
  return container;
}

function buildCorrectors(corpus: Corpus): Record<Locale, TypoCorrector> {
  const words = (locale: Locale) =>
    Object.values(corpus[locale]).flatMap((utterances) =>
      utterances.flatMap((utterance) => normaliseWords(maskEntities(utterance), locale).flatMap(maskNumber)),
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
