/**
 * npm run bench:analytics — seeds a year of history for a city (50 car parks by default) on a
 * throw-away PostgreSQL database, entirely in SQL (generate_series), then times each analytics
 * query and the forecast: median of a few runs, for a day in hours, 30 days in days and a year
 * in days, for all car parks and for one.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:analytics
 *   BENCH_FACILITIES=50 BENCH_SPACES=40 BENCH_CHANGES_PER_DAY=6 BENCH_BOOKINGS_PER_DAY=40 …
 */
import { performance } from 'node:perf_hooks';
import { createBookingCore, type AnalyticsQuery } from '../booking-core/index.ts';
import { freshDatabase } from '../test/support/databases.ts';

const ADMIN_URL =
  process.env['BENCH_DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgresql://postgres@127.0.0.1:5432/postgres';
const num = (name: string, d: number) => Number(process.env[name] ?? d);
const FACILITIES = num('BENCH_FACILITIES', 50);
const SPACES = num('BENCH_SPACES', 40);
const CHANGES_PER_DAY = num('BENCH_CHANGES_PER_DAY', 6);
const BOOKINGS_PER_DAY = num('BENCH_BOOKINGS_PER_DAY', 40);
const DAYS = 365;
const END = new Date('2030-06-01T00:00:00Z');
const START = new Date(END.getTime() - DAYS * 86_400_000);

const db = await freshDatabase('postgres', { adminUrl: ADMIN_URL, poolSize: 4 });
const core = createBookingCore({ db, clock: { now: () => END } });
const t0 = performance.now();
const sql = (q: string) => db.prisma.$executeRawUnsafe(q);
await sql(`INSERT INTO facility (id, code, name, address, latitude, longitude, time_zone, opening_hours, currency, hourly_rate_minor, max_stay_minutes, updated_at)
  SELECT gen_random_uuid(), 'B' || i, 'Bench ' || i, 'x', 51.5, -0.1, 'Europe/London', '{}'::jsonb, 'GBP', 400, 1440, now()
  FROM generate_series(1, ${FACILITIES}) i`);
await sql(`INSERT INTO space (id, facility_id, code, kind)
  SELECT gen_random_uuid(), f.id, 'S' || s, (CASE WHEN s % 10 = 0 THEN 'ev' ELSE 'standard' END)::space_kind
  FROM facility f, generate_series(1, ${SPACES}) s`);
await sql(`INSERT INTO sensor (id, device_id, facility_id, space_id, updated_at)
  SELECT gen_random_uuid(), s.id::text, s.facility_id, s.id, now() FROM space s`);
// occupancy: CHANGES_PER_DAY changes per space per day, alternating occupied/free
await sql(`INSERT INTO occupancy_change (facility_id, space_id, state, at, source)
  SELECT s.facility_id, s.id, CASE WHEN n % 2 = 0 THEN 'occupied' ELSE 'free' END,
         timestamptz '${START.toISOString()}' + (n * interval '1 day' / ${CHANGES_PER_DAY}) + (random() * interval '2 hours'), 'bench'
  FROM space s, generate_series(0, ${DAYS * CHANGES_PER_DAY - 1}) n`);
// bookings: BOOKINGS_PER_DAY per car park per day, two hours each on distinct spaces, most paid
await sql(`INSERT INTO booking (id, reference, facility_id, space_id, starts_at, ends_at, plate, status, price_minor, currency, pricing, created_at, updated_at)
  SELECT gen_random_uuid(), 'BR' || f.code || '-' || d || '-' || k, f.id,
         (SELECT id FROM space WHERE facility_id = f.id AND code = 'S' || (k % ${SPACES} + 1)),
         timestamptz '${START.toISOString()}' + d * interval '1 day' + (k / ${SPACES}) * interval '3 hours' + interval '7 hours',
         timestamptz '${START.toISOString()}' + d * interval '1 day' + (k / ${SPACES}) * interval '3 hours' + interval '9 hours',
         'AB12CDE', 'completed', 800, 'GBP', '{}'::jsonb,
         timestamptz '${START.toISOString()}' + d * interval '1 day' + interval '6 hours', now()
  FROM facility f, generate_series(0, ${DAYS - 1}) d, generate_series(0, ${BOOKINGS_PER_DAY - 1}) k`);
await sql(`INSERT INTO payment (id, booking_id, provider, status, amount_minor, currency, expires_at, paid_at, updated_at)
  SELECT gen_random_uuid(), b.id, 'test', 'paid', 800, 'GBP', b.created_at, b.created_at + interval '2 minutes', now()
  FROM booking b`);
await sql(`ANALYZE`);
const counts = (await db.prisma.$queryRawUnsafe(
  `SELECT (SELECT count(*) FROM occupancy_change)::int AS changes, (SELECT count(*) FROM booking)::int AS bookings`,
)) as Array<{ changes: number; bookings: number }>;
console.log(
  `seeded ${FACILITIES} car parks × ${SPACES} spaces, ${DAYS} days: ${counts[0]!.changes} occupancy changes, ` +
    `${counts[0]!.bookings} bookings and payments in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);

const oneFacility = ((await db.prisma.facility.findFirst({ select: { id: true } })) ?? { id: '' }).id;
const day = 86_400_000;
const periods: Array<[string, AnalyticsQuery]> = [
  ['last day, hourly, all', { from: new Date(END.getTime() - day), to: END, bucket: 'hour' }],
  [
    'last day, hourly, one',
    { from: new Date(END.getTime() - day), to: END, bucket: 'hour', facilityId: oneFacility },
  ],
  ['30 days, daily, all', { from: new Date(END.getTime() - 30 * day), to: END, bucket: 'day' }],
  [
    '30 days, daily, one',
    { from: new Date(END.getTime() - 30 * day), to: END, bucket: 'day', facilityId: oneFacility },
  ],
  ['year, daily, one', { from: START, to: END, bucket: 'day', facilityId: oneFacility }],
];
const median = async (f: () => Promise<unknown>, runs = 3) => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
};
const table = async (title: string) => {
  console.log(
    `${title}\nquery                      occupancy  bookings  revenue  conversations   (median ms)`,
  );
  for (const [label, q] of periods) {
    const row = [
      await median(() => core.analytics.occupancy(q)),
      await median(() => core.analytics.bookings(q)),
      await median(() => core.analytics.revenue(q)),
      await median(() => core.analytics.conversations(q)),
    ];
    console.log(`${label.padEnd(26)} ${row.map((m) => m.toFixed(0).padStart(9)).join(' ')}`);
  }
};
// Before: nothing rolled up yet, every figure from the detailed history (the baseline).
await table('before the roll-up (detail only)');
const fBefore = await median(() => core.forecasts.forecast(oneFacility, { from: END }));
const r0 = performance.now();
const runs = await core.retention.rollUp();
const hourlyRows = (await db.prisma.$queryRawUnsafe(
  `SELECT count(*)::int AS n FROM occupancy_hourly`,
)) as Array<{ n: number }>;
console.log(
  `\nrolled up ${DAYS} days in ${runs.length} runs, ${hourlyRows[0]!.n} hourly rows, ` +
    `in ${((performance.now() - r0) / 1000).toFixed(1)} s\n`,
);
await table('after the roll-up (whole past hours from occupancy_hourly)');
const f = await median(() => core.forecasts.forecast(oneFacility, { from: END }));
console.log(
  `\nforecast, one car park, 7 days × 2 kinds from 8 weeks of history: ${fBefore.toFixed(0)} ms before, ${f.toFixed(0)} ms after`,
);
await db.close();
