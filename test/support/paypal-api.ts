import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/**
 * A local stand-in for PayPal's REST API (OAuth client credentials, Orders v2, captures, refunds,
 * webhook signature verification), speaking PayPal's JSON. `PayPal-Request-Id` is honoured.
 */
export interface PayPalStandIn {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookId: string;
  readonly orders: Map<string, Record<string, unknown>>;
  readonly refunds: Array<Record<string, unknown>>;
  /** the payer approves the order at PayPal */
  approve(orderId: string): void;
  /** headers PayPal would send with a webhook; `valid: false` makes verification fail */
  webhookHeaders(valid?: boolean): Record<string, string>;
  close(): Promise<void>;
}

const pid = (n = 17) => randomBytes(n).toString('hex').slice(0, n).toUpperCase();

export async function startPayPalStandIn(): Promise<PayPalStandIn> {
  const clientId = `client-${pid(8)}`;
  const clientSecret = `secret-${pid(12)}`;
  const webhookId = `WH-${pid(12)}`;
  const goodSig = `sig-${pid(16)}`;
  const token = `A21AA${pid(24)}`;
  const orders = new Map<string, Record<string, unknown>>();
  const refunds: Array<Record<string, unknown>> = [];
  const replies = new Map<string, unknown>();
  let base = '';

  const app = express();
  app.post('/v1/oauth2/token', express.urlencoded({ extended: false }), (req, res) => {
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    if (
      req.get('authorization') !== `Basic ${basic}` ||
      (req.body as { grant_type?: string }).grant_type !== 'client_credentials'
    ) {
      res.status(401).json({ error: 'invalid_client', error_description: 'Client Authentication failed' });
      return;
    }
    res.json({
      scope: 'https://uri.paypal.com/services/payments/payment',
      access_token: token,
      token_type: 'Bearer',
      expires_in: 32400,
    });
  });
  app.use(express.json());
  app.use((req, res, next) => {
    if (req.get('authorization') !== `Bearer ${token}`) {
      res.status(401).json({
        name: 'AUTHENTICATION_FAILURE',
        message: 'Authentication failed due to invalid authentication credentials',
      });
      return;
    }
    const key = req.get('paypal-request-id');
    const seen = key ? replies.get(`${req.path}:${key}`) : undefined;
    if (seen) return void res.status(200).json(seen);
    if (key) {
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        if (res.statusCode < 300) replies.set(`${req.path}:${key}`, body);
        return json(body);
      };
    }
    next();
  });

  app.post('/v2/checkout/orders', (req, res) => {
    const b = req.body as {
      intent?: string;
      purchase_units?: Array<{ amount?: { currency_code: string; value: string } }>;
    };
    const unit = b.purchase_units?.[0];
    if (b.intent !== 'CAPTURE' || !unit?.amount) {
      res.status(400).json({
        name: 'INVALID_REQUEST',
        message: 'Request is not well-formed, syntactically incorrect, or violates schema.',
      });
      return;
    }
    const id = pid();
    const order = {
      id,
      intent: 'CAPTURE',
      status: 'PAYER_ACTION_REQUIRED',
      purchase_units: b.purchase_units,
      create_time: new Date().toISOString(),
      links: [
        { href: `${base}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
        { href: `${base}/checkoutnow?token=${id}`, rel: 'payer-action', method: 'GET' },
      ],
    };
    orders.set(id, order);
    res.status(201).json(order);
  });

  app.post('/v2/checkout/orders/:id/capture', (req, res) => {
    const order = orders.get(req.params.id);
    if (!order)
      return void res
        .status(404)
        .json({ name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.' });
    if (order['status'] === 'COMPLETED') {
      return void res
        .status(422)
        .json({ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'ORDER_ALREADY_CAPTURED' }] });
    }
    if (order['status'] !== 'APPROVED') {
      return void res
        .status(422)
        .json({ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'ORDER_NOT_APPROVED' }] });
    }
    const units = order['purchase_units'] as Array<{ amount: unknown; custom_id?: string }>;
    order['status'] = 'COMPLETED';
    order['purchase_units'] = units.map((u) => ({
      ...u,
      payments: {
        captures: [
          { id: pid(), status: 'COMPLETED', amount: u.amount, custom_id: u.custom_id, final_capture: true },
        ],
      },
    }));
    res.status(201).json(order);
  });

  app.post('/v2/payments/captures/:id/refund', (req, res) => {
    const b = req.body as { amount?: { value: string; currency_code: string } };
    const refund = { id: pid(), status: 'COMPLETED', capture_id: req.params.id, amount: b.amount };
    refunds.push(refund);
    res.status(201).json(refund);
  });

  app.post('/v1/notifications/verify-webhook-signature', (req, res) => {
    const b = req.body as { transmission_sig?: string; webhook_id?: string };
    res.json({
      verification_status:
        b.transmission_sig === goodSig && b.webhook_id === webhookId ? 'SUCCESS' : 'FAILURE',
    });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    clientId,
    clientSecret,
    webhookId,
    orders,
    refunds,
    approve: (orderId) => {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId}`);
      o['status'] = 'APPROVED';
    },
    webhookHeaders: (valid = true) => ({
      'paypal-auth-algo': 'SHA256withRSA',
      'paypal-cert-url': `${base}/v1/notifications/certs/CERT-360caa42`,
      'paypal-transmission-id': pid(),
      'paypal-transmission-sig': valid ? goodSig : 'forged',
      'paypal-transmission-time': new Date().toISOString(),
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
