import { loadCorpus, type Corpus } from './corpus.ts';
import { decide, DEFAULT_POLICY, type Decision, type DecisionPolicy } from './decision.ts';
import { rankIntents } from './domain-gate.ts';
import { extractEntities, FacilityFinder } from './entities/index.ts';
import type { Intent, Locale } from './intents.ts';
import { detectLocale } from './language.ts';
import { capitalisedNames, IntentModel } from './model.ts';
import type { ClassifyOptions, Entities, FacilityRef, IntentScore, NluResult } from './types.ts';

// Without a calibrated gate every message counts as in domain (tests of the decision rule alone).
const NO_GATE = { bias: 10, weights: [] };

export interface NluOptions {
  /** Car parks to recognise by name or alias; replace later with `setFacilities`. */
  facilities?: readonly FacilityRef[];
  /** Where trained models are kept, keyed by the corpus's hash; without it every start trains. */
  cacheDir?: string;
  /** Language when detection cannot tell (a bare "ok"). Defaults to English. */
  defaultLocale?: Locale;
  /** Replaces the shipped corpus (tests, calibration). */
  corpus?: Corpus;
  /** Replaces the calibrated thresholds (calibration). */
  policy?: Record<Locale, DecisionPolicy>;
}

export interface Nlu {
  /**
   * Intent, confidence, language and entities of one chat message.
   *
   * @example
   * const result = await nlu.classify('book riverside tmrw 9-11', { timeZone: 'Europe/London' });
   * result.intent          // 'book_parking'
   * result.entities.time   // { start: Date, end: Date, text: 'tomorrow from 9:00 to 11:00' }
   */
  classify(text: string, options?: ClassifyOptions): Promise<NluResult>;
  /** Replaces the facilities recognised by name (call when car parks are added or renamed). */
  setFacilities(facilities: readonly FacilityRef[]): void;
  /** How the models were obtained at start. */
  readonly training: { ms: number; fromCache: boolean; cacheKey: string };
}

/**
 * Trains (or loads from `cacheDir`) the intent models and returns the classifier.
 *
 * @example
 * const nlu = await createNlu({ facilities: [{ id: 'f1', name: 'Riverside Car Park', aliases: [] }] });
 * const { intent, entities } = await nlu.classify('cancel PK7F3K9Q');
 */
export async function createNlu(options: NluOptions = {}): Promise<Nlu> {
  const trained = await IntentModel.train(options.corpus ?? loadCorpus(), {
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
  });
  const { model } = trained;
  const policy = options.policy ?? DEFAULT_POLICY;
  let facilities = new FacilityFinder(options.facilities ?? []);
  return {
    training: { ms: trained.trainingMs, fromCache: trained.fromCache, cacheKey: trained.cacheKey },
    setFacilities(list) {
      facilities = new FacilityFinder(list);
    },
    async classify(text, classifyOptions = {}) {
      const locale =
        classifyOptions.locale ??
        detectLocale(
          text,
          model,
          classifyOptions.languageHint ?? options.defaultLocale,
          facilities.find(text)?.matched,
          classifyOptions.languageHint !== undefined,
        );
      const entities = extractEntities(text, {
        locale,
        now: classifyOptions.now ?? new Date(),
        timeZone: classifyOptions.timeZone ?? 'UTC',
        facilities,
      });
      // Names, plates and times are not words about the intent: the model sees placeholders.
      const known = {
        facility: entities.facility?.matched,
        place: entities.place,
        names: capitalisedNames(text),
      };
      const output = await model.analyse(model.prepare(text, locale, known), locale, known);
      const localePolicy = policy[locale];
      const ranking = rankIntents(output, localePolicy.gate ?? DEFAULT_POLICY[locale].gate ?? NO_GATE);
      const decision = asRequest(decide(ranking, localePolicy), entities, ranking);
      return { ...decision, locale, entities, ranking: ranking.slice(0, 3) };
    },
  };
}

// Intents that say nothing of what a message wants beside a car park and a time window.
const SAY_LITTLE: ReadonlySet<Intent> = new Set(['none', 'greet', 'goodbye', 'thanks', 'affirm', 'deny']);

/**
 * A car park and a time window say what the message wants when its words don't ("kings cross
 * 2moro 10 to 12", "yes, kx tmrw 9 til 11"): a request to book. Its score is then the gate's
 * probability that the message is ours (1 − none), the real probability closest to that claim.
 */
function asRequest(decision: Decision, entities: Entities, ranking: IntentScore[]): Decision {
  const window = entities.time?.start && entities.time.end;
  if (!entities.facility || !window || !SAY_LITTLE.has(decision.intent)) return decision;
  const none = ranking.find((r) => r.intent === 'none')?.score ?? 0;
  return { intent: 'book_parking', score: 1 - none };
}
