import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, type TestDatabase } from '../test/support/databases.ts';
import { createFacility, hours, minutes, TestClock } from '../test/support/fixtures.ts';
import { createBookingCore, type BookingCore, type BookingEventName, type OccupancyView } from './index.ts';

describe.each(BACKENDS)('booking core on %s', (backend) => {
  let db: TestDatabase;
  let core: BookingCore;
  const clock = new TestClock();
  const occupied = new Map<string, Set<string>>();
  const sensors: OccupancyView = { unavailableNow: async (id) => occupied.get(id) ?? new Set() };
  const events: BookingEventName[] = [];
  let driverId: string;
  let otherDriverId: string;

  beforeAll(async () => {
    db = await freshDatabase(backend);
    core = createBookingCore({ db, clock, occupancy: sensors, holdMinutes: 15 });
    for (const e of [
      'booking.held',
      'booking.confirmed',
      'booking.cancelled',
      'booking.extended',
      'booking.expired',
    ] as const) {
      core.events.on(e, () => void events.push(e));
    }
    driverId = (await core.drivers.upsertByContact({ phone: '+447700900001', name: 'Ada' })).id;
    otherDriverId = (await core.drivers.upsertByContact({ email: 'bo@example.com' })).id;
  });
  afterAll(() => db?.close());

  const me = () => ({ kind: 'driver' as const, driverId });
  const window = (startInHours: number, lengthHours: number) => ({
    from: new Date(clock.now().getTime() + hours(startInHours)),
    to: new Date(clock.now().getTime() + hours(startInHours + lengthHours)),
  });
  const hold = (facilityId: string, w = window(1, 2), extra: object = {}) =>
    core.bookings.hold({ facilityId, window: w, plate: 'ab12 cde', driverId, ...extra });

  it('holds any space of a kind, prices it, and confirms it', async () => {
    const f = await createFacility(db, { spaces: { standard: 2, ev: 1 }, hourlyRateMinor: 300 });
    const r = await hold(f.id, window(1, 2), { kind: 'ev' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const b = r.value.booking;
    expect(b).toMatchObject({
      status: 'held',
      spaceKind: 'ev',
      plate: 'AB12 CDE',
      driverId,
      currency: 'GBP',
    });
    expect(b.spaceId).toBe(f.spaceIds.ev?.[0]);
    expect(b.reference).toMatch(/^PK[A-HJ-NP-Z2-9]{6}$/);
    expect(b.holdExpiresAt?.getTime()).toBe(clock.now().getTime() + minutes(15));
    // one EV space and it is now held: 100% of comparable spaces taken after, 0% before
    expect(r.value.quote).toMatchObject({
      minutes: 120,
      baseAmountMinor: 600,
      multiplier: 1,
      totalMinor: 600,
    });
    const confirmed = await core.bookings.confirm(b.id, me());
    expect(confirmed.ok && confirmed.value.status).toBe('confirmed');
    expect((await core.bookings.confirm(b.id, me())).ok).toBe(true); // twice is harmless
    const history = await core.bookings.history(b.id);
    expect(history.map((h) => [h.action, h.fromStatus, h.toStatus])).toEqual([
      ['hold', null, 'held'],
      ['confirm', 'held', 'confirmed'],
    ]);
    expect(events).toContain('booking.confirmed');
  });

  it('refuses a second hold of the same space for an overlapping window, allows back-to-back', async () => {
    const f = await createFacility(db, { spaces: { standard: 1 } });
    const spaceId = f.spaceIds.standard?.[0];
    expect((await hold(f.id, window(1, 2), { spaceId })).ok).toBe(true);
    const clash = await hold(f.id, window(2, 2), { spaceId });
    expect(!clash.ok && clash.error.code).toBe('BOOKING.SPACE_TAKEN');
    const any = await hold(f.id, window(0.5, 1));
    expect(!any.ok && any.error.code).toBe('BOOKING.NO_SPACE_AVAILABLE');
    expect((await hold(f.id, window(3, 1), { spaceId })).ok).toBe(true); // starts when the first ends
  });

  it('lets a hold lapse on its own, and then the space is free again', async () => {
    const f = await createFacility(db, { spaces: { standard: 1 } });
    const w = window(2, 1);
    const first = await hold(f.id, w);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    clock.advance(minutes(16));
    const confirm = await core.bookings.confirm(first.value.booking.id, me());
    expect(!confirm.ok && confirm.error.code).toBe('BOOKING.HOLD_EXPIRED');
    expect(
      (await core.bookings.get(first.value.booking.id, me())).ok &&
        (await db.prisma.booking.findUnique({ where: { id: first.value.booking.id } }))?.status,
    ).toBe('expired');
    const again = await core.bookings.hold({
      facilityId: f.id,
      window: w,
      plate: 'XY99 ZZZ',
      driverId: otherDriverId,
    });
    expect(again.ok).toBe(true);
  });

  it('expires lapsed holds in periodic work, and another hold can take the space without waiting for it', async () => {
    const f = await createFacility(db, { spaces: { standard: 1 } });
    const w = window(2, 1);
    const first = await hold(f.id, w);
    expect(first.ok).toBe(true);
    clock.advance(minutes(15));
    // Not yet swept: a new hold expires the lapsed one itself.
    const second = await core.bookings.hold({
      facilityId: f.id,
      window: w,
      plate: 'XY99 ZZZ',
      driverId: otherDriverId,
    });
    expect(second.ok).toBe(true);
    clock.advance(minutes(15));
    const run = await core.lifecycle.runOnce();
    expect(run.expired).toBeGreaterThanOrEqual(1);
    expect((await core.bookings.list({ facilityId: f.id })).map((b) => b.status).sort()).toEqual([
      'expired',
      'expired',
    ]);
  });

  it('moves confirmed bookings to active and completed as time passes', async () => {
    const f = await createFacility(db, { spaces: { standard: 1 } });
    const r = await hold(f.id, window(0.25, 1));
    if (!r.ok) throw new Error(r.error.code);
    await core.bookings.confirm(r.value.booking.id, me());
    clock.advance(minutes(20));
    await core.lifecycle.runOnce();
    expect((await core.bookings.list({ facilityId: f.id }))[0]?.status).toBe('active');
    clock.advance(hours(1));
    await core.lifecycle.runOnce();
    expect((await core.bookings.list({ facilityId: f.id }))[0]?.status).toBe('completed');
  });

  it('refuses windows outside opening hours, too long, reversed or in the past, with stable codes', async () => {
    const f = await createFacility(db, {
      maxStayMinutes: 120,
      openingHours: { mon: [['07:00', '19:00']], tue: [['07:00', '19:00']] },
    });
    // clock: Monday 2030-06-03 08:00Z = 09:00 London
    const codes = async (w: { from: Date; to: Date }) => {
      const r = await hold(f.id, w);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await codes(window(1, 1))).toBe('ok');
    expect(await codes(window(1, 3))).toBe('BOOKING.TOO_LONG');
    expect(await codes(window(9, 1))).toBe('BOOKING.OUTSIDE_OPENING_HOURS'); // 18:00–19:00Z = 19:00–20:00 local
    expect(await codes(window(24 * 3, 1))).toBe('BOOKING.OUTSIDE_OPENING_HOURS'); // Thursday: closed
    expect(await codes({ from: window(2, 0).from, to: window(1, 0).from })).toBe('BOOKING.INVALID_WINDOW');
    expect(await codes(window(-2, 1.5))).toBe('BOOKING.IN_PAST');
    const q = await core.facilities.quote(f.id, window(1, 3), null);
    expect(!q.ok && q.error.code).toBe('BOOKING.TOO_LONG');
    const missing = await core.bookings.hold({
      facilityId: '00000000-0000-4000-8000-000000000000',
      window: window(1, 1),
      plate: 'AB1',
      driverId,
    });
    expect(!missing.ok && missing.error.code).toBe('FACILITY.NOT_FOUND');
  });

  it('keeps drivers to their own bookings', async () => {
    const f = await createFacility(db);
    const r = await hold(f.id);
    if (!r.ok) throw new Error(r.error.code);
    const theirs = { kind: 'driver' as const, driverId: otherDriverId };
    for (const attempt of [
      core.bookings.confirm(r.value.booking.id, theirs),
      core.bookings.cancel(r.value.booking.id, theirs),
      core.bookings.extend(r.value.booking.id, window(5, 0).from, theirs),
      core.bookings.get(r.value.booking.id, theirs),
    ]) {
      const res = await attempt;
      expect(!res.ok && res.error.code).toBe('BOOKING.NOT_YOURS');
    }
    expect((await core.bookings.list({ driverId })).some((b) => b.id === r.value.booking.id)).toBe(true);
    expect(
      (await core.bookings.list({ driverId: otherDriverId })).some((b) => b.id === r.value.booking.id),
    ).toBe(false);
  });

  it('cancels, and a cancelled booking frees the space and cannot be confirmed', async () => {
    const f = await createFacility(db, { spaces: { standard: 1 } });
    const r = await hold(f.id);
    if (!r.ok) throw new Error(r.error.code);
    const c = await core.bookings.cancel(r.value.booking.id, me(), 'plans changed');
    expect(c.ok && c.value.status).toBe('cancelled');
    const confirm = await core.bookings.confirm(r.value.booking.id, me());
    expect(!confirm.ok && confirm.error.code).toBe('BOOKING.INVALID_STATE');
    expect((await hold(f.id)).ok).toBe(true);
  });

  it('extends only while the space is free for the extra time and within the maximum stay', async () => {
    const f = await createFacility(db, {
      spaces: { standard: 1 },
      maxStayMinutes: 240,
      hourlyRateMinor: 100,
    });
    const spaceId = f.spaceIds.standard?.[0];
    const r = await hold(f.id, window(1, 1), { spaceId });
    if (!r.ok) throw new Error(r.error.code);
    const id = r.value.booking.id;
    await core.bookings.confirm(id, me());
    const later = await core.bookings.hold({
      facilityId: f.id,
      window: window(3, 1),
      spaceId,
      plate: 'ZZ1',
      driverId: otherDriverId,
    });
    expect(later.ok).toBe(true);
    const ok1 = await core.bookings.extend(id, window(3, 0).from, me());
    expect(ok1.ok && ok1.value.to.getTime()).toBe(window(3, 0).from.getTime());
    expect(ok1.ok && ok1.value.priceMinor).toBe(200); // 1 h booked + 1 h more at 100
    const clash = await core.bookings.extend(id, window(3.5, 0).from, me());
    expect(!clash.ok && clash.error.code).toBe('BOOKING.SPACE_TAKEN');
    const tooLong = await core.bookings.extend(id, window(5.5, 0).from, me());
    expect(!tooLong.ok && tooLong.error.code).toBe('BOOKING.TOO_LONG');
    const backwards = await core.bookings.extend(id, window(2, 0).from, me());
    expect(!backwards.ok && backwards.error.code).toBe('BOOKING.INVALID_WINDOW');
    const after = await core.bookings.get(id, me());
    expect(after.ok && after.value.to.getTime()).toBe(window(3, 0).from.getTime()); // refusals changed nothing
  });

  it('returns the same booking for a retried idempotency key, and refuses the key for a different request', async () => {
    const f = await createFacility(db, { spaces: { standard: 5 } });
    const req = { idempotencyKey: 'retry-1', requestHash: 'h1' };
    const results = await Promise.all([
      hold(f.id, window(1, 1), req),
      hold(f.id, window(1, 1), req),
      hold(f.id, window(1, 1), req),
    ]);
    const ids = new Set(results.map((r) => (r.ok ? r.value.booking.id : r.error.code)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
    expect((await core.bookings.list({ facilityId: f.id })).length).toBe(1);
    const reused = await hold(f.id, window(2, 1), { idempotencyKey: 'retry-1', requestHash: 'h2' });
    expect(!reused.ok && reused.error.code).toBe('BOOKING.IDEMPOTENCY_KEY_REUSED');
  });

  it('does not offer spaces a sensor says are occupied now, but does for later windows', async () => {
    const f = await createFacility(db, { spaces: { ev: 2 } });
    const [a, b] = f.spaceIds.ev ?? [];
    occupied.set(f.id, new Set([a!]));
    const now = { from: clock.now(), to: new Date(clock.now().getTime() + hours(1)) };
    const avail = await core.facilities.availability(f.id, now, 'ev');
    expect(avail.ok && avail.value.spaces.map((s) => s.id)).toEqual([b]);
    const later = await core.facilities.availability(f.id, window(2, 1), 'ev');
    expect(later.ok && later.value.spaces.length).toBe(2);
    const taken = await hold(f.id, now, { spaceId: a });
    expect(!taken.ok && taken.error.code).toBe('BOOKING.SPACE_TAKEN');
    const any = await hold(f.id, now, { kind: 'ev' });
    expect(any.ok && any.value.booking.spaceId).toBe(b);
    const none = await hold(f.id, now, { kind: 'ev' });
    expect(!none.ok && none.error.code).toBe('BOOKING.NO_SPACE_AVAILABLE');
  });

  it('raises the price as a facility fills up', async () => {
    const f = await createFacility(db, { spaces: { standard: 10 }, hourlyRateMinor: 1000 });
    const w = window(1, 1);
    const first = await core.facilities.quote(f.id, w, 'standard');
    for (let i = 0; i < 9; i++) expect((await hold(f.id, w)).ok).toBe(true);
    const busy = await core.facilities.quote(f.id, w, 'standard');
    expect(first.ok && first.value.totalMinor).toBe(1000);
    expect(busy.ok && busy.value.occupancy).toBe(0.9);
    expect(busy.ok && busy.value.totalMinor).toBeGreaterThan(1000);
    expect(busy.ok && busy.value.totalMinor).toBeLessThanOrEqual(3000);
  });

  it('lists facilities nearest first with free counts now', async () => {
    const near = await createFacility(db, {
      latitude: 10.001,
      longitude: 10.001,
      spaces: { standard: 2, accessible: 1 },
    });
    await createFacility(db, { latitude: 10.05, longitude: 10.05 });
    const list = await core.facilities.list({ near: { latitude: 10, longitude: 10 }, radiusKm: 3 });
    expect((await core.facilities.list({ ids: [near.id] })).map((f) => f.id)).toEqual([near.id]);
    expect(list.map((f) => f.id)).toEqual([near.id]);
    expect(list[0]?.freeNow).toMatchObject({
      total: 3,
      free: 3,
      byKind: { standard: { total: 2, free: 2 }, accessible: { total: 1, free: 1 } },
    });
  });
});
