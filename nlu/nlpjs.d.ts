// The narrow part of NLP.js (@nlpjs/basic 4.x, untyped) that nlu/ uses.
declare module '@nlpjs/basic' {
  export interface NlpClassification {
    intent: string;
    score: number;
  }

  export interface NlpClassifyOutput {
    locale: string;
    intent: string;
    score: number;
    classifications: NlpClassification[];
  }

  /** What NLP.js calls with a token array when it stems words of one language. */
  export interface NlpStemmer {
    stem(tokens: string[]): string[];
  }

  export interface NlpContainer {
    use(plugin: unknown): string;
    register(name: string, instance: NlpStemmer, isSingleton?: boolean): void;
  }

  export interface NlpSettings {
    container: NlpContainer;
    languages: string[];
    autoSave: boolean;
    autoLoad: boolean;
    threshold: number;
    nlu: { log: boolean; spellCheck?: boolean };
  }

  export class Nlp {
    constructor(settings: NlpSettings);
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    /** Intent scores without the `None`-below-threshold rewrite that `process` applies. */
    classify(locale: string, utterance: string): Promise<NlpClassifyOutput>;
    guessLanguage(utterance: string): string | undefined;
    export(minified?: boolean): string;
    import(data: string): void;
  }

  export const LangEn: unknown;
  export function containerBootstrap(): Promise<NlpContainer>;
}
