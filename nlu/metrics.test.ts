import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseExamples } from './corpus.ts';
import { evaluateExamples } from './evaluation.ts';
import type { Intent } from './intents.ts';
import { evaluate, formatReport, summaryLine } from './metrics.ts';

// Six lines whose numbers are worked out by hand below.
const TINY_FILE = [
  { text: 'hi', label: 'greet' },
  { text: 'hello', label: 'greet' },
  { text: 'bye', label: 'goodbye' },
  { text: 'weather?', label: 'none' },
  { text: 'joke', label: 'none' },
  { text: 'stocks', label: 'none' },
]
  .map((line) => JSON.stringify(line))
  .join('\n');

// A fake classifier with fixed answers: 'hello' → goodbye and 'joke' → greet are its two mistakes.
const ANSWERS: Record<string, Intent> = {
  hi: 'greet',
  hello: 'goodbye',
  bye: 'goodbye',
  'weather?': 'none',
  joke: 'greet',
  stocks: 'none',
};
const fakeClassify = async (text: string) => ({
  intent: ANSWERS[text] ?? 'none',
  score: 0.9,
  locale: 'en' as const,
});

describe('evaluate', () => {
  it('computes precision, recall, F1, accuracy and macro-F1 on a tiny known file', async () => {
    const { report, errors } = await evaluateExamples(parseExamples(TINY_FILE), fakeClassify);
    // greet: predicted {hi, joke}, 1 right → P 1/2; gold {hi, hello} → R 1/2; F1 1/2.
    // goodbye: predicted {hello, bye} → P 1/2; gold {bye} → R 1; F1 2/3.
    // none: predicted {weather?, stocks} → P 1; gold 3 → R 2/3; F1 0.8.
    const byIntent = Object.fromEntries(report.perIntent.map((m) => [m.intent, m]));
    expect(byIntent['greet']).toMatchObject({
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      support: 2,
      predicted: 2,
    });
    expect(byIntent['goodbye']?.precision).toBeCloseTo(0.5);
    expect(byIntent['goodbye']?.recall).toBeCloseTo(1);
    expect(byIntent['goodbye']?.f1).toBeCloseTo(2 / 3);
    expect(report.none.precision).toBeCloseTo(1);
    expect(report.none.recall).toBeCloseTo(2 / 3);
    expect(report.none.f1).toBeCloseTo(0.8);
    expect(report.accuracy).toBeCloseTo(4 / 6);
    expect(report.macroF1).toBeCloseTo((0.5 + 2 / 3 + 0.8) / 3);
    expect(report.n).toBe(6);
    expect(report.confusions).toEqual([
      { label: 'greet', predicted: 'goodbye', count: 1 },
      { label: 'none', predicted: 'greet', count: 1 },
    ]);
    expect(errors.map((e) => e.example.text)).toEqual(['hello', 'joke']);
  });

  it('leaves labels that were only predicted, never expected, out of macro-F1', () => {
    const report = evaluate([
      { label: 'none', predicted: 'none' },
      { label: 'none', predicted: 'pay' },
    ]);
    expect(report.perIntent.find((m) => m.intent === 'pay')).toMatchObject({
      support: 0,
      predicted: 1,
      f1: 0,
    });
    expect(report.macroF1).toBeCloseTo(2 / 3); // none alone: P 1, R 1/2
  });

  it('handles an empty file without dividing by zero', () => {
    expect(evaluate([])).toMatchObject({ n: 0, accuracy: 0, macroF1: 0 });
  });

  it('ends its report with one JSON object whose first keys are accuracy, macroF1 and n', () => {
    const report = evaluate([{ label: 'greet', predicted: 'greet' }]);
    const line = summaryLine(report);
    expect(Object.keys(JSON.parse(line)).slice(0, 3)).toEqual(['accuracy', 'macroF1', 'n']);
    expect(formatReport(report)).toContain('greet');
  });
});

describe('parseExamples', () => {
  it('reads JSON Lines with an optional locale and names the bad line', () => {
    expect(parseExamples('{"text":"hola","label":"greet","locale":"es"}\n\n')).toEqual([
      { text: 'hola', label: 'greet', locale: 'es' },
    ]);
    expect(() => parseExamples('{"text":"x","label":"greet"}\n{"text":"y","label":"weather"}')).toThrow(
      /line 2/,
    );
  });
});

describe('npm run nlu:eval', () => {
  it('prints the summary as its last line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlu-eval-'));
    const file = join(dir, 'tiny.jsonl');
    writeFileSync(file, TINY_FILE);
    const cli = new URL('./eval-cli.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      cli,
      file,
      '--locale',
      'en',
    ]);
    const last = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, number>;
    expect(last['n']).toBe(6);
    expect(last['accuracy']).toBeGreaterThanOrEqual(0);
    expect(stdout).toContain('precision');
  });
});
