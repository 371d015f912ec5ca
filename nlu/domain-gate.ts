import type { Intent } from './intents.ts';
import type { ModelOutput } from './model.ts';
import type { IntentScore } from './types.ts';

/**
 * Is a message about what this bot does at all? A logistic model over signals the intent
 * classifier alone hides: how strongly any class fires before renormalisation, how much of the
 * message is vocabulary of our parking and small-talk sentences rather than of the off-topic
 * ones, or of none, and how strongly its words and word pairs lean to either side (log-odds of
 * their use in our in-domain and off-topic sentences: "rate" and "card" lean off-topic even
 * though a parking sentence uses them too). Its weights are fitted by `calibrate-cli.ts` on cross-validated outputs of
 * our own corpus (in-domain sentences against our own off-topic ones).
 */
export interface DomainGate {
  bias: number;
  /** One weight per entry of `GATE_SIGNALS`. */
  weights: number[];
}

// Raw outputs above this carry no more information, and very large ones would dominate.
const RAW_CAP = 1.5;

export const GATE_SIGNALS = [
  'bestIntentShare',
  'noneShare',
  'bestIntentRaw',
  'noneRaw',
  'inDomainCoverage',
  'outOfDomainStems',
  'offTopicStems',
  'unknownStems',
  'logLength',
  'stemLogOdds',
  'minLogOdds',
  'pairLogOdds',
] as const;

/** Each class's raw score squared and renormalised over all classes, as NLP.js reports them. */
function shares(output: ModelOutput): Map<Intent, number> {
  const squared = Object.entries(output.scores).map(
    ([intent, score]) => [intent as Intent, score * score] as const,
  );
  const total = squared.reduce((sum, [, score]) => sum + score, 0);
  return new Map(squared.map(([intent, score]) => [intent, total > 0 ? score / total : 0]));
}

/** The gate's inputs, in `GATE_SIGNALS` order. */
export function gateSignals(output: ModelOutput): number[] {
  const share = shares(output);
  let bestShare = 0;
  let bestRaw = 0;
  for (const [intent, score] of Object.entries(output.scores)) {
    if (intent === 'none') continue;
    bestShare = Math.max(bestShare, share.get(intent as Intent) ?? 0);
    bestRaw = Math.max(bestRaw, score);
  }
  const stems = Math.max(1, output.stems);
  return [
    bestShare,
    share.get('none') ?? 0,
    Math.min(bestRaw, RAW_CAP),
    Math.min(output.scores.none ?? 0, RAW_CAP),
    output.inDomain / stems,
    stems - output.inDomain,
    output.noneOnly,
    output.unknown,
    Math.log(stems),
    output.stemLogOdds,
    output.minLogOdds,
    output.pairLogOdds,
  ];
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Probability that the message is about parking or small talk with the bot. */
export function inDomainProbability(output: ModelOutput, gate: DomainGate): number {
  if (output.stems === 0) return 0;
  const signals = gateSignals(output);
  return sigmoid(signals.reduce((sum, value, i) => sum + value * (gate.weights[i] ?? 0), gate.bias));
}

/**
 * Every class's probability, best first: `none` is the gate's out-of-domain probability, and the
 * in-domain mass is shared among intents as NLP.js would (raw scores squared and renormalised).
 *
 * @example
 * rankIntents(model output for "turn off the bedroom lights", gate)
 * // [{ intent: 'none', score: 0.93 }, { intent: 'goodbye', score: 0.07 }, …]
 */
export function rankIntents(output: ModelOutput, gate: DomainGate): IntentScore[] {
  const inDomain = inDomainProbability(output, gate);
  const intents = Object.entries(output.scores).filter(([intent, score]) => intent !== 'none' && score > 0);
  const total = intents.reduce((sum, [, score]) => sum + score * score, 0);
  // When no intent fires (a bare plate) the in-domain mass stays unassigned: none is still 1 − p.
  const ranking: IntentScore[] = [{ intent: 'none', score: 1 - inDomain }];
  if (total > 0) {
    for (const [intent, score] of intents) {
      ranking.push({ intent: intent as Intent, score: (inDomain * score * score) / total });
    }
  }
  return ranking.sort((a, b) => b.score - a.score);
}

/**
 * Fits the gate by L2-regularised logistic regression (inputs standardised while fitting, the
 * weights then stated on the raw signals).
 *
 * @example
 * fitGate(heldOut.map((h) => ({ signals: gateSignals(h.output), inDomain: h.label !== 'none' })))
 */
export function fitGate(
  examples: ReadonlyArray<{ signals: number[]; inDomain: boolean }>,
  { l2 = 0.01, iterations = 3000, rate = 0.5 } = {},
): DomainGate {
  const n = examples.length;
  const width = GATE_SIGNALS.length;
  const mean = Array.from(
    { length: width },
    (_, j) => examples.reduce((s, e) => s + (e.signals[j] ?? 0), 0) / n,
  );
  const spread = mean.map(
    (m, j) => Math.sqrt(examples.reduce((s, e) => s + ((e.signals[j] ?? 0) - m) ** 2, 0) / n) || 1,
  );
  const rows = examples.map((e) => e.signals.map((v, j) => (v - (mean[j] ?? 0)) / (spread[j] ?? 1)));
  let bias = 0;
  const w = new Array<number>(width).fill(0);
  for (let step = 0; step < iterations; step += 1) {
    let gradBias = 0;
    const grad = new Array<number>(width).fill(0);
    rows.forEach((row, i) => {
      const error =
        sigmoid(row.reduce((s, v, j) => s + v * (w[j] ?? 0), bias)) - (examples[i]?.inDomain ? 1 : 0);
      gradBias += error / n;
      row.forEach((v, j) => (grad[j] = (grad[j] ?? 0) + (error * v) / n));
    });
    bias -= rate * gradBias;
    for (let j = 0; j < width; j += 1) w[j] = (w[j] ?? 0) - rate * ((grad[j] ?? 0) + l2 * (w[j] ?? 0));
  }
  const weights = w.map((v, j) => v / (spread[j] ?? 1));
  return { bias: bias - weights.reduce((s, v, j) => s + v * (mean[j] ?? 0), 0), weights };
}
