import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { createFacility, hours } from '../../test/support/fixtures.ts';
import { createBookingCore, type BookingCore } from '../index.ts';

// Windows of whole hours are answered from the hourly bitmaps, others from the bookings themselves.
const SHAPES = [
  {
    shape: 'whole hours',
    start: Math.ceil((Date.now() + hours(24)) / hours(1)) * hours(1),
    names: 'booking_hold_hours_',
  },
  {
    shape: 'minutes',
    start: Math.floor((Date.now() + hours(24)) / hours(1)) * hours(1) + 17 * 60_000,
    names: 'booking_hold_',
  },
];
const CASES = BACKENDS.flatMap((backend) => SHAPES.map((s) => ({ backend, ...s })));

describe.each(CASES)(
  'a hold in one statement on $backend, window of $shape',
  ({ backend, start: startMs, names }) => {
    let db: TestDatabase;
    let core: BookingCore;
    const start = new Date(startMs);
    const window = { from: start, to: new Date(start.getTime() + hours(1)) };

    beforeAll(async () => {
      db = await freshDatabase(backend);
      core = createBookingCore({ db });
    });
    afterAll(() => db?.close());

    it.runIf(backend === 'postgres')('sends one statement per hold once the facility is known', async () => {
      const f = await createFacility(db, { spaces: { standard: 3, ev: 1 } });
      const hold = (extra: object) =>
        core.bookings.hold({ facilityId: f.id, window, plate: 'AB12 CDE', driverId: null, ...extra });
      expect((await hold({ kind: 'standard' })).ok).toBe(true); // loads the facility
      const sent: string[] = [];
      const named: Array<string | undefined> = [];
      const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
      (pg.Client.prototype as unknown as { query: typeof query }).query = function (
        this: unknown,
        ...args: unknown[]
      ) {
        const q = args[0] as string | { name?: string; text: string };
        sent.push(typeof q === 'string' ? q : q.text);
        named.push(typeof q === 'string' ? undefined : q.name);
        return query.apply(this, args);
      };
      try {
        const later = { from: window.to, to: new Date(window.to.getTime() + hours(1)) };
        const outcomes = [
          await hold({ spaceId: f.spaceIds.standard?.[0], window: later }),
          await hold({ kind: 'ev' }),
          await hold({ kind: 'ev' }), // none left
          await hold({ idempotencyKey: 'one-trip', requestHash: 'h' }),
          await hold({ idempotencyKey: 'one-trip', requestHash: 'h' }), // replayed
        ];
        expect(outcomes.map((r) => (r.ok ? (r.value.replayed ? 'replayed' : 'held') : r.error.code))).toEqual(
          ['held', 'held', 'BOOKING.NO_SPACE_AVAILABLE', 'held', 'replayed'],
        );
        expect(sent).toHaveLength(outcomes.length);
        expect(named[0]).toBe(`${names}space`);
        expect(sent.every((text) => text.includes('INSERT INTO booking '))).toBe(true);
      } finally {
        (pg.Client.prototype as unknown as { query: typeof query }).query = query;
      }
    });

    it('prices with the facility as it is now, even when it changed behind the cache', async () => {
      const f = await createFacility(db, { spaces: { standard: 2 }, hourlyRateMinor: 400 });
      const hold = () =>
        core.bookings.hold({ facilityId: f.id, kind: 'standard', window, plate: 'AB12 CDE', driverId: null });
      const first = await hold();
      expect(first.ok && first.value.quote.totalMinor).toBe(400);
      await db.sql.query('UPDATE facility SET hourly_rate_minor = 1000 WHERE id = $1', [f.id]);
      await db.sql.query(
        `INSERT INTO space (id, facility_id, code, kind) VALUES (gen_random_uuid(), $1, 'late-1', 'standard')`,
        [f.id],
      );
      const second = await hold();
      expect(second.ok && second.value.quote).toMatchObject({ hourlyRateMinor: 1000, occupancy: 0.333 });
      expect(second.ok && second.value.booking.priceMinor).toBe(second.ok && second.value.quote.totalMinor);
    });

    it('replays a held booking with the very quote it was made with', async () => {
      const f = await createFacility(db, { spaces: { ev: 3 }, hourlyRateMinor: 700 });
      const req = {
        facilityId: f.id,
        kind: 'ev' as const,
        window,
        plate: 'AB12 CDE',
        driverId: null,
        idempotencyKey: 'same-quote',
        requestHash: 'h',
      };
      await core.bookings.hold({ ...req, idempotencyKey: null });
      await core.bookings.hold({ ...req, idempotencyKey: null });
      const first = await core.bookings.hold(req);
      const again = await core.bookings.hold(req);
      expect(first.ok && first.value.quote.occupancy).toBe(0.667);
      expect(again.ok && again.value.replayed).toBe(true);
      expect(again.ok && again.value.quote).toEqual(first.ok && first.value.quote);
    });
  },
);
