// nlu: intents and entities of drivers' chat messages, in English and Spanish, from NLP.js models
// trained on our own corpus. It depends on nothing else of ours: facilities are given to it.

// Commonly used
export { createNlu, type Nlu, type NluOptions } from './nlu.ts';
export { INTENTS, LOCALES, isIntent, isLocale, type Intent, type Locale } from './intents.ts';
export type {
  ClassifyOptions,
  Entities,
  FacilityMatch,
  FacilityRef,
  IntentScore,
  NluResult,
  SpaceKind,
  TimeEntity,
} from './types.ts';

// Advanced: evaluation, corpus and the decision rule
export {
  evaluate,
  formatReport,
  summaryLine,
  type ConfusionPair,
  type EvaluationReport,
  type IntentMetrics,
} from './metrics.ts';
export { evaluateExamples, type Misclassification } from './evaluation.ts';
export { loadCorpus, parseExamples, corpusSize, type Corpus, type LabelledExample } from './corpus.ts';
export { decide, DEFAULT_POLICY, type DecisionPolicy } from './decision.ts';
