/**
 * npm run bench:nlu — NLU figures: training time (cold, no cache; then a load from the cache) and
 * classify latency p50/p99, wall clock beside CPU time, over many calls on a mix of English and
 * Spanish messages (language detection and entity extraction included, as the dialogue calls it on
 * every turn), beside a baseline of fixed work timed the same way in the same run.
 *
 *   BENCH_NLU_CALLS=5000 npm run bench:nlu
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusSize, createNlu, loadCorpus, type FacilityRef } from '../nlu/index.ts';

const CALLS = Number(process.env['BENCH_NLU_CALLS'] ?? 5000);

const FACILITIES: FacilityRef[] = Array.from({ length: 20 }, (_, i) => ({
  id: `f${i}`,
  name: `Facility ${i} Car Park`,
  aliases: [`lot ${i}`],
}));
FACILITIES.push({ id: 'riverside', name: 'Riverside Car Park', aliases: ['the river lot'] });

const MESSAGES = [
  'hi',
  'yes',
  'nah',
  'vale',
  '3pm',
  'AB12 CDE',
  'the EV one',
  'any parking near the stadium tomorrow 9 to 11?',
  'book me a space at riverside carpark tmrw 9-11, reg AB12 CDE',
  'cancel PK7F3K9Q please',
  'can i stay until half past six',
  "what's the weather like in paris",
  'hola, quiero reservar una plaza mañana de 9 a 11 cerca de la estación',
  'cuánto cuesta aparcar todo el día',
  'cancela mi reserva del viernes',
  'tell me a joke',
  'grab me a charging stall at the river lot 2moro 10 til 12, number plate KD64 NXP',
  'r there any bays empty at riverside rn',
  'reserva 2 horas y media en el parking del río, matrícula 1234ABC',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Wall-clock and CPU time of one call (this process's CPU, garbage collection included). */
async function timed(into: { wall: number[]; cpu: number[] }, work: () => Promise<unknown>) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpuStarted);
  into.wall.push(performance.now() - started);
  into.cpu.push((used.user + used.system) / 1000);
}

// On a shared, busy machine wall-clock percentiles mostly measure the other processes; CPU time
// measures the work. Both are printed, wall first.
function figures({ wall, cpu }: { wall: number[]; cpu: number[] }): string {
  const w = [...wall].sort((a, b) => a - b);
  const c = [...cpu].sort((a, b) => a - b);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const mean = w.reduce((sum, x) => sum + x, 0) / w.length;
  return (
    `p50 ${ms(percentile(w, 50))} wall / ${ms(percentile(c, 50))} CPU, ` +
    `p99 ${ms(percentile(w, 99))} wall / ${ms(percentile(c, 99))} CPU, mean ${ms(mean)} wall`
  );
}

const REFERENCE_SIZE = 4000;
let seed = 1;
function referenceWork(): number {
  const numbers = Array.from({ length: REFERENCE_SIZE }, () => (seed = (seed * 48271) % 2147483647));
  return numbers.sort((a, b) => a - b)[0] ?? 0;
}

const size = corpusSize(loadCorpus());
const cacheDir = mkdtempSync(join(tmpdir(), 'nlu-bench-'));
try {
  const cold = await createNlu({ facilities: FACILITIES, cacheDir });
  const warm = await createNlu({ facilities: FACILITIES, cacheDir });
  console.log(`corpus: ${size.en} English + ${size.es} Spanish utterances`);
  console.log(`training (cold, no cache): ${cold.training.ms.toFixed(0)} ms`);
  console.log(`start from cache:          ${warm.training.ms.toFixed(0)} ms`);

  const now = new Date();
  for (const text of MESSAGES) await warm.classify(text, { now, timeZone: 'Europe/London' }); // warm-up
  const classify = { wall: [] as number[], cpu: [] as number[] };
  const reference = { wall: [] as number[], cpu: [] as number[] };
  for (let i = 0; i < CALLS; i += 1) {
    const text = MESSAGES[i % MESSAGES.length] ?? '';
    await timed(classify, () => warm.classify(text, { now, timeZone: 'Europe/London' }));
    // The baseline, interleaved so it sees the same machine: a fixed piece of work of about the
    // same size. When its p99 is far above its p50, the machine (not classify) makes the tail.
    await timed(reference, async () => referenceWork());
  }
  console.log(`classify over ${CALLS} calls (${MESSAGES.length} messages, ${FACILITIES.length} facilities):`);
  console.log(`  classify  ${figures(classify)}`);
  console.log(`  baseline  ${figures(reference)}  (fixed work: sorting ${REFERENCE_SIZE} numbers)`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
