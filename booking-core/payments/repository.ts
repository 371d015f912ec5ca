import type { Payment, PaymentPurpose, PaymentStatus, Refund } from './types.ts';

export interface PaymentInsert {
  readonly bookingId: string;
  readonly purpose: PaymentPurpose;
  readonly provider: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly expiresAt: Date;
  readonly extendFrom?: Date | null;
  readonly extendTo?: Date | null;
}

export interface PaymentFilter {
  readonly status?: PaymentStatus;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit?: number;
}

/** Payments in PostgreSQL. Every status change is conditional, so repeats and races change nothing. */
export interface PaymentRepository {
  insert(p: PaymentInsert): Promise<Payment>;
  get(id: string): Promise<Payment | null>;
  byCheckout(provider: string, checkoutId: string): Promise<Payment | null>;
  byPaymentRef(provider: string, paymentRef: string): Promise<Payment | null>;
  forBooking(bookingId: string): Promise<Payment[]>;
  /** The booking's pending checkout of `amountMinor` that has a URL to send the driver to, if any. */
  openCheckout(bookingId: string, amountMinor: number): Promise<Payment | null>;
  list(filter: PaymentFilter): Promise<Payment[]>;
  /** The provider answered: which one, its checkout id and URL. The pending payment, or null if no longer pending. */
  attachCheckout(
    id: string,
    c: { provider: string; checkoutId: string; url: string },
  ): Promise<Payment | null>;
  /** The provider could not make a checkout: the attempt is recorded as failed. */
  markFailed(id: string): Promise<Payment | null>;
  /** `from` → `to` if still in one of `from`; null otherwise. */
  transition(
    id: string,
    from: readonly PaymentStatus[],
    to: PaymentStatus,
    fields?: { paymentRef?: string | null; receiptUrl?: string | null; paidAt?: Date },
  ): Promise<Payment | null>;
  /** Records a webhook event id; false when it was seen before. */
  recordEvent(provider: string, eventId: string, type: string): Promise<boolean>;
  /** Forgets an event whose handling failed, so the provider's redelivery is handled. */
  forgetEvent(provider: string, eventId: string): Promise<void>;
  /** Claims unpaid checkouts due to lapse (pending, expiresAt ≤ now) and marks them expired; SKIP LOCKED. */
  claimLapsedCheckouts(now: Date, limit: number, bookingId?: string): Promise<Payment[]>;
  /** Claims paid payments of cancelled bookings not yet settled by the refund policy; SKIP LOCKED. */
  claimUnsettledCancellations(now: Date, limit: number, bookingId?: string): Promise<Payment[]>;
  /**
   * Reserves a refund of `amountMinor` on a paid payment: 'exceeds' when more than what is paid and
   * not yet refunded (or reserved) would go back.
   */
  reserveRefund(
    paymentId: string,
    r: { amountMinor: number; reason: string; actor: string },
  ): Promise<Refund | 'exceeds' | 'not_paid'>;
  /** The provider's answer to a refund; a succeeded refund counts into the payment's refunded total. */
  completeRefund(
    refundId: string,
    r: { status: 'succeeded' | 'pending' | 'failed'; providerRefundId: string | null },
  ): Promise<Payment | null>;
  /** The provider's own total refunded for a payment (e.g. Stripe's charge.refunded). */
  applyRefundedTotal(paymentId: string, refundedMinor: number): Promise<Payment | null>;
}
