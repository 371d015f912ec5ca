/**
 * npm run bench:booking — booking throughput against real PostgreSQL, beside the same machine's
 * raw single-row insert rate through the same driver and pool, in the same run. Per scenario it
 * also prints the statements (round trips) per attempt and this process's CPU time per attempt,
 * and at the end checks that no two live bookings of a space overlap. Each hold scenario runs for
 * windows of whole hours (answered from the hourly space bitmaps) and for the same windows
 * starting 17 minutes past the hour (answered by reading the window's bookings).
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:booking
 */
import pg from 'pg';
import { createBookingCore, type Database } from '../booking-core/index.ts';
import { freshDatabase } from '../test/support/databases.ts';

const ADMIN_URL =
  process.env['BENCH_DATABASE_URL'] ??
  process.env['DATABASE_URL'] ??
  'postgresql://postgres@127.0.0.1:5432/postgres';
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const ATTEMPTS = Number(process.env['BENCH_ATTEMPTS'] ?? 3000);

async function withTempDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await freshDatabase('postgres', { adminUrl: ADMIN_URL, poolSize: CONCURRENCY });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

// Every statement node-postgres sends is one round trip: count them.
let statements = 0;
const clientQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: typeof clientQuery }).query = function (
  this: unknown,
  ...args: unknown[]
) {
  statements++;
  return clientQuery.apply(this, args);
};

interface Rate {
  perSecond: number;
  statementsPerCall: number;
  cpuMsPerCall: number;
}

/** Runs `total` calls of `task(i)` with `concurrency` in flight: calls per second, statements and CPU per call. */
async function rate(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
): Promise<Rate> {
  let next = 0;
  const sent = statements;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return {
    perSecond: total / seconds,
    statementsPerCall: (statements - sent) / total,
    cpuMsPerCall: (used.user + used.system) / 1000 / total,
  };
}

await withTempDatabase(async (db) => {
  const facility = await db.prisma.facility.create({
    data: {
      code: 'BENCH',
      name: 'Bench Car Park',
      address: '-',
      latitude: 0,
      longitude: 0,
      timeZone: 'UTC',
      openingHours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
      ),
      currency: 'GBP',
      hourlyRateMinor: 300,
      maxStayMinutes: 24 * 60,
    },
  });
  const SPACES = 2000;
  await db.prisma.space.createMany({
    data: Array.from({ length: SPACES }, (_, i) => ({
      facilityId: facility.id,
      code: `S${i}`,
      kind: i < 50 ? 'ev' : 'standard',
    })),
  });
  const spaces = await db.prisma.space.findMany({
    where: { facilityId: facility.id, kind: 'standard' },
    select: { id: true },
  });
  const core = createBookingCore({ db });
  const hour = 3_600_000;
  // Windows from one whole hour to another (how drivers usually book, answered from the hourly
  // space bitmaps), and the same windows started 17 minutes past (read from the bookings).
  const wholeHours = Math.ceil((Date.now() + 86_400_000) / hour) * hour;
  const offHours = wholeHours + 30 * 86_400_000 + 17 * 60_000;

  // warm-up: connections, and each connection's plans for both hold statements (far-off windows)
  await rate(200, CONCURRENCY, (i) => db.sql.query('SELECT $1::int', [i]));
  for (const base of [wholeHours, offHours]) {
    await rate(20 * CONCURRENCY, CONCURRENCY, (i) =>
      core.bookings.hold({
        facilityId: facility.id,
        spaceId: spaces[i % spaces.length]!.id,
        window: { from: new Date(base + 1000 * hour), to: new Date(base + 1001 * hour) },
        plate: 'WARM',
        driverId: null,
      }),
    );
  }

  const free = (base: number) =>
    rate(ATTEMPTS, CONCURRENCY, (i) => {
      const space = spaces[i % spaces.length]!;
      const slot = Math.floor(i / spaces.length);
      return core.bookings.hold({
        facilityId: facility.id,
        spaceId: space.id,
        window: { from: new Date(base + slot * hour), to: new Date(base + (slot + 1) * hour) },
        plate: 'BENCH1',
        driverId: null,
      });
    });

  let won = 0;
  const contended = (base: number) =>
    rate(ATTEMPTS, CONCURRENCY, async (i) => {
      // every group of 4×50 attempts races for the 50 EV spaces in one slot
      const slot = 100 + Math.floor(i / 200);
      const r = await core.bookings.hold({
        facilityId: facility.id,
        kind: 'ev',
        window: { from: new Date(base + slot * hour), to: new Date(base + (slot + 1) * hour) },
        plate: 'BENCH2',
        driverId: null,
      });
      if (r.ok) won++;
    });

  const freeHours = await free(wholeHours);
  const contendedHours = await contended(wholeHours);
  const wonHours = won;
  won = 0;
  const freeOff = await free(offHours);
  const contendedOff = await contended(offHours);

  await db.sql.query(
    'CREATE TABLE bench_raw (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), space_id uuid, starts_at timestamptz, ends_at timestamptz, plate text)',
  );
  const raw = await rate(ATTEMPTS, CONCURRENCY, (i) =>
    db.sql.query('INSERT INTO bench_raw (space_id, starts_at, ends_at, plate) VALUES ($1, $2, $3, $4)', [
      spaces[i % spaces.length]!.id,
      new Date(wholeHours),
      new Date(wholeHours + hour),
      'RAW',
    ]),
  );

  const overlaps = await db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM booking a JOIN booking b ON a.space_id = b.space_id AND a.id < b.id
     WHERE a.status IN ('held', 'confirmed', 'active') AND b.status IN ('held', 'confirmed', 'active')
       AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')`,
  );

  const row = (name: string, r: Rate, note = '') =>
    console.log(
      `${name.padEnd(48)} ${r.perSecond.toFixed(0).padStart(7)} /s  ${(r.perSecond / raw.perSecond).toFixed(3)} × raw` +
        `  ${r.statementsPerCall.toFixed(2)} stmt  ${r.cpuMsPerCall.toFixed(2)} ms CPU ${note}`,
    );
  console.log(`\nbench:booking — PostgreSQL, ${CONCURRENCY} concurrent, ${ATTEMPTS} attempts per scenario\n`);
  row('raw single-row INSERT (same pg pool)', raw);
  row('hold, no contention (distinct spaces)', freeHours, '(whole hours)');
  row('hold, contention ("any EV", 200 racing for 50)', contendedHours, `(whole hours, ${wonHours} won)`);
  row('hold, no contention (distinct spaces)', freeOff, '(:17 past)');
  row('hold, contention ("any EV", 200 racing for 50)', contendedOff, `(:17 past, ${won} won)`);
  console.log(`overlapping live bookings: ${overlaps[0]?.n}`);
  console.log(
    JSON.stringify({
      concurrency: CONCURRENCY,
      attempts: ATTEMPTS,
      rawInsertsPerSec: Math.round(raw.perSecond),
      holdsPerSec: Math.round(freeHours.perSecond),
      contendedPerSec: Math.round(contendedHours.perSecond),
      ratioFree: +(freeHours.perSecond / raw.perSecond).toFixed(3),
      ratioContended: +(contendedHours.perSecond / raw.perSecond).toFixed(3),
      ratioFreeOffHours: +(freeOff.perSecond / raw.perSecond).toFixed(3),
      ratioContendedOffHours: +(contendedOff.perSecond / raw.perSecond).toFixed(3),
      statementsPerHold: +freeHours.statementsPerCall.toFixed(2),
      statementsPerContendedHold: +contendedHours.statementsPerCall.toFixed(2),
      cpuMsPerHold: +freeHours.cpuMsPerCall.toFixed(3),
      cpuMsPerContendedHold: +contendedHours.cpuMsPerCall.toFixed(3),
      won: wonHours + won,
      overlaps: overlaps[0]?.n,
    }),
  );
  if (overlaps[0]?.n) process.exitCode = 1;
});
