import type { LabelledExample } from './corpus.ts';
import type { Intent, Locale } from './intents.ts';
import { evaluate, type EvaluationReport } from './metrics.ts';

export interface Misclassification {
  example: LabelledExample;
  predicted: Intent;
  score: number;
  locale: Locale;
}

type Classify = (
  text: string,
  options: { locale?: Locale },
) => Promise<{ intent: Intent; score: number; locale: Locale }>;

/**
 * Classifies labelled examples and scores the predictions. `locale` (if given) overrides each
 * example's own; an example without one is left to language detection.
 *
 * @example
 * const { report } = await evaluateExamples(parseExamples(text), (t, o) => nlu.classify(t, o));
 */
export async function evaluateExamples(
  examples: readonly LabelledExample[],
  classify: Classify,
  locale?: Locale,
): Promise<{ report: EvaluationReport; errors: Misclassification[] }> {
  const outcomes: Array<{ label: string; predicted: string }> = [];
  const errors: Misclassification[] = [];
  for (const example of examples) {
    const fixed = locale ?? example.locale;
    const result = await classify(example.text, fixed ? { locale: fixed } : {});
    outcomes.push({ label: example.label, predicted: result.intent });
    if (result.intent !== example.label) {
      errors.push({ example, predicted: result.intent, score: result.score, locale: result.locale });
    }
  }
  return { report: evaluate(outcomes), errors };
}
