import { randomBytes } from 'node:crypto';
import type { PaymentEvent, PaymentGateway } from './types.ts';

const token = (prefix: string) => `${prefix}_${randomBytes(16).toString('base64url')}`;

/**
 * The embedded default when no provider is configured: a local checkout page (served by the
 * platform at `pageUrl(checkoutId)`) where no money moves. Its Pay and Cancel buttons produce the
 * same `PaymentEvent`s a provider's webhook would, and go through the same code path.
 */
export class TestCheckoutGateway implements PaymentGateway {
  readonly provider = 'test';

  constructor(private readonly pageUrl: (checkoutId: string) => string) {}

  async createCheckout(): Promise<{ checkoutId: string; url: string }> {
    const checkoutId = token('tcs');
    return { checkoutId, url: this.pageUrl(checkoutId) };
  }

  async expireCheckout(): Promise<void> {}

  async refund(): Promise<{ refundId: string; status: 'succeeded' }> {
    return { refundId: token('tre'), status: 'succeeded' };
  }

  /** Pay pressed: the event id is the checkout's, so pressing twice pays once. */
  static paid(checkoutId: string): PaymentEvent {
    return {
      provider: 'test',
      eventId: `${checkoutId}:paid`,
      type: 'test_checkout.paid',
      kind: 'paid',
      checkoutId,
      paymentRef: `tpi_${checkoutId.slice(4)}`,
      receiptUrl: null,
    };
  }

  /** Cancel pressed: like a provider's "checkout expired". */
  static cancelled(checkoutId: string): PaymentEvent {
    return {
      provider: 'test',
      eventId: `${checkoutId}:cancelled`,
      type: 'test_checkout.cancelled',
      kind: 'expired',
      checkoutId,
    };
  }
}
