/**
 * npm run nlu:eval -- [file.jsonl…] [--locale en|es] [--errors] [--cache dir] [--facilities file.json]
 *
 * Classifies each `{"text","label","locale"?}` line and prints per-intent precision, recall and F1,
 * the most frequent confusions, accuracy, macro-F1, `none` precision/recall and how often the
 * in-domain/off-topic line was drawn right. Without files it runs our own evaluation files (the
 * held-out split, the other-voice files and, when present, docs/eval/nlu-clinc-dev.jsonl). Car parks
 * are recognised as in the demo city (`eval/demo-facilities.json`) unless `--facilities` names
 * another list. Each file's last line is one JSON object: {"file","accuracy","macroF1","n",…}.
 * `--errors` lists the misclassified lines (for our own splits; don't study the held-out files).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseExamples } from './corpus.ts';
import { evaluateExamples } from './evaluation.ts';
import { isLocale } from './intents.ts';
import { formatReport, summaryLine } from './metrics.ts';
import { createNlu } from './nlu.ts';
import type { FacilityRef } from './types.ts';

const here = (path: string) => new URL(path, import.meta.url).pathname;
const DEFAULT_FILES = [
  here('./corpus/test-en.jsonl'),
  here('./corpus/test-es.jsonl'),
  here('./eval/other-voice.en.jsonl'),
  here('./eval/other-voice.es.jsonl'),
  here('../docs/eval/nlu-clinc-dev.jsonl'),
].filter((file) => existsSync(file));

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    locale: { type: 'string' },
    errors: { type: 'boolean', default: false },
    cache: { type: 'string' },
    facilities: { type: 'string', default: here('./eval/demo-facilities.json') },
  },
});
const locale = values.locale;
if (locale !== undefined && !isLocale(locale)) {
  console.error(
    'usage: npm run nlu:eval -- [file.jsonl…] [--locale en|es] [--errors] [--cache dir] [--facilities file.json]',
  );
  process.exit(2);
}

const facilities = JSON.parse(readFileSync(values.facilities, 'utf8')) as FacilityRef[];
const nlu = await createNlu({ facilities, ...(values.cache ? { cacheDir: values.cache } : {}) });
console.log(
  `model ${nlu.training.fromCache ? 'loaded from cache' : 'trained'} in ${nlu.training.ms.toFixed(0)} ms`,
);
const summaries: string[] = [];
for (const file of positionals.length > 0 ? positionals : DEFAULT_FILES) {
  const examples = parseExamples(readFileSync(file, 'utf8'));
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
  console.log(`${file}\n${formatReport(report)}\n`);
  summaries.push(
    JSON.stringify({ file: file.split('/').slice(-2).join('/'), ...JSON.parse(summaryLine(report)) }),
  );
}
console.log(summaries.join('\n'));
