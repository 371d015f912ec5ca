/**
 * npx tsx nlu/calibrate-cli.ts [--folds 5]
 *
 * Chooses the decision thresholds (decision.ts DEFAULT_POLICY) by k-fold cross-validation on the
 * training corpus only: each fold is classified by a model trained without it, then `minScore` is
 * the value with the best macro-F1 and `ambiguityMargin` the widest at which asking the driver
 * helps (the runner-up is right) clearly more often than it bothers them (the winner was right).
 * Evaluation files are never read here.
 */
import { parseArgs } from 'node:util';
import { loadCorpus, type Corpus } from './corpus.ts';
import { decide } from './decision.ts';
import { INTENTS, LOCALES, type Intent, type Locale } from './intents.ts';
import { evaluate } from './metrics.ts';
import { IntentModel } from './model.ts';
import type { IntentScore } from './types.ts';

interface Scored {
  label: Intent;
  ranking: IntentScore[];
  minScore: number;
}

const { values } = parseArgs({ options: { folds: { type: 'string', default: '5' } } });
const folds = Number(values.folds);
const corpus = loadCorpus();

function withoutFold(locale: Locale, fold: number): Corpus {
  const reduced = Object.fromEntries(
    INTENTS.map((intent) => [intent, corpus[locale][intent].filter((_, i) => i % folds !== fold)]),
  ) as Corpus[Locale];
  return { ...corpus, [locale]: reduced };
}

async function crossValidate(locale: Locale): Promise<Scored[]> {
  const scored: Scored[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const { model } = await IntentModel.train(withoutFold(locale, fold));
    for (const intent of INTENTS) {
      const heldOut = corpus[locale][intent].filter((_, i) => i % folds === fold);
      for (const text of heldOut) {
        scored.push({
          label: intent,
          ranking: await model.rank(model.prepare(text, locale), locale),
          minScore: 0,
        });
      }
    }
  }
  return scored;
}

// An ask must help (runner-up right) 1.5 times as often as it bothers (winner right): a needless
// question costs the driver a turn.
const ASK_WORTH = 1.5;

const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Number((from + i * step).toFixed(2)));

function chooseMinScore(scored: Scored[]): { minScore: number; macroF1: number } {
  let best = { minScore: 0.5, macroF1: -1 };
  for (const minScore of range(0.2, 0.95, 0.05)) {
    const outcomes = scored.map((s) => ({
      label: s.label,
      predicted: decide(s.ranking, { minScore, ambiguityMargin: 0 }).intent,
    }));
    const { macroF1 } = evaluate(outcomes);
    if (macroF1 > best.macroF1) best = { minScore, macroF1 };
  }
  return best;
}

/** One margin for both languages: each alone has too few close calls to choose from. */
function chooseMargin(scored: Scored[]): { margin: number; helpful: number; needless: number } {
  let chosen = { margin: 0, helpful: 0, needless: 0 };
  for (const margin of range(0.05, 0.5, 0.05)) {
    let helpful = 0;
    let needless = 0;
    for (const s of scored) {
      const decision = decide(s.ranking, { minScore: s.minScore, ambiguityMargin: margin });
      if (!decision.ambiguous) continue;
      if (decision.ambiguous[0] === s.label) needless += 1;
      else if (decision.ambiguous[1] === s.label) helpful += 1;
    }
    console.log(`  margin ${margin}: asks that help ${helpful}, needless ${needless}`);
    if (helpful >= ASK_WORTH * needless) chosen = { margin, helpful, needless };
  }
  return chosen;
}

const all: Scored[] = [];
for (const locale of LOCALES) {
  const started = performance.now();
  const scored = await crossValidate(locale);
  const { minScore, macroF1 } = chooseMinScore(scored);
  for (const s of scored) s.minScore = minScore;
  all.push(...scored);
  console.log(
    `${locale}: minScore=${minScore} (cross-validated macro-F1 ${(macroF1 * 100).toFixed(1)}%); ` +
      `${scored.length} utterances, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
const margin = chooseMargin(all);
console.log(
  `ambiguityMargin=${margin.margin} (asks that help ${margin.helpful}, needless ${margin.needless})`,
);
