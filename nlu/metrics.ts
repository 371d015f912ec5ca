export interface IntentMetrics {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose gold label is this intent. */
  support: number;
  /** Examples predicted as this intent. */
  predicted: number;
}

export interface ConfusionPair {
  label: string;
  predicted: string;
  count: number;
}

export interface EvaluationReport {
  n: number;
  accuracy: number;
  /** Mean F1 over the labels present in the gold data (a label never expected cannot be recalled). */
  macroF1: number;
  perIntent: IntentMetrics[];
  /** Mistakes by (gold, predicted), most frequent first. */
  confusions: ConfusionPair[];
  none: { precision: number; recall: number; f1: number };
  /** Share of examples put on the right side of the out-of-domain line (`none` vs any other intent). */
  domainAccuracy: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const harmonic = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Precision, recall and F1 per intent, accuracy and macro-F1 of labelled predictions.
 *
 * @example
 * evaluate([{ label: 'greet', predicted: 'greet' }, { label: 'none', predicted: 'greet' }]).accuracy // 0.5
 */
export function evaluate(outcomes: ReadonlyArray<{ label: string; predicted: string }>): EvaluationReport {
  const gold = new Map<string, number>();
  const predicted = new Map<string, number>();
  const correct = new Map<string, number>();
  const confusion = new Map<string, ConfusionPair>();
  for (const { label, predicted: guess } of outcomes) {
    gold.set(label, (gold.get(label) ?? 0) + 1);
    predicted.set(guess, (predicted.get(guess) ?? 0) + 1);
    if (label === guess) {
      correct.set(label, (correct.get(label) ?? 0) + 1);
      continue;
    }
    const key = `${label}\u0000${guess}`;
    const pair = confusion.get(key) ?? { label, predicted: guess, count: 0 };
    pair.count += 1;
    confusion.set(key, pair);
  }
  const metricsFor = (intent: string): IntentMetrics => {
    const hits = correct.get(intent) ?? 0;
    const precision = ratio(hits, predicted.get(intent) ?? 0);
    const recall = ratio(hits, gold.get(intent) ?? 0);
    const support = gold.get(intent) ?? 0;
    return {
      intent,
      precision,
      recall,
      f1: harmonic(precision, recall),
      support,
      predicted: predicted.get(intent) ?? 0,
    };
  };
  const intents = [...new Set([...gold.keys(), ...predicted.keys()])].sort();
  const perIntent = intents.map(metricsFor);
  const scored = perIntent.filter((m) => m.support > 0);
  const hits = [...correct.values()].reduce((sum, count) => sum + count, 0);
  const none = metricsFor('none');
  return {
    n: outcomes.length,
    accuracy: ratio(hits, outcomes.length),
    macroF1: ratio(
      scored.reduce((sum, m) => sum + m.f1, 0),
      scored.length,
    ),
    perIntent,
    confusions: [...confusion.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
    none: { precision: none.precision, recall: none.recall, f1: none.f1 },
    domainAccuracy: ratio(
      outcomes.filter(({ label, predicted: guess }) => (label === 'none') === (guess === 'none')).length,
      outcomes.length,
    ),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);

/** A plain-text table of the report, for the evaluation command. */
export function formatReport(report: EvaluationReport, topConfusions = 12): string {
  const lines = [`intent              precision  recall      F1  support  predicted`];
  for (const m of report.perIntent) {
    lines.push(
      `${m.intent.padEnd(18)} ${pct(m.precision)}  ${pct(m.recall)} ${pct(m.f1)} ${String(m.support).padStart(8)} ${String(m.predicted).padStart(10)}`,
    );
  }
  lines.push('', 'most frequent confusions (gold → predicted):');
  for (const c of report.confusions.slice(0, topConfusions))
    lines.push(`  ${c.label} → ${c.predicted}: ${c.count}`);
  if (report.confusions.length === 0) lines.push('  none');
  lines.push(
    '',
    `n=${report.n}  accuracy=${pct(report.accuracy).trim()}  macro-F1=${pct(report.macroF1).trim()}`,
    `none: precision=${pct(report.none.precision).trim()} recall=${pct(report.none.recall).trim()} F1=${pct(report.none.f1).trim()}`,
    `in domain vs none: accuracy=${pct(report.domainAccuracy).trim()}`,
  );
  return lines.join('\n');
}

/** The evaluation command's last line: one JSON object, `accuracy`, `macroF1` and `n` first. */
export function summaryLine(report: EvaluationReport): string {
  const round = (x: number) => Number(x.toFixed(4));
  return JSON.stringify({
    accuracy: round(report.accuracy),
    macroF1: round(report.macroF1),
    n: report.n,
    nonePrecision: round(report.none.precision),
    noneRecall: round(report.none.recall),
    domainAccuracy: round(report.domainAccuracy),
  });
}
