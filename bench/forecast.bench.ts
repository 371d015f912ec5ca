/**
 * Back-test of the availability forecast on simulated history: the simulator's demand curve
 * (scripts/demand-curve.ts) with quieter weekends, day-to-day swings and noise, for three car
 * parks over ten weeks. From many origins in the last two weeks it forecasts each horizon and
 * prints the mean absolute error (in spaces) beside two baselines: the same hour last week, and
 * the current count.
 *
 *   npm run bench:forecast
 */
process.env['TZ'] = 'UTC';
const { forecastOccupancy } = await import('../booking-core/index.ts');
const { targetOccupancy } = await import('../scripts/demand-curve.ts');
const { mulberry32 } = await import('../scripts/mulberry32.ts');

const HOUR = 3_600_000;
const WEEKS = 10;
const TEST_WEEKS = 2;
const CAPACITY = 40;
const HORIZONS = [1, 3, 6, 12, 24, 72, 168];
const start = Date.parse('2030-01-07T00:00:00Z'); // a Monday

const random = mulberry32(42);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Hourly occupied spaces for one car park: demand curve × weekday factor × a drifting day level, plus noise. */
function simulate(code: string): number[] {
  const out: number[] = [];
  let level = 1;
  for (let h = 0; h < WEEKS * 168; h++) {
    const t = new Date(start + h * HOUR);
    if (t.getUTCHours() === 0) level = 1 + 0.6 * (level - 1) + 0.08 * gaussian();
    const weekend = t.getUTCDay() === 0 || t.getUTCDay() === 6;
    const p = Math.min(1, Math.max(0, targetOccupancy(code, t) * (weekend ? 0.55 : 1) * level));
    const noise = gaussian() * Math.sqrt(CAPACITY * p * (1 - p)) * 0.5;
    out.push(Math.min(CAPACITY, Math.max(0, Math.round(CAPACITY * p + noise))));
  }
  return out;
}

const errors = new Map<number, { model: number; lastWeek: number; current: number; n: number }>();
for (const code of ['KXC', 'PAD', 'WEM']) {
  const series = simulate(code);
  const firstOrigin = (WEEKS - TEST_WEEKS) * 168;
  for (let origin = firstOrigin; origin + 1 <= series.length; origin += 7) {
    const history = series
      .slice(0, origin)
      .map((occupied, i) => ({ hour: new Date(start + i * HOUR), occupied }));
    const targets = HORIZONS.map((h) => origin + h - 1).filter((i) => i < series.length);
    const f = forecastOccupancy({
      capacity: CAPACITY,
      timeZone: 'UTC',
      history,
      hours: targets.map((i) => new Date(start + i * HOUR)),
    });
    targets.forEach((i, k) => {
      const h = HORIZONS[k]!;
      const actual = series[i]!;
      const e = errors.get(h) ?? { model: 0, lastWeek: 0, current: 0, n: 0 };
      e.model += Math.abs(f[k]!.expectedOccupied - actual);
      e.lastWeek += Math.abs(series[i - 168]! - actual);
      e.current += Math.abs(series[origin - 1]! - actual);
      e.n += 1;
      errors.set(h, e);
    });
  }
}

console.log(
  `forecast back-test: 3 car parks × ${CAPACITY} spaces, ${WEEKS} weeks simulated, last ${TEST_WEEKS} tested`,
);
console.log('mean absolute error in spaces (lower is better)\n');
console.log('horizon  forecasts  model  same-hour-last-week  current-count');
for (const h of HORIZONS) {
  const e = errors.get(h);
  if (!e) continue;
  const f = (x: number) => (x / e.n).toFixed(2).padStart(5);
  console.log(
    `${String(h).padStart(4)} h  ${String(e.n).padStart(9)}  ${f(e.model)}  ${f(e.lastWeek).padStart(19)}  ${f(e.current).padStart(13)}`,
  );
}
