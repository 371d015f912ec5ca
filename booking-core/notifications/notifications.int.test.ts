import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { createFacility, hours, minutes, TestClock } from '../../test/support/fixtures.ts';
import { createBookingCore, type BookingCore } from '../booking-core.ts';
import type { Database } from '../storage/database.ts';
import { TestCheckoutGateway } from '../payments/test-checkout.ts';
import type { Booking } from '../types.ts';
import type { Notification, NotificationSender } from './types.ts';

/** A channel stand-in: records what it sent; can be told to fail or to find nobody. */
class RecordingSender implements NotificationSender {
  readonly sent: Array<{ id: string; kind: string; bookingId: string; address: string | null }> = [];
  failNext = 0;
  nobody = false;
  async send(n: Notification, b: Booking, address: string | null) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('channel down');
    }
    if (this.nobody || !address) return 'undeliverable' as const;
    await new Promise((r) => setTimeout(r, 5)); // a real send takes a moment: let instances overlap
    this.sent.push({ id: n.id, kind: n.kind, bookingId: b.id, address });
    return 'sent' as const;
  }
}

describe.each(BACKENDS)('notifications on %s', (backend) => {
  let db: TestDatabase;
  let db2: Database;
  let a: BookingCore;
  let b: BookingCore;
  const clock = new TestClock();
  let facilityId: string;
  const senders = { a: new RecordingSender(), b: new RecordingSender() };
  const allSent = () => [...senders.a.sent, ...senders.b.sent];

  const core = (database: Database) =>
    createBookingCore({
      db: database,
      clock,
      payments: {
        gateways: [new TestCheckoutGateway((id) => `http://127.0.0.1/pay/${id}`)],
        returnUrls: () => ({ success: 'http://127.0.0.1/pay/return', cancel: 'http://127.0.0.1/pay/return' }),
      },
    });
  /** Held, paid through the test checkout (the webhook path), on instance `a`. */
  const paidBooking = async (startInHours: number, address: string | null = 'conv-1') => {
    const from = new Date(clock.now().getTime() + hours(startInHours));
    const held = await a.bookings.hold({
      facilityId,
      window: { from, to: new Date(from.getTime() + hours(2)) },
      plate: 'AB12 CDE',
      driverId: null,
    });
    if (!held.ok) throw new Error(held.error.message);
    const booking = held.value.booking;
    if (address) await a.notifications.setContact(booking.id, address);
    const c = await a.payments.checkout(booking.id, { kind: 'system' });
    if (!c.ok) throw new Error(c.error.message);
    await a.payments.handleEvent(TestCheckoutGateway.paid(c.value.payment.providerCheckoutId!));
    await new Promise((r) => setTimeout(r, 50)); // listeners schedule after the change
    return booking;
  };
  const dispatchBoth = () => Promise.all([a.notifications.dispatchDue(), b.notifications.dispatchDue()]);

  beforeAll(async () => {
    db = await freshDatabase(backend);
    db2 = await db.connectAgain();
    facilityId = (await createFacility(db, { spaces: { standard: 20 } })).id;
    a = core(db);
    b = core(db2);
    a.notifications.useSender(senders.a);
    b.notifications.useSender(senders.b);
  });
  afterAll(() => db?.close()); // closes the second instance's pool too

  it('a paid booking gets its confirmation now and its reminders later, each sent once by two instances', async () => {
    const booking = await paidBooking(3);
    const scheduled = await a.notifications.forBooking(booking.id);
    expect(scheduled.map((n) => [n.kind, n.status])).toEqual([
      ['confirmed', 'pending'],
      ['starts_soon', 'pending'],
      ['ends_soon', 'pending'],
    ]);
    expect(scheduled[0]?.detail).toMatchObject({ amountMinor: expect.any(Number), provider: 'test' });

    await dispatchBoth();
    expect(
      allSent()
        .filter((s) => s.bookingId === booking.id)
        .map((s) => s.kind),
    ).toEqual(['confirmed']);

    clock.advance(hours(2) + minutes(1)); // an hour before the start
    await Promise.all([dispatchBoth(), dispatchBoth(), dispatchBoth()]);
    clock.advance(hours(2) + minutes(45)); // 15 minutes before the end
    await Promise.all([dispatchBoth(), dispatchBoth()]);
    const mine = allSent().filter((s) => s.bookingId === booking.id);
    // each sent once, by whichever instance claimed it (the two instances' logs are concatenated)
    expect(mine.map((s) => s.kind).sort()).toEqual(['confirmed', 'ends_soon', 'starts_soon']);
    expect(new Set(mine.map((s) => s.id)).size).toBe(3);
    expect(mine.every((s) => s.address === 'conv-1')).toBe(true);
    const recorded = await a.notifications.forBooking(booking.id);
    expect(recorded.every((n) => n.status === 'sent' && n.sentAt && n.attempts === 1)).toBe(true);
  });

  it('retries a failing channel later and records what could not be delivered', async () => {
    const booking = await paidBooking(30);
    senders.a.failNext = 1;
    senders.b.failNext = 1;
    await dispatchBoth();
    senders.a.failNext = senders.b.failNext = 0; // only one instance claimed it
    let confirmed = (await a.notifications.forBooking(booking.id)).find((n) => n.kind === 'confirmed')!;
    expect(confirmed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'channel down' });
    await dispatchBoth(); // not yet due again
    expect(allSent().some((s) => s.bookingId === booking.id)).toBe(false);
    clock.advance(minutes(1));
    await dispatchBoth();
    confirmed = (await a.notifications.forBooking(booking.id)).find((n) => n.kind === 'confirmed')!;
    expect(confirmed).toMatchObject({ status: 'sent', attempts: 2 });

    const nobody = await paidBooking(30, null);
    await dispatchBoth();
    const n = (await a.notifications.forBooking(nobody.id)).find((x) => x.kind === 'confirmed');
    expect(n?.status).toBe('undeliverable');
  });

  it('"stop reminders" cancels reminders but still tells about money; a cancelled booking is not reminded', async () => {
    const driver = await a.drivers.upsertByContact({ phone: '+447700900123' });
    const from = new Date(clock.now().getTime() + hours(2));
    const held = await a.bookings.hold({
      facilityId,
      window: { from, to: new Date(from.getTime() + hours(1)) },
      plate: 'AB12 CDE',
      driverId: driver.id,
    });
    if (!held.ok) throw new Error(held.error.message);
    await a.notifications.setContact(held.value.booking.id, 'conv-2');
    const c = await a.payments.checkout(held.value.booking.id, { kind: 'system' });
    if (!c.ok) throw new Error(c.error.message);
    await a.payments.handleEvent(TestCheckoutGateway.paid(c.value.payment.providerCheckoutId!));
    await new Promise((r) => setTimeout(r, 50));
    await a.notifications.setRemindersOff(driver.id, true);
    clock.advance(hours(1) + minutes(1));
    await dispatchBoth();
    const kinds = (await a.notifications.forBooking(held.value.booking.id)).map((n) => [n.kind, n.status]);
    expect(kinds).toEqual([
      ['confirmed', 'sent'],
      ['starts_soon', 'cancelled'],
      ['ends_soon', 'pending'],
    ]);

    const other = await paidBooking(30); // cancelled more than 24 h ahead: refunded
    await a.payments.cancel(other.id, { kind: 'system' });
    await new Promise((r) => setTimeout(r, 50));
    const after = await a.notifications.forBooking(other.id);
    expect(after.filter((n) => n.kind !== 'confirmed' && n.kind !== 'refunded').map((n) => n.status)).toEqual(
      ['cancelled', 'cancelled'],
    );
    expect(after.some((n) => n.kind === 'refunded')).toBe(true);
  });
});
