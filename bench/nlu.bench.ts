/**
 * npm run bench:nlu — NLU figures: training time (cold, no cache; then a load from the cache) and
 * classify latency p50/p99 (wall clock, and CPU time) over many calls on a mix of English and Spanish messages, with
 * language detection and entity extraction included, as the dialogue calls it on every turn.
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
  const latencies: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < CALLS; i += 1) {
    const text = MESSAGES[i % MESSAGES.length] ?? '';
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await warm.classify(text, { now, timeZone: 'Europe/London' });
    const used = process.cpuUsage(cpuStarted);
    latencies.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  latencies.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mean = latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length;
  console.log(
    `classify over ${CALLS} calls (${MESSAGES.length} messages, ${FACILITIES.length} facilities): ` +
      `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, ` +
      `mean ${mean.toFixed(2)} ms, max ${(latencies.at(-1) ?? 0).toFixed(2)} ms`,
  );
  // CPU time of this process per call: on a shared, busy machine wall-clock percentiles mostly
  // measure the other processes; this one measures the work (garbage collection included).
  console.log(
    `classify CPU time per call: p50 ${percentile(cpu, 50).toFixed(2)} ms, p99 ${percentile(cpu, 99).toFixed(2)} ms`,
  );
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
