import { describe, expect, it } from 'vitest';
import type { Booking } from '../types.ts';
import { refundPolicy } from './policy.ts';
import type { Payment } from './types.ts';

const from = new Date('2026-12-01T09:00:00Z');
const booking = { from, currency: 'GBP' } as Booking;
const paid = (amountMinor: number, refundedMinor = 0): Payment =>
  ({
    amountMinor,
    refundedMinor,
    status: refundedMinor ? 'partially_refunded' : 'paid',
    paidAt: from,
  }) as Payment;
const hoursBefore = (h: number) => new Date(from.getTime() - h * 3_600_000);

describe('cancellation refund policy', () => {
  it('refunds everything paid up to the limit before the start', () => {
    expect(refundPolicy(booking, [paid(1300)], hoursBefore(48), 24).refundMinor).toBe(1300);
    expect(refundPolicy(booking, [paid(1300)], hoursBefore(24), 24).refundMinor).toBe(1300);
  });

  it('refunds nothing after the limit', () => {
    const p = refundPolicy(booking, [paid(1300)], hoursBefore(23.9), 24);
    expect(p.refundMinor).toBe(0);
    expect(p.fullRefundUntil).toEqual(hoursBefore(24));
  });

  it('counts extensions and leaves out what was already refunded or never paid', () => {
    const pending = { amountMinor: 500, refundedMinor: 0, status: 'pending', paidAt: null } as Payment;
    expect(
      refundPolicy(booking, [paid(1300, 300), paid(650), pending], hoursBefore(30), 24).refundMinor,
    ).toBe(1650);
  });
});
