/**
 * npm run nlu:eval -- <file.jsonl> [--locale en|es] [--errors]
 *
 * Classifies each `{"text","label","locale"?}` line and prints per-intent precision, recall and F1,
 * the most frequent confusions, accuracy, macro-F1 and `none` precision/recall. The last line is
 * one JSON object: {"accuracy":…,"macroF1":…,"n":…,…}.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseExamples } from './corpus.ts';
import { isLocale } from './intents.ts';
import { evaluate, formatReport, summaryLine } from './metrics.ts';
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
if (!file) {
  console.error('usage: npm run nlu:eval -- <file.jsonl> [--locale en|es] [--errors] [--cache dir]');
  process.exit(2);
}
const forced = values.locale;
if (forced !== undefined && !isLocale(forced)) {
  console.error(`--locale must be en or es, not ${forced}`);
  process.exit(2);
}

const examples = parseExamples(readFileSync(file, 'utf8'));
const nlu = await createNlu(values.cache ? { cacheDir: values.cache } : {});
console.log(
  `model ${nlu.training.fromCache ? 'loaded from cache' : 'trained'} in ${nlu.training.ms.toFixed(0)} ms`,
);

const outcomes = [];
for (const example of examples) {
  const locale = forced ?? example.locale;
  const result = await nlu.classify(example.text, locale ? { locale } : {});
  outcomes.push({ label: example.label, predicted: result.intent });
  if (values.errors && result.intent !== example.label) {
    console.log(
      `  ✗ [${result.locale}] ${example.label} → ${result.intent} (${result.score.toFixed(2)}): ${example.text}`,
    );
  }
}
const report = evaluate(outcomes);
console.log(`${file}\n${formatReport(report)}`);
console.log(summaryLine(report));
