import {
  GatewayUnavailableError,
  WebhookVerificationError,
  type CheckoutRequest,
  type PaymentEvent,
  type PaymentGateway,
  type RefundRequest,
} from './types.ts';

export interface PayPalSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  /** the REST API's origin: https://api-m.paypal.com, https://api-m.sandbox.paypal.com, or a stand-in */
  readonly apiUrl: string;
  /** the webhook's id in the PayPal dashboard; PayPal verifies each delivery against it */
  readonly webhookId?: string;
  readonly timeoutMs?: number;
}

interface Link {
  rel: string;
  href: string;
}
interface Order {
  id: string;
  status: string;
  links?: Link[];
  purchase_units?: Array<{ payments?: { captures?: Array<{ id: string; status: string }> } }>;
}

/** PayPal amounts are decimal strings in the currency's own precision (JPY has none). */
export const toDecimal = (minor: number, currency: string): string => {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (minor / 10 ** digits).toFixed(digits);
};

/**
 * PayPal Orders v2 over its REST API. (The official `@paypal/paypal-server-sdk` only knows
 * PayPal's two hosts, so it cannot be pointed at another server; plain `fetch` can.) The payer
 * approves the order at PayPal; we capture it when they return or when PayPal's webhook says it
 * was approved.
 */
export class PayPalGateway implements PaymentGateway {
  readonly provider = 'paypal';
  private token: { value: string; until: number } | null = null;

  constructor(private readonly settings: PayPalSettings) {}

  async createCheckout(req: CheckoutRequest): Promise<{ checkoutId: string; url: string }> {
    const order = await this.request<Order>('POST', '/v2/checkout/orders', req.idempotencyKey, {
      intent: 'CAPTURE',
      purchase_units: [
        {
          reference_id: req.bookingId,
          custom_id: req.paymentId,
          invoice_id: req.paymentId,
          description: req.description.slice(0, 127),
          amount: { currency_code: req.currency, value: toDecimal(req.amountMinor, req.currency) },
        },
      ],
      payment_source: {
        paypal: {
          experience_context: {
            return_url: req.successUrl,
            cancel_url: req.cancelUrl,
            user_action: 'PAY_NOW',
            shipping_preference: 'NO_SHIPPING',
          },
        },
      },
    });
    const url = order.links?.find((l) => l.rel === 'payer-action' || l.rel === 'approve')?.href;
    if (!url) throw new Error('PayPal returned an order without an approval link');
    return { checkoutId: order.id, url };
  }

  /** An order that is never captured takes no money and lapses at PayPal by itself. */
  async expireCheckout(): Promise<void> {}

  async refund(req: RefundRequest) {
    const r = await this.request<{ id: string; status: string }>(
      'POST',
      `/v2/payments/captures/${encodeURIComponent(req.paymentRef)}/refund`,
      req.idempotencyKey,
      {
        amount: { currency_code: req.currency, value: toDecimal(req.amountMinor, req.currency) },
        note_to_payer: req.reason.slice(0, 255),
      },
    );
    const status =
      r.status === 'COMPLETED'
        ? 'succeeded'
        : r.status === 'CANCELLED' || r.status === 'FAILED'
          ? 'failed'
          : 'pending';
    return { refundId: r.id, status } as const;
  }

  /** The payer approved the order and came back: capture it (once — PayPal-Request-Id). */
  async completeReturn(orderId: string): Promise<PaymentEvent | null> {
    const order = await this.request<Order>(
      'POST',
      `/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`,
      `capture:${orderId}`,
      {},
    );
    const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
    const base = { provider: this.provider, eventId: `capture:${orderId}`, type: 'order.captured' };
    if (order.status !== 'COMPLETED' || !capture) return null;
    if (capture.status === 'DECLINED' || capture.status === 'FAILED')
      return { ...base, kind: 'failed', checkoutId: orderId };
    if (capture.status !== 'COMPLETED')
      return { ...base, kind: 'processing', checkoutId: orderId, paymentRef: capture.id };
    return { ...base, kind: 'paid', checkoutId: orderId, paymentRef: capture.id, receiptUrl: null };
  }

  /**
   * Verifies a webhook with PayPal's verify-webhook-signature call and says what it means.
   * Throws `WebhookVerificationError` when PayPal does not vouch for it.
   */
  async parseWebhook(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<PaymentEvent> {
    let event: { id?: string; event_type?: string; resource?: Record<string, unknown> };
    try {
      event = JSON.parse(rawBody.toString('utf8')) as typeof event;
    } catch (e) {
      throw new WebhookVerificationError('the PayPal webhook body is not JSON', { cause: e });
    }
    if (!this.settings.webhookId) throw new WebhookVerificationError('PAYPAL_WEBHOOK_ID is not set');
    const verdict = await this.request<{ verification_status?: string }>(
      'POST',
      '/v1/notifications/verify-webhook-signature',
      null,
      {
        auth_algo: headers['paypal-auth-algo'],
        cert_url: headers['paypal-cert-url'],
        transmission_id: headers['paypal-transmission-id'],
        transmission_sig: headers['paypal-transmission-sig'],
        transmission_time: headers['paypal-transmission-time'],
        webhook_id: this.settings.webhookId,
        webhook_event: event,
      },
    );
    if (verdict.verification_status !== 'SUCCESS' || !event.id || !event.event_type) {
      throw new WebhookVerificationError('PayPal did not verify this webhook');
    }
    const base = { provider: this.provider, eventId: event.id, type: event.event_type };
    const resource = event.resource ?? {};
    const orderOf = () =>
      (resource['supplementary_data'] as { related_ids?: { order_id?: string } } | undefined)?.related_ids
        ?.order_id;
    switch (event.event_type) {
      case 'CHECKOUT.ORDER.APPROVED': {
        const captured = await this.completeReturn(String(resource['id']));
        return captured
          ? { ...captured, eventId: event.id, type: event.event_type }
          : { ...base, kind: 'ignored' };
      }
      case 'PAYMENT.CAPTURE.COMPLETED': {
        const orderId = orderOf();
        if (!orderId) return { ...base, kind: 'ignored' };
        return {
          ...base,
          kind: 'paid',
          checkoutId: orderId,
          paymentRef: String(resource['id']),
          receiptUrl: null,
        };
      }
      case 'PAYMENT.CAPTURE.DENIED': {
        const orderId = orderOf();
        return orderId ? { ...base, kind: 'failed', checkoutId: orderId } : { ...base, kind: 'ignored' };
      }
      default:
        return { ...base, kind: 'ignored' };
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const basic = Buffer.from(`${this.settings.clientId}:${this.settings.clientSecret}`).toString('base64');
    const r = await this.send('/v1/oauth2/token', {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const body = (await r.json()) as { access_token: string; expires_in: number };
    this.token = { value: body.access_token, until: Date.now() + Math.max(0, body.expires_in - 60) * 1000 };
    return body.access_token;
  }

  private async request<T>(
    method: string,
    path: string,
    requestId: string | null,
    body: unknown,
  ): Promise<T> {
    const token = await this.accessToken();
    const r = await this.send(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        prefer: 'return=representation',
        ...(requestId ? { 'paypal-request-id': requestId } : {}),
      },
      body: JSON.stringify(body),
    });
    return (await r.json()) as T;
  }

  /** One HTTP call; network failures, timeouts and 5xx mean "try another provider". */
  private async send(path: string, init: RequestInit): Promise<Response> {
    let r: Response;
    try {
      r = await fetch(new URL(path, this.settings.apiUrl), {
        ...init,
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 15_000),
      });
    } catch (e) {
      throw new GatewayUnavailableError(this.provider, 'PayPal could not be reached', { cause: e });
    }
    if (r.status >= 500 || r.status === 429) {
      throw new GatewayUnavailableError(this.provider, `PayPal answered ${r.status}`);
    }
    if (!r.ok) {
      const detail = (await r.json().catch(() => ({}))) as { name?: string; message?: string };
      throw new Error(
        `PayPal refused ${path.split('/').slice(0, 4).join('/')}: ${r.status} ${detail.name ?? ''}`,
      );
    }
    return r;
  }
}
