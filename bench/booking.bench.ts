/**
 * npm run bench:booking — booking throughput against real PostgreSQL, beside the same machine's
 * raw single-row insert rate through the same driver and pool, in the same run.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:booking
 */
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

/** Runs `total` calls of `task(i)` with `concurrency` in flight; returns calls per second. */
async function rate(total: number, concurrency: number, task: (i: number) => Promise<unknown>) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return total / seconds;
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
  const base = Date.now() + 86_400_000;
  const hour = 3_600_000;

  // warm-up: connections, plans
  await rate(200, CONCURRENCY, (i) => db.sql.query('SELECT $1::int', [i]));

  const free = await rate(ATTEMPTS, CONCURRENCY, (i) => {
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
  const contended = await rate(ATTEMPTS, CONCURRENCY, async (i) => {
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

  await db.sql.query(
    'CREATE TABLE bench_raw (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), space_id uuid, starts_at timestamptz, ends_at timestamptz, plate text)',
  );
  const raw = await rate(ATTEMPTS, CONCURRENCY, (i) =>
    db.sql.query('INSERT INTO bench_raw (space_id, starts_at, ends_at, plate) VALUES ($1, $2, $3, $4)', [
      spaces[i % spaces.length]!.id,
      new Date(base),
      new Date(base + hour),
      'RAW',
    ]),
  );

  const row = (name: string, perSecond: number, note = '') =>
    console.log(
      `${name.padEnd(44)} ${perSecond.toFixed(0).padStart(8)} /s   ${(perSecond / raw).toFixed(3)} × raw ${note}`,
    );
  console.log(`\nbench:booking — PostgreSQL, ${CONCURRENCY} concurrent, ${ATTEMPTS} attempts per scenario\n`);
  row('raw single-row INSERT (same pg pool)', raw);
  row('hold, no contention (distinct spaces)', free);
  row('hold, contention ("any EV", 200 racing for 50)', contended, `(${won} won)`);
  console.log(
    JSON.stringify({
      concurrency: CONCURRENCY,
      attempts: ATTEMPTS,
      rawInsertsPerSec: Math.round(raw),
      holdsPerSec: Math.round(free),
      contendedPerSec: Math.round(contended),
      ratioFree: +(free / raw).toFixed(3),
      ratioContended: +(contended / raw).toFixed(3),
    }),
  );
});
