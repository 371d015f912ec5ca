import type { DomainGate } from './domain-gate.ts';
import type { Intent, Locale } from './intents.ts';
import calibrated from './policy.json' with { type: 'json' };
import type { IntentScore } from './types.ts';

/**
 * How sure the classifier must be. `minScore`: below it the best parking intent is too weak and the
 * answer is `none`. `ambiguityMargin`: two intents closer than this are reported as ambiguous.
 * `gate`: the out-of-domain model that gives `none` its probability (the calibrated one if absent).
 * Chosen by 5-fold cross-validation on the training corpus (`npx tsx nlu/calibrate-cli.ts --write`
 * writes `policy.json`), never on evaluation files; re-run it when the corpus changes.
 */
export interface DecisionPolicy {
  minScore: number;
  ambiguityMargin: number;
  gate?: DomainGate;
}

export const DEFAULT_POLICY: Record<Locale, DecisionPolicy> = { en: calibrated.en, es: calibrated.es };

export interface Decision {
  intent: Intent;
  score: number;
  ambiguous?: [Intent, Intent];
}

/**
 * Turns a ranking into an answer: `none` when `none` wins or the winner is too weak, and an
 * ambiguity flag when the runner-up (not `none`) is close and the two together are confident.
 *
 * @example
 * decide([{ intent: 'book_parking', score: 0.5 }, { intent: 'find_parking', score: 0.45 }], policy)
 * // { intent: 'book_parking', score: 0.5, ambiguous: ['book_parking', 'find_parking'] }
 */
export function decide(ranking: IntentScore[], policy: DecisionPolicy): Decision {
  const [best, second] = ranking;
  if (!best || best.intent === 'none') return { intent: 'none', score: best?.score ?? 0 };
  // Two close parking intents that together are confident: the driver wants one of them, ask which.
  const close = second && second.intent !== 'none' && best.score - second.score < policy.ambiguityMargin;
  if (second && close && best.score + second.score >= policy.minScore) {
    return { intent: best.intent, score: best.score, ambiguous: [best.intent, second.intent] };
  }
  // Neither alone is sure, but together they are and the gate says the message is ours (a
  // "yeah, reserve the one at riverside" torn between affirm and book): ask rather than refuse.
  const together = second && second.intent !== 'none' && best.score + second.score >= policy.minScore;
  if (best.score < policy.minScore && second && together) {
    return { intent: best.intent, score: best.score, ambiguous: [best.intent, second.intent] };
  }
  if (best.score < policy.minScore) return { intent: 'none', score: best.score };
  return { intent: best.intent, score: best.score };
}
