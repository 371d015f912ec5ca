import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Stripe from 'stripe';

/**
 * A local stand-in for Stripe's API: form-encoded requests in, Stripe's JSON out, Idempotency-Key
 * honoured, Checkout Sessions' 30 min–24 h `expires_at` bounds enforced. Tests complete sessions
 * and get Stripe events signed exactly as Stripe signs them.
 */
export interface StripeStandIn {
  readonly url: string;
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly sessions: Map<string, Record<string, unknown>>;
  readonly refunds: Array<Record<string, unknown>>;
  /** every request: method, path, form body, idempotency key */
  readonly requests: Array<{
    method: string;
    path: string;
    body: Record<string, unknown>;
    idempotencyKey?: string;
  }>;
  /** the next `n` session creations answer with `status` (e.g. 500) */
  failCreates(n: number, status?: number): void;
  /** marks the session paid and returns the `checkout.session.completed` event */
  complete(sessionId: string, paymentStatus?: 'paid' | 'unpaid'): Stripe.Event;
  event(type: string, object: Record<string, unknown>): Stripe.Event;
  /** the body and a valid Stripe-Signature header for an event */
  sign(event: Stripe.Event, secret?: string): { body: string; signature: string };
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
const stripeError = (res: express.Response, status: number, message: string, param?: string) =>
  res.status(status).json({ error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } });

/** `clock`: Stripe's "now" (a test that moves the platform's clock moves the world's, Stripe's too). */
export async function startStripeStandIn(
  options: { clock?: { now: () => Date } } = {},
): Promise<StripeStandIn> {
  const clock = options.clock ?? { now: () => new Date() };
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const sessions = new Map<string, Record<string, unknown>>();
  const intents = new Map<string, Record<string, unknown>>();
  const refunds: Array<Record<string, unknown>> = [];
  const requests: StripeStandIn['requests'] = [];
  const replies = new Map<string, { status: number; body: unknown }>();
  let failing = { n: 0, status: 500 };
  let base = '';

  const app = express();
  app.use(express.urlencoded({ extended: true }));
  app.use((req, res, next) => {
    const key = req.get('idempotency-key');
    requests.push({
      method: req.method,
      path: req.path,
      body: req.body as Record<string, unknown>,
      ...(key ? { idempotencyKey: key } : {}),
    });
    if (req.get('authorization') !== `Bearer ${secretKey}`) {
      res.status(401).json({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
      return;
    }
    const seen = key ? replies.get(`${req.path}:${key}`) : undefined;
    if (seen) {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(seen.status).json(seen.body);
      return;
    }
    if (key) {
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        if (res.statusCode < 500) replies.set(`${req.path}:${key}`, { status: res.statusCode, body });
        return json(body);
      };
    }
    next();
  });

  app.post('/v1/checkout/sessions', (req, res) => {
    if (failing.n > 0) {
      failing.n--;
      res.status(failing.status).json({ error: { type: 'api_error', message: 'An unknown error occurred' } });
      return;
    }
    const b = req.body as {
      mode?: string;
      expires_at?: string;
      success_url?: string;
      cancel_url?: string;
      client_reference_id?: string;
      metadata?: Record<string, string>;
      line_items?: Array<{
        quantity: string;
        price_data: { currency: string; unit_amount: string; product_data: { name: string } };
      }>;
    };
    const now = Math.floor(clock.now().getTime() / 1000);
    const expiresAt = Number(b.expires_at ?? now + 86_400);
    if (expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600) {
      stripeError(
        res,
        400,
        'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
        'expires_at',
      );
      return;
    }
    const item = b.line_items?.[0];
    if (b.mode !== 'payment' || !item || !b.success_url) {
      stripeError(res, 400, 'Missing required param: line_items.', 'line_items');
      return;
    }
    const sid = id('cs');
    const session = {
      id: sid,
      object: 'checkout.session',
      amount_total: Number(item.price_data.unit_amount) * Number(item.quantity),
      currency: item.price_data.currency,
      client_reference_id: b.client_reference_id ?? null,
      created: now,
      expires_at: expiresAt,
      livemode: false,
      metadata: b.metadata ?? {},
      mode: 'payment',
      payment_intent: null as string | null,
      payment_status: 'unpaid',
      status: 'open',
      success_url: b.success_url,
      cancel_url: b.cancel_url ?? null,
      url: `${base}/c/pay/${sid}`,
    };
    sessions.set(sid, session);
    res.json(session);
  });

  app.post('/v1/checkout/sessions/:id/expire', (req, res) => {
    const s = sessions.get(req.params.id);
    if (!s) return void stripeError(res, 404, `No such checkout.session: '${req.params.id}'`, 'session');
    if (s['status'] !== 'open') {
      return void stripeError(res, 400, `Only Checkout Sessions with a status in ["open"] can be expired.`);
    }
    s['status'] = 'expired';
    res.json(s);
  });

  app.get('/v1/payment_intents/:id', (req, res) => {
    const pi = intents.get(req.params.id);
    if (!pi) return void stripeError(res, 404, `No such payment_intent: '${req.params.id}'`);
    res.json(pi);
  });

  app.post('/v1/refunds', (req, res) => {
    const b = req.body as {
      payment_intent?: string;
      amount?: string;
      reason?: string;
      metadata?: Record<string, string>;
    };
    const pi = b.payment_intent ? intents.get(b.payment_intent) : undefined;
    if (!pi)
      return void stripeError(res, 400, `No such payment_intent: '${b.payment_intent}'`, 'payment_intent');
    const amount = Number(b.amount ?? pi['amount']);
    const refund = {
      id: id('re'),
      object: 'refund',
      amount,
      currency: pi['currency'],
      payment_intent: pi['id'],
      charge: (pi['latest_charge'] as { id: string }).id,
      reason: b.reason ?? null,
      metadata: b.metadata ?? {},
      status: 'succeeded',
      created: Math.floor(Date.now() / 1000),
    };
    refunds.push(refund);
    res.json(refund);
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stripe = new Stripe(secretKey);

  const event = (type: string, object: Record<string, unknown>): Stripe.Event =>
    ({
      id: id('evt'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    }) as unknown as Stripe.Event;

  return {
    url: base,
    secretKey,
    webhookSecret,
    sessions,
    refunds,
    requests,
    failCreates: (n, status = 500) => {
      failing = { n, status };
    },
    complete: (sessionId, paymentStatus = 'paid') => {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      const piId = id('pi');
      intents.set(piId, {
        id: piId,
        object: 'payment_intent',
        amount: s['amount_total'],
        currency: s['currency'],
        status: 'succeeded',
        latest_charge: {
          id: id('ch'),
          object: 'charge',
          amount: s['amount_total'],
          amount_refunded: 0,
          receipt_url: `https://pay.stripe.com/receipts/payment/${piId}`,
          payment_intent: piId,
        },
      });
      Object.assign(s, { status: 'complete', payment_status: paymentStatus, payment_intent: piId });
      return event('checkout.session.completed', { ...s });
    },
    event,
    sign: (e, secret = webhookSecret) => {
      const body = JSON.stringify(e);
      return { body, signature: stripe.webhooks.generateTestHeaderString({ payload: body, secret }) };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
