import { describe, expect, it } from 'vitest';
import { fitGate, GATE_SIGNALS, gateSignals, inDomainProbability, rankIntents } from './domain-gate.ts';
import { noWords, type ModelOutput } from './model.ts';

const known: ModelOutput = {
  scores: { book_parking: 0.9, find_parking: 0.3 },
  stems: 4,
  inDomain: 4,
  noneOnly: 0,
  unknown: 0,
  stemLogOdds: 1.2,
  minLogOdds: -0.3,
  pairLogOdds: 1.5,
};
const foreign: ModelOutput = {
  scores: { goodbye: 0.2 },
  stems: 5,
  inDomain: 1,
  noneOnly: 2,
  unknown: 2,
  stemLogOdds: -1.1,
  minLogOdds: -3,
  pairLogOdds: -0.8,
};

describe('domain gate', () => {
  it('learns to tell in-domain outputs from off-topic ones', () => {
    const examples = [
      ...Array.from({ length: 20 }, () => ({ signals: gateSignals(known), inDomain: true })),
      ...Array.from({ length: 20 }, () => ({ signals: gateSignals(foreign), inDomain: false })),
    ];
    const gate = fitGate(examples, { iterations: 500 });
    expect(gate.weights).toHaveLength(GATE_SIGNALS.length);
    expect(inDomainProbability(known, gate)).toBeGreaterThan(0.9);
    expect(inDomainProbability(foreign, gate)).toBeLessThan(0.1);
  });

  it('ranks none by the gate and shares the rest among intents as squared scores', () => {
    const gate = { bias: 0, weights: [] };
    const ranking = rankIntents(known, gate);
    expect(ranking.map((r) => r.intent)).toEqual(['none', 'book_parking', 'find_parking']);
    expect(ranking.reduce((sum, r) => sum + r.score, 0)).toBeCloseTo(1);
    expect(ranking.find((r) => r.intent === 'book_parking')?.score).toBeCloseTo((0.5 * 0.81) / 0.9);
  });

  it('says none for a message with no words', () => {
    expect(rankIntents(noWords(), { bias: 5, weights: [] })).toEqual([{ intent: 'none', score: 1 }]);
  });
});
