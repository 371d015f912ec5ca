import type { Booking } from '../types.ts';
import type { Payment } from './types.ts';

export interface RefundPolicy {
  /** cancelling up to this instant refunds everything paid */
  readonly fullRefundUntil: Date;
  /** what cancelling now gives back */
  readonly refundMinor: number;
  readonly paidMinor: number;
  readonly refundedMinor: number;
  readonly currency: string;
}

/**
 * The cancellation policy: a full refund up to `fullHours` before the start, nothing after (an
 * agent or operator may still refund).
 *
 *   refundPolicy(booking, payments, now, 24).refundMinor  // 1300 two days ahead, 0 an hour ahead
 */
export function refundPolicy(
  booking: Booking,
  payments: readonly Payment[],
  now: Date,
  fullHours: number,
): RefundPolicy {
  const paid = payments.filter(
    (p) => p.paidAt && ['paid', 'partially_refunded', 'refunded'].includes(p.status),
  );
  const paidMinor = paid.reduce((n, p) => n + p.amountMinor, 0);
  const refundedMinor = paid.reduce((n, p) => n + p.refundedMinor, 0);
  const fullRefundUntil = new Date(booking.from.getTime() - fullHours * 3_600_000);
  return {
    fullRefundUntil,
    refundMinor: now.getTime() <= fullRefundUntil.getTime() ? paidMinor - refundedMinor : 0,
    paidMinor,
    refundedMinor,
    currency: booking.currency,
  };
}
