import Stripe from 'stripe';
import {
  GatewayUnavailableError,
  WebhookVerificationError,
  type CheckoutRequest,
  type PaymentEvent,
  type PaymentGateway,
  type RefundRequest,
} from './types.ts';

export interface StripeSettings {
  readonly secretKey: string;
  readonly webhookSecret: string;
  /** another API server (a bare origin: the client always calls `/v1/…`), e.g. a local stand-in */
  readonly apiUrl?: string;
  readonly timeoutMs?: number;
}

/** Checkout Sessions must expire 30 minutes to 24 hours after creation. */
const MIN_EXPIRY_S = 31 * 60;
const MAX_EXPIRY_S = 23 * 3600 + 55 * 60;

const idOf = (v: string | { id: string } | null | undefined): string | null =>
  v == null ? null : typeof v === 'string' ? v : v.id;

/**
 * Stripe Checkout. Sessions are created within Stripe's expiry bounds and expired explicitly when
 * the hold lapses; every create, expire and refund call carries our idempotency key.
 */
export class StripeGateway implements PaymentGateway {
  readonly provider = 'stripe';
  private readonly stripe: Stripe;

  constructor(private readonly settings: StripeSettings) {
    const api = settings.apiUrl ? new URL(settings.apiUrl) : null;
    this.stripe = new Stripe(settings.secretKey, {
      maxNetworkRetries: 1,
      timeout: settings.timeoutMs ?? 15_000,
      telemetry: false,
      ...(api
        ? {
            host: api.hostname,
            port: api.port || (api.protocol === 'http:' ? 80 : 443),
            protocol: api.protocol === 'http:' ? 'http' : 'https',
          }
        : {}),
    });
  }

  async createCheckout(req: CheckoutRequest): Promise<{ checkoutId: string; url: string }> {
    const nowS = Math.floor(req.now.getTime() / 1000);
    const wanted = Math.floor(req.payBy.getTime() / 1000);
    const expiresAt = Math.min(Math.max(wanted, nowS + MIN_EXPIRY_S), nowS + MAX_EXPIRY_S);
    const metadata = { paymentId: req.paymentId, bookingId: req.bookingId, reference: req.reference };
    const session = await this.call(() =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: req.bookingId,
          metadata,
          payment_intent_data: { metadata },
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: req.currency.toLowerCase(),
                unit_amount: req.amountMinor,
                product_data: { name: req.description },
              },
            },
          ],
          expires_at: expiresAt,
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
        },
        { idempotencyKey: req.idempotencyKey },
      ),
    );
    if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL');
    return { checkoutId: session.id, url: session.url };
  }

  async expireCheckout(checkoutId: string, idempotencyKey: string): Promise<void> {
    try {
      await this.call(() => this.stripe.checkout.sessions.expire(checkoutId, {}, { idempotencyKey }));
    } catch (e) {
      // Only open sessions can be expired: one already complete or expired needs nothing.
      if ((e as { type?: string }).type === 'StripeInvalidRequestError') return;
      throw e;
    }
  }

  async refund(req: RefundRequest) {
    const r = await this.call(() =>
      this.stripe.refunds.create(
        {
          payment_intent: req.paymentRef,
          amount: req.amountMinor,
          reason: 'requested_by_customer',
          metadata: { reason: req.reason.slice(0, 500) },
        },
        { idempotencyKey: req.idempotencyKey },
      ),
    );
    const status =
      r.status === 'succeeded'
        ? 'succeeded'
        : r.status === 'failed' || r.status === 'canceled'
          ? 'failed'
          : 'pending';
    return { refundId: r.id, status } as const;
  }

  /**
   * Verifies a webhook (raw body bytes and the `Stripe-Signature` header) and says what it means.
   * Throws `WebhookVerificationError` when the signature does not verify.
   */
  async parseWebhook(rawBody: Buffer, signature: string | undefined): Promise<PaymentEvent> {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature ?? '', this.settings.webhookSecret);
    } catch (e) {
      throw new WebhookVerificationError('the Stripe-Signature does not verify', { cause: e });
    }
    const base = { provider: this.provider, eventId: event.id, type: event.type };
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        const s = event.data.object;
        const paymentRef = idOf(s.payment_intent);
        if (s.payment_status === 'unpaid')
          return { ...base, kind: 'processing', checkoutId: s.id, paymentRef };
        return {
          ...base,
          kind: 'paid',
          checkoutId: s.id,
          paymentRef,
          receiptUrl: await this.receiptUrl(paymentRef),
        };
      }
      case 'checkout.session.async_payment_failed':
        return { ...base, kind: 'failed', checkoutId: event.data.object.id };
      case 'checkout.session.expired':
        return { ...base, kind: 'expired', checkoutId: event.data.object.id };
      case 'charge.refunded': {
        const charge = event.data.object;
        const paymentRef = idOf(charge.payment_intent);
        if (!paymentRef) return { ...base, kind: 'ignored' };
        return { ...base, kind: 'refunded', paymentRef, refundedMinor: charge.amount_refunded };
      }
      default:
        return { ...base, kind: 'ignored' };
    }
  }

  /** The charge's receipt page, for the driver's receipt; none if Stripe cannot say now. */
  private async receiptUrl(paymentIntentId: string | null): Promise<string | null> {
    if (!paymentIntentId) return null;
    try {
      const pi = await this.stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] });
      const charge = pi.latest_charge;
      return charge && typeof charge === 'object' ? (charge.receipt_url ?? null) : null;
    } catch {
      return null;
    }
  }

  /** Timeouts, connection failures, 5xx and rate limits mean "try another provider". */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const s = e as { type?: string; statusCode?: number; message?: string };
      if (
        s.type === 'StripeConnectionError' ||
        s.type === 'StripeAPIError' ||
        s.type === 'StripeRateLimitError' ||
        (s.statusCode ?? 0) >= 500
      ) {
        throw new GatewayUnavailableError(this.provider, `Stripe is unavailable: ${s.message ?? s.type}`, {
          cause: e,
        });
      }
      throw e;
    }
  }
}
