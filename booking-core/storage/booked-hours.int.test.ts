import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { createFacility, hours, minutes, TestClock } from '../../test/support/fixtures.ts';
import { createBookingCore, type BookingCore, type OccupancyView } from '../index.ts';
import { applyMigrations, loadMigrations } from './migrate.ts';
import type { SqlRunner } from './sql-runner.ts';

const LIVE = `('held', 'confirmed', 'active')`;

/** The bitmaps as the triggers keep them, and as a recount from spaces and bookings gives them. */
async function bitmaps(sql: SqlRunner) {
  const rows = (q: string) => sql.query<{ row: string }>(`SELECT row::text FROM (${q}) AS row ORDER BY 1`);
  return {
    kept: {
      kinds: await rows(`SELECT facility_id, kind, chunk, mask FROM space_kind_mask WHERE mask <> 0`),
      hours: await rows(`SELECT facility_id, hour, chunk, busy FROM booked_hour WHERE busy <> 0`),
    },
    recounted: {
      kinds:
        await rows(`SELECT facility_id, kind, space_chunk(ordinal) AS chunk, bit_or(space_bit(ordinal)) AS mask
        FROM space GROUP BY 1, 2, 3`),
      hours:
        await rows(`SELECT b.facility_id, bh AS hour, space_chunk(s.ordinal) AS chunk, bit_or(space_bit(s.ordinal)) AS busy
        FROM booking b JOIN space s ON s.id = b.space_id CROSS JOIN LATERAL booking_hours(b.starts_at, b.ends_at) AS bh
        WHERE b.status IN ${LIVE} GROUP BY 1, 2, 3`),
    },
  };
}

describe.each(BACKENDS)('hourly space bitmaps on %s', (backend) => {
  let db: TestDatabase;
  let core: BookingCore;
  const T0 = new Date('2030-06-03T08:00:00Z'); // a whole hour
  const clock = new TestClock(T0);
  const blocked = new Set<string>();
  const sensors: OccupancyView = { unavailableNow: async () => blocked };
  const at = (h: number) => new Date(T0.getTime() + hours(h));
  const w = (from: number, to: number) => ({ from: at(from), to: at(to) });

  beforeAll(async () => {
    db = await freshDatabase(backend);
    core = createBookingCore({ db, clock, occupancy: sensors, holdMinutes: 15 });
  });
  afterAll(() => db?.close());
  afterEach(() => blocked.clear());

  const hold = async (facilityId: string, window: { from: Date; to: Date }, extra: object = {}) => {
    const r = await core.bookings.hold({ facilityId, window, plate: 'AB12 CDE', driverId: null, ...extra });
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };

  it('stay equal to a recount after holds, confirmations, cancellations, extensions, expiries and new spaces', async () => {
    clock.current = T0;
    const f = await createFacility(db, { spaces: { standard: 70, ev: 3 } });
    const system = { kind: 'system' } as const;
    const a = await hold(f.id, w(1, 3), { kind: 'standard' });
    const b = await hold(f.id, { from: new Date(at(2).getTime() + minutes(20)), to: at(5) }, { kind: 'ev' });
    const c = await hold(f.id, w(1, 2), { spaceId: f.spaceIds.standard?.[65] });
    const d = await hold(f.id, w(2, 3), { spaceId: f.spaceIds.standard?.[65] }); // back to back with c
    const e = await hold(f.id, w(4, 6));
    await core.bookings.confirm(a.booking.id, system);
    await core.bookings.cancel(c.booking.id, system); // d still holds the space in hour 2…3 only
    await core.bookings.extend(b.booking.id, at(7), system);
    await core.bookings.extend(d.booking.id, new Date(at(3).getTime() + minutes(30)), system);
    clock.advance(minutes(20));
    await core.bookings.confirm(e.booking.id, system); // lapsed: expires it
    await core.bookings.expireLapsed(clock.now());
    await db.prisma.space.create({ data: { facilityId: f.id, code: 'late', kind: 'ev' } });
    await db.sql.query(`UPDATE space SET kind = 'family' WHERE id = $1`, [f.spaceIds.standard?.[3]]);
    await hold(f.id, w(2, 4), { kind: 'ev' });
    const { kept, recounted } = await bitmaps(db.sql);
    expect(kept.hours.length).toBeGreaterThan(0);
    expect(kept).toEqual(recounted);
  });

  it.runIf(backend === 'postgres')(
    'keep the bit of a booking that another transaction adds to the hour while one is cancelled',
    async () => {
      clock.current = T0;
      const f = await createFacility(db, { spaces: { standard: 1 } });
      const spaceId = f.spaceIds.standard?.[0] ?? '';
      const first = await hold(
        f.id,
        { from: at(1), to: new Date(at(1).getTime() + minutes(30)) },
        { spaceId },
      );
      const writer = new pg.Client({ connectionString: db.url });
      await writer.connect();
      try {
        // The second half-hour is booked in an open transaction, which holds the hour's row…
        await writer.query('BEGIN');
        await writer.query(
          `INSERT INTO booking (id, reference, facility_id, space_id, starts_at, ends_at, plate, status, price_minor,
             currency, pricing, updated_at)
           VALUES (gen_random_uuid(), 'PKRACE01', $1, $2, $3, $4, 'B', 'confirmed', 0, 'GBP', '{}', now())`,
          [f.id, spaceId, new Date(at(1).getTime() + minutes(30)), at(2)],
        );
        // …while the first half-hour is cancelled: that must wait for it, then see it.
        const cancelled = core.bookings.cancel(first.booking.id, { kind: 'system' });
        await new Promise((r) => setTimeout(r, 300));
        await writer.query('COMMIT');
        expect((await cancelled).ok).toBe(true);
      } finally {
        await writer.end();
      }
      const { kept, recounted } = await bitmaps(db.sql);
      expect(kept).toEqual(recounted);
    },
  );

  it('give a whole-hour hold the demand a quote counts from the bookings, with lapsed holds and sensor-blocked spaces', async () => {
    clock.current = new Date(T0.getTime() - minutes(20));
    const f = await createFacility(db, { spaces: { standard: 6, ev: 2 } });
    const [s0, s1, s2, s3, , s5] = f.spaceIds.standard ?? [];
    await hold(f.id, { from: at(0), to: new Date(at(1).getTime() + minutes(30)) }, { spaceId: s0 });
    await hold(f.id, { from: new Date(at(1).getTime() + minutes(30)), to: at(2) }, { spaceId: s1 });
    await hold(f.id, w(2, 3), { spaceId: s1 });
    await hold(f.id, w(0, 1), { spaceId: s2 }); // lapses below and is not swept
    const cancelled = await hold(f.id, w(0, 4), { spaceId: s3 });
    await core.bookings.cancel(cancelled.booking.id, { kind: 'system' });
    await hold(f.id, w(0, 2), { kind: 'ev' });
    // Now 08:03: s2's hold lapsed at 07:55; sensors count for windows that include now.
    clock.current = new Date(T0.getTime() + minutes(3));
    blocked.add(s5!).add(s0!);
    for (const [window, kind] of [
      [w(0, 2), 'standard'],
      [w(0, 2), null],
      [w(1, 3), 'standard'],
      [w(0, 3), 'ev'],
    ] as const) {
      const quote = await core.facilities.quote(f.id, window, kind);
      const held = await hold(f.id, window, { kind });
      expect(quote.ok && held.quote).toEqual(quote.ok && quote.value);
      expect(held.booking.priceMinor).toBe(held.quote.totalMinor);
      if (window.from <= clock.now()) expect([s0, s2, s5]).not.toContain(held.booking.spaceId);
      await core.bookings.cancel(held.booking.id, { kind: 'system' });
    }
    // The lapsed hold is all that stands in the way of s2: it is swept and the space held.
    const again = await hold(f.id, w(0, 1), { spaceId: s2 });
    expect(again.booking.spaceId).toBe(s2);
  });

  it('give every ordinal its own bit, neighbours in different rows', async () => {
    const rows = await db.sql.query<{ ok: boolean; rows: number }>(
      `SELECT bool_and(space_ordinal(space_chunk(o), (o >> 5) & 63) = o AND space_bit(o) = 1::bigint << ((o >> 5) & 63))
         AND count(DISTINCT (space_chunk(o), space_bit(o))) = 10000 AS ok,
         count(DISTINCT space_chunk(o)) FILTER (WHERE o < 32)::int AS rows
       FROM generate_series(0, 9999) AS o`,
    );
    expect(rows[0]).toEqual({ ok: true, rows: 32 });
  });

  it('are filled for the spaces and live bookings that exist when the migration runs', async () => {
    const old = await freshDatabase(backend);
    try {
      await old.sql.query('DROP SCHEMA public CASCADE');
      await old.sql.query('CREATE SCHEMA public');
      const all = await loadMigrations();
      const cut = all.findIndex((m) => m.name.endsWith('_booked_hours'));
      await applyMigrations(old.sql, all.slice(0, cut));
      const facility = `INSERT INTO facility (id, code, name, address, latitude, longitude, time_zone, opening_hours,
        currency, hourly_rate_minor, max_stay_minutes, updated_at)
        VALUES (gen_random_uuid(), $1, 'Old', '-', 0, 0, 'UTC', '{}', 'GBP', 300, 1440, now()) RETURNING id`;
      for (const code of ['OLD1', 'OLD2']) {
        const [{ id }] = (await old.sql.query<{ id: string }>(facility, [code])) as [{ id: string }];
        await old.sql.query(
          `INSERT INTO space (id, facility_id, code, kind)
           SELECT gen_random_uuid(), $1, 'S' || i, CASE WHEN i % 7 = 0 THEN 'ev' ELSE 'standard' END::space_kind
           FROM generate_series(1, 100) AS i`,
          [id],
        );
        await old.sql.query(
          `INSERT INTO booking (id, reference, facility_id, space_id, starts_at, ends_at, plate, status, price_minor,
             currency, pricing, updated_at)
           SELECT gen_random_uuid(), $2 || row_number() OVER (), $1, s.id,
             '2031-01-01T08:00Z'::timestamptz + (i * interval '37 minutes'),
             '2031-01-01T08:00Z'::timestamptz + (i * interval '37 minutes') + interval '100 minutes',
             'OLD', (ARRAY['held', 'confirmed', 'cancelled', 'completed'])[1 + i % 4]::booking_status, 0, 'GBP', '{}', now()
           FROM (SELECT id, row_number() OVER (ORDER BY code) AS i FROM space WHERE facility_id = $1) AS s`,
          [id, code],
        );
      }
      await applyMigrations(old.sql);
      const ordinals = await old.sql.query<{ ok: boolean }>(
        `SELECT count(*) = 200 AND bool_and(ordinal IS NOT NULL) AND count(DISTINCT (facility_id, ordinal)) = 200
           AND max(ordinal) = 99 AS ok FROM space`,
      );
      expect(ordinals[0]?.ok).toBe(true);
      const { kept, recounted } = await bitmaps(old.sql);
      expect(kept.hours.length).toBeGreaterThan(0);
      expect(kept).toEqual(recounted);
    } finally {
      await old.close();
    }
  });
});
