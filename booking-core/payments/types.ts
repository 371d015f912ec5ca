/** Payments: plain domain data and the port every provider implements. */

export const PAYMENT_STATUSES = [
  'pending',
  'paid',
  'expired',
  'failed',
  'refunded',
  'partially_refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What a payment pays for: the booking's hold, or extra time on it. */
export type PaymentPurpose = 'booking' | 'extension';

export interface Payment {
  readonly id: string;
  readonly bookingId: string;
  readonly purpose: PaymentPurpose;
  /** 'stripe' | 'paypal' | 'test' */
  readonly provider: string;
  readonly status: PaymentStatus;
  readonly amountMinor: number;
  readonly currency: string;
  readonly refundedMinor: number;
  /** Stripe Checkout Session id, PayPal order id, test checkout token */
  readonly providerCheckoutId: string | null;
  /** Stripe PaymentIntent id, PayPal capture id */
  readonly providerPaymentId: string | null;
  readonly checkoutUrl: string | null;
  readonly receiptUrl: string | null;
  readonly expiresAt: Date;
  readonly extendFrom: Date | null;
  readonly extendTo: Date | null;
  readonly paidAt: Date | null;
  readonly createdAt: Date;
  readonly refunds: readonly Refund[];
}

export interface Refund {
  readonly id: string;
  readonly paymentId: string;
  readonly amountMinor: number;
  readonly reason: string;
  readonly actor: string;
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly providerRefundId: string | null;
  readonly createdAt: Date;
}

export interface CheckoutRequest {
  readonly paymentId: string;
  readonly bookingId: string;
  readonly reference: string;
  /** one line the payer sees, e.g. "Parking at King's Cross, 9:00–11:00 (PK7F3K9Q)" */
  readonly description: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** the hold's end; providers with bounds (Stripe: 30 min–24 h) clamp and are expired explicitly */
  readonly payBy: Date;
  readonly now: Date;
  readonly successUrl: string;
  readonly cancelUrl: string;
  /** sent with the create call so a retry never makes a second checkout */
  readonly idempotencyKey: string;
}

export interface RefundRequest {
  readonly paymentRef: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reason: string;
  readonly idempotencyKey: string;
}

/**
 * A payment provider. Stripe, PayPal and the embedded test checkout implement it; booking-core's
 * `PaymentService` never knows which one it talks to.
 */
export interface PaymentGateway {
  readonly provider: string;
  createCheckout(req: CheckoutRequest): Promise<{ checkoutId: string; url: string }>;
  /** Closes an unpaid checkout so it can no longer be paid; harmless if already closed. */
  expireCheckout(checkoutId: string, idempotencyKey: string): Promise<void>;
  refund(req: RefundRequest): Promise<{ refundId: string; status: 'succeeded' | 'pending' | 'failed' }>;
  /**
   * The payer came back from the provider's page. Providers where the merchant completes the
   * payment (PayPal captures an approved order) do so here and say what happened.
   */
  completeReturn?(checkoutId: string): Promise<PaymentEvent | null>;
}

/** A webhook whose signature does not verify: answer 400 and change nothing. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/**
 * The provider could not be reached or failed on its side (timeout, 5xx, rate limit): the next
 * provider may be tried. Any other error from a gateway is a refusal and is not failed over.
 */
export class GatewayUnavailableError extends Error {
  override readonly name = 'GatewayUnavailableError';
  constructor(
    readonly provider: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A provider's webhook (or the test checkout's button) turned into what it means for us. Each
 * carries the provider's event id: handling the same id twice changes nothing.
 */
export type PaymentEvent = { readonly provider: string; readonly eventId: string; readonly type: string } & (
  | {
      readonly kind: 'paid';
      readonly checkoutId: string;
      readonly paymentRef: string | null;
      readonly receiptUrl?: string | null;
    }
  /** the checkout completed but the money has not arrived yet (bank debits) */
  | { readonly kind: 'processing'; readonly checkoutId: string; readonly paymentRef: string | null }
  | { readonly kind: 'failed'; readonly checkoutId: string }
  | { readonly kind: 'expired'; readonly checkoutId: string }
  /** the provider's total refunded so far for a payment */
  | { readonly kind: 'refunded'; readonly paymentRef: string; readonly refundedMinor: number }
  | { readonly kind: 'ignored' }
);

export type PaymentEventOutcome = 'applied' | 'duplicate' | 'ignored' | 'unknown_payment';
