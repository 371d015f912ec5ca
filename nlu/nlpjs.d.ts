// The narrow part of NLP.js (4.x, untyped) that nlu/ uses.
declare module '@nlpjs/basic' {
  /** What NLP.js calls with a token array when it stems words of one language. */
  export interface NlpStemmer {
    stem(tokens: string[]): string[];
  }

  export interface NlpContainer {
    use(plugin: unknown): string;
    register(name: string, instance: NlpStemmer, isSingleton?: boolean): void;
  }

  export function containerBootstrap(): Promise<NlpContainer>;
  export const LangEn: unknown;
}

declare module '@nlpjs/nlu' {
  import type { NlpContainer } from '@nlpjs/basic';

  export interface NluClassification {
    intent: string;
    score: number;
  }

  /** One language's intent classifier: a one-vs-rest layer of perceptrons over stemmed words. */
  export class NluNeural {
    constructor(settings: { locale: string; useNoneFeature: boolean; log: boolean }, container: NlpContainer);
    /** Stems seen in training, and by intent. */
    features: Record<string, number>;
    intentFeatures: Record<string, Record<string, number>>;
    train(corpus: Array<{ utterance: string; intent: string }>): Promise<unknown>;
    /** The stems of an utterance, as keys. */
    prepare(utterance: string, settings?: unknown): Promise<Record<string, number>>;
    process(utterance: string): Promise<{ classifications: NluClassification[] }>;
    /** Squares and renormalises the scores in place (the last step of `process`). */
    normalizeClassifications(input: { classifications: NluClassification[] }): unknown;
    toJSON(): unknown;
    fromJSON(json: unknown): void;
  }
}

declare module '@nlpjs/language-min' {
  export class Language {
    guess(utterance: string, allowList?: string[], limit?: number): Array<{ alpha2: string; score: number }>;
  }
}
