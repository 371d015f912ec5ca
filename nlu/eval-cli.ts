/**
 * npm run nlu:eval -- <file.jsonl> [--locale en|es] [--errors] [--cache dir]
 *
 * Classifies each `{"text","label","locale"?}` line and prints per-intent precision, recall and F1,
 * the most frequent confusions, accuracy, macro-F1 and `none` precision/recall. The last line is
 * one JSON object: {"accuracy":…,"macroF1":…,"n":…,"nonePrecision":…,"noneRecall":…}.
 * `--errors` lists the misclassified lines (for our own splits; don't study the held-out files).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseExamples } from './corpus.ts';
import { evaluateExamples } from './evaluation.ts';
import { isLocale } from './intents.ts';
import { formatReport, summaryLine } from './metrics.ts';
import { createNlu } from './nlu.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    locale: { type: 'string' },
    errors: { type: 'boolean', default: false },
    cache: { type: 'string' },
  },
});
const file = positionals[0];
const locale = values.locale;
if (!file || (locale !== undefined && !isLocale(locale))) {
  console.error('usage: npm run nlu:eval -- <file.jsonl> [--locale en|es] [--errors] [--cache dir]');
  process.exit(2);
}

const examples = parseExamples(readFileSync(file, 'utf8'));
const nlu = await createNlu(values.cache ? { cacheDir: values.cache } : {});
console.log(
  `model ${nlu.training.fromCache ? 'loaded from cache' : 'trained'} in ${nlu.training.ms.toFixed(0)} ms`,
);
const { report, errors } = await evaluateExamples(
  examples,
  (text, options) => nlu.classify(text, options),
  locale,
);
if (values.errors) {
  for (const e of errors) {
    console.log(
      `  ✗ [${e.locale}] ${e.example.label} → ${e.predicted} (${e.score.toFixed(2)}): ${e.example.text}`,
    );
  }
}
console.log(`${file}\n${formatReport(report)}`);
console.log(summaryLine(report));
