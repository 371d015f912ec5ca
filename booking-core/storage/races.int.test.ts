import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { createFacility, hours } from '../../test/support/fixtures.ts';
import { createBookingCore, type BookingCore } from '../index.ts';

const run = promisify(execFile);

describe.each(BACKENDS)('double-booking races on %s', (backend) => {
  let db: TestDatabase;
  let cores: BookingCore[];
  const start = new Date(Date.now() + hours(48));

  beforeAll(async () => {
    db = await freshDatabase(backend);
    // Several independent connection pools, as if several instances were writing.
    const connections = [
      db,
      ...(await Promise.all([db.connectAgain(), db.connectAgain(), db.connectAgain()])),
    ];
    cores = connections.map((c) => createBookingCore({ db: c }));
  });
  afterAll(() => db?.close());

  it('lets exactly one of many concurrent overlapping holds of one space win', async () => {
    const f = await createFacility(db, { spaces: { standard: 1 } });
    const spaceId = f.spaceIds.standard?.[0] ?? '';
    const attempts = Array.from({ length: 40 }, (_, i) =>
      cores[i % cores.length]!.bookings.hold({
        facilityId: f.id,
        spaceId,
        // every window overlaps every other: starts within 40 minutes, each lasts 2 hours
        window: {
          from: new Date(start.getTime() + i * 60_000),
          to: new Date(start.getTime() + hours(2) + i * 60_000),
        },
        plate: `RACE${i}`,
        driverId: null,
      }),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(new Set(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code))).toEqual(
      new Set(['BOOKING.SPACE_TAKEN']),
    );
    expect(await db.prisma.booking.count({ where: { spaceId } })).toBe(1);
  });

  it.each([
    ['minutes', start],
    // whole hours: free spaces come from the hourly bitmaps, whose rows concurrent holds share
    ['whole hours', new Date(Math.ceil(start.getTime() / hours(1)) * hours(1))],
  ])(
    'gives exactly N winners, on N distinct spaces, when many race for "any EV space" (%s)',
    async (_, from) => {
      const N = 5;
      const f = await createFacility(db, { spaces: { ev: N, standard: 3 } });
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          cores[i % cores.length]!.bookings.hold({
            facilityId: f.id,
            kind: 'ev',
            window: { from, to: new Date(from.getTime() + hours(1)) },
            plate: `EV${i}`,
            driverId: null,
          }),
        ),
      );
      const winners = results.flatMap((r) => (r.ok ? [r.value.booking] : []));
      expect(winners).toHaveLength(N);
      expect(new Set(winners.map((b) => b.spaceId)).size).toBe(N);
      expect(winners.every((b) => b.spaceKind === 'ev')).toBe(true);
      expect(
        results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'BOOKING.NO_SPACE_AVAILABLE'),
      ).toBe(true);
    },
  );

  it('refuses an overlapping live booking written straight to the database, bypassing the application', async () => {
    const f = await createFacility(db, { spaces: { standard: 1 } });
    const spaceId = f.spaceIds.standard?.[0] ?? '';
    const insert = (from: string, to: string, status = 'confirmed') =>
      db.sql.query(
        `INSERT INTO booking (id, reference, facility_id, space_id, starts_at, ends_at, plate, status, price_minor, currency, pricing, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'RAW1', $6::booking_status, 0, 'GBP', '{}', now())`,
        [`RAW${Math.random().toString(36).slice(2, 8)}`, f.id, spaceId, from, to, status],
      );
    await insert('2031-01-01T10:00:00Z', '2031-01-01T12:00:00Z');
    await expect(insert('2031-01-01T11:00:00Z', '2031-01-01T13:00:00Z')).rejects.toThrow(
      /booking_no_overlap|conflicting key/,
    );
    await expect(insert('2031-01-01T11:00:00Z', '2031-01-01T13:00:00Z', 'held')).rejects.toThrow();
    await insert('2031-01-01T12:00:00Z', '2031-01-01T13:00:00Z'); // back to back is fine
    await insert('2031-01-01T10:30:00Z', '2031-01-01T11:30:00Z', 'cancelled'); // dead bookings don't count
    await expect(insert('2031-01-01T13:00:00Z', '2031-01-01T12:00:00Z')).rejects.toThrow(
      /booking_time_range_check/,
    );
  });

  it.runIf(backend === 'postgres')('holds under concurrent writers from several processes', async () => {
    const f = await createFacility(db, { spaces: { standard: 1 } });
    const spaceId = f.spaceIds.standard?.[0] ?? '';
    const worker = fileURLToPath(new URL('../../test/support/race-worker.ts', import.meta.url));
    const outputs = await Promise.all(
      [0, 1, 2].map(() =>
        run(process.execPath, ['--import', 'tsx', worker, db.url!, f.id, spaceId, start.toISOString(), '6'], {
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
        }),
      ),
    );
    const outcomes = outputs.flatMap((o) => JSON.parse(o.stdout.trim().split('\n').pop()!) as string[]);
    expect(outcomes).toHaveLength(18);
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(await db.prisma.booking.count({ where: { spaceId } })).toBe(1);
  });
});
