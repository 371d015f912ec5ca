import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../test/support/databases.ts';
import { startPayPalStandIn, type PayPalStandIn } from '../test/support/paypal-api.ts';
import { startTestPlatform, type RunningPlatform } from '../test/support/platform.ts';
import { startStripeStandIn, type StripeStandIn } from '../test/support/stripe-api.ts';

interface BookingJson {
  id: string;
  reference: string;
  status: string;
  spaceId: string;
  from: string;
  payments: Array<{
    id: string;
    provider: string;
    status: string;
    amountMinor: number;
    refundedMinor: number;
    receiptUrl: string | null;
    providerIds: { checkoutSession: string | null; paymentIntent: string | null; refunds: string[] };
  }>;
  history: Array<{ action: string; toStatus: string; detail: Record<string, unknown> | null }>;
}

const HOUR = 3_600_000;
/** A window starting `hoursAhead` from now (whole minutes), two hours long. */
const windowIn = (hoursAhead: number, now = Date.now()) => {
  const from = new Date(Math.floor((now + hoursAhead * HOUR) / 60_000) * 60_000);
  return { from: from.toISOString(), to: new Date(from.getTime() + 2 * HOUR).toISOString() };
};

describe.each(BACKENDS)('payments on %s, against Stripe and PayPal stand-ins', (backend) => {
  let p: RunningPlatform;
  let stripe: StripeStandIn;
  let paypal: PayPalStandIn;
  let facilityId: string;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const json = async <T = Record<string, unknown>>(r: Response) => (await r.json()) as T;
  const booking = async (id: string) => json<BookingJson>(await p.api(`/api/v1/bookings/${id}`));

  const hold = async (hoursAhead: number, spaceId?: string) => {
    const r = await p.api('/api/v1/bookings', {
      method: 'POST',
      json: {
        facilityId,
        ...windowIn(hoursAhead, clock.now().getTime()),
        ...(spaceId ? { spaceId } : { kind: 'standard' }),
        plate: 'AB12 CDE',
        driver: { name: 'Ada' },
      },
    });
    expect(r.status).toBe(201);
    return json<BookingJson>(r);
  };
  const checkout = async (bookingId: string) => {
    const r = await p.api(`/api/v1/bookings/${bookingId}/checkout`, { method: 'POST' });
    expect(r.status).toBe(200);
    return json<{ url: string; payment: BookingJson['payments'][number] }>(r);
  };
  const deliver = async (event: ReturnType<StripeStandIn['complete']>, secret?: string) => {
    const { body, signature } = stripe.sign(event, secret);
    return p.api('/webhooks/stripe', {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body,
    });
  };
  const paidBooking = async (hoursAhead: number) => {
    const b = await hold(hoursAhead);
    const c = await checkout(b.id);
    expect((await deliver(stripe.complete(c.payment.providerIds.checkoutSession!))).status).toBe(200);
    expect((await booking(b.id)).status).toBe('confirmed');
    return b;
  };

  beforeAll(async () => {
    stripe = await startStripeStandIn();
    paypal = await startPayPalStandIn();
    p = await startTestPlatform(
      backend,
      {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_URL: stripe.url,
        PAYPAL_CLIENT_ID: paypal.clientId,
        PAYPAL_CLIENT_SECRET: paypal.clientSecret,
        PAYPAL_API_URL: paypal.url,
        PAYPAL_WEBHOOK_ID: paypal.webhookId,
        PUBLIC_URL: 'https://parking.example',
        LIFECYCLE_INTERVAL_SECONDS: '3600',
      },
      { clock },
    );
    const list = (
      await json<{ facilities: Array<{ id: string; code: string }> }>(await p.api('/api/v1/facilities'))
    ).facilities;
    facilityId = list.find((f) => f.code === 'KXC')!.id;
  });
  afterAll(async () => {
    await p?.stop();
    await stripe?.close();
    await paypal?.close();
  });

  it('hold → Stripe Checkout → signed webhook → confirmed, with the provider ids and receipt on the booking', async () => {
    const b = await hold(48);
    expect(b.status).toBe('held');
    const c = await checkout(b.id);
    expect(c.url).toMatch(new RegExp(`^${stripe.url}/c/pay/cs_test_`));
    const created = stripe.requests.find((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST')!;
    expect(created.idempotencyKey).toBe(`checkout:${c.payment.id}:stripe`);
    expect(created.body).toMatchObject({
      mode: 'payment',
      client_reference_id: b.id,
      success_url: `https://parking.example/pay/return?payment=${c.payment.id}`,
    });
    // holds last 15 minutes, but Stripe wants 30 min–24 h: created within bounds (the stand-in enforces them)
    const session = stripe.sessions.get(c.payment.providerIds.checkoutSession!)!;
    expect(session['expires_at'] as number).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 30 * 60);
    // asking again gives the same open checkout
    expect((await checkout(b.id)).payment.id).toBe(c.payment.id);

    const r = await deliver(stripe.complete(session['id'] as string));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ received: true, outcome: 'applied' });
    const after = await booking(b.id);
    expect(after.status).toBe('confirmed');
    const [paid] = after.payments;
    expect(paid).toMatchObject({ provider: 'stripe', status: 'paid', amountMinor: session['amount_total'] });
    expect(paid?.providerIds.checkoutSession).toBe(session['id']);
    expect(paid?.providerIds.paymentIntent).toMatch(/^pi_test_/);
    expect(paid?.receiptUrl).toMatch(/^https:\/\/pay\.stripe\.com\/receipts\//);
    const listed = await json<{ payments: Array<{ id: string }> }>(
      await p.api('/api/v1/payments?status=paid'),
    );
    expect(listed.payments.map((x) => x.id)).toContain(paid?.id);
  });

  it('refuses a forged webhook with 400 and changes nothing; a replayed one changes state once', async () => {
    const b = await hold(50);
    const c = await checkout(b.id);
    const event = stripe.complete(c.payment.providerIds.checkoutSession!);
    const forged = await deliver(event, 'whsec_not_the_secret');
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ code: 'WEBHOOK.SIGNATURE_INVALID' });
    const unsigned = await p.api('/webhooks/stripe', {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(unsigned.status).toBe(400);
    expect((await booking(b.id)).status).toBe('held');
    expect((await booking(b.id)).payments[0]?.status).toBe('pending');

    const outcomes = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(((await (await deliver(event)).json()) as { outcome: string }).outcome);
    expect(outcomes).toEqual(['applied', 'duplicate', 'duplicate']);
    const after = await booking(b.id);
    expect(after.history.filter((h) => h.toStatus === 'confirmed')).toHaveLength(1);
    // other event types are acknowledged and ignored
    const other = await deliver(stripe.event('customer.created', { id: 'cus_test_1', object: 'customer' }));
    expect(await other.json()).toEqual({ received: true, outcome: 'ignored' });
  });

  it('a payment completing after its hold lapsed re-holds the space when it is still free', async () => {
    const b = await hold(60);
    const c = await checkout(b.id);
    const sessionId = c.payment.providerIds.checkoutSession!;
    offset += 16 * 60_000; // the hold (15 min) lapses
    const run = await p.core.lifecycle.runOnce();
    expect(run.checkoutsExpired).toBeGreaterThanOrEqual(1);
    expect((await booking(b.id)).status).toBe('expired');
    const expireCall = stripe.requests.find((r) => r.path === `/v1/checkout/sessions/${sessionId}/expire`);
    expect(expireCall?.idempotencyKey).toBe(`expire:${c.payment.id}`);
    expect(stripe.sessions.get(sessionId)?.['status']).toBe('expired');

    // …but the payer had paid just before the session closed
    await deliver(stripe.complete(sessionId));
    const after = await booking(b.id);
    expect(after.status).toBe('confirmed');
    expect(after.spaceId).toBe(b.spaceId);
    expect(after.payments[0]?.status).toBe('paid');
    expect(after.history.at(-1)?.detail).toMatchObject({ reheld: true });
  });

  it('a payment completing after its hold lapsed and the space was taken is refunded automatically', async () => {
    const b = await hold(70);
    const c = await checkout(b.id);
    offset += 16 * 60_000;
    await p.core.lifecycle.runOnce();
    const other = await hold(70, b.spaceId); // someone else holds the same space now
    expect(other.spaceId).toBe(b.spaceId);

    const refundsBefore = stripe.refunds.length;
    await deliver(stripe.complete(c.payment.providerIds.checkoutSession!));
    const after = await booking(b.id);
    expect(after.status).toBe('expired');
    expect(after.payments[0]).toMatchObject({
      status: 'refunded',
      refundedMinor: after.payments[0]?.amountMinor,
    });
    expect(after.payments[0]?.providerIds.refunds[0]).toMatch(/^re_test_/);
    expect(stripe.refunds.length).toBe(refundsBefore + 1);
    expect(stripe.refunds.at(-1)).toMatchObject({
      payment_intent: after.payments[0]?.providerIds.paymentIntent,
    });
    expect((await booking(other.id)).status).toBe('held');
  });

  it('cancelling refunds in full up to 24 hours before the start, nothing after; operators can refund more', async () => {
    const early = await paidBooking(72);
    const r = await p.api(`/api/v1/bookings/${early.id}/cancel`, {
      method: 'POST',
      json: { reason: 'plans changed' },
    });
    expect(r.status).toBe(200);
    const earlyAfter = await booking(early.id);
    expect(earlyAfter.status).toBe('cancelled');
    expect(earlyAfter.payments[0]).toMatchObject({ status: 'refunded' });
    expect(earlyAfter.payments[0]?.refundedMinor).toBe(earlyAfter.payments[0]?.amountMinor);

    const late = await paidBooking(3);
    const refunds = stripe.refunds.length;
    await p.api(`/api/v1/bookings/${late.id}/cancel`, { method: 'POST', json: {} });
    const lateAfter = await booking(late.id);
    expect(lateAfter.status).toBe('cancelled');
    expect(lateAfter.payments[0]).toMatchObject({ status: 'paid', refundedMinor: 0 });
    expect(stripe.refunds.length).toBe(refunds);
    // the sweep does not refund it later either
    await p.core.lifecycle.runOnce();
    expect((await booking(late.id)).payments[0]?.refundedMinor).toBe(0);

    const amount = lateAfter.payments[0]!.amountMinor;
    const tooMuch = await p.api(`/api/v1/bookings/${late.id}/refund`, {
      method: 'POST',
      json: { amountMinor: amount + 1, reason: 'goodwill' },
    });
    expect(tooMuch.status).toBe(409);
    expect(await tooMuch.json()).toMatchObject({ code: 'PAYMENT.REFUND_EXCEEDS_PAID' });
    const noReason = await p.api(`/api/v1/bookings/${late.id}/refund`, {
      method: 'POST',
      json: { amountMinor: 1 },
    });
    expect(noReason.status).toBe(400);
    const part = await p.api(`/api/v1/bookings/${late.id}/refund`, {
      method: 'POST',
      json: { amountMinor: 100, reason: 'goodwill' },
    });
    expect(part.status).toBe(200);
    expect((await booking(late.id)).payments[0]).toMatchObject({
      status: 'partially_refunded',
      refundedMinor: 100,
    });
    expect(stripe.refunds.at(-1)).toMatchObject({ amount: 100 });
  });

  it('extending a paid booking holds the extra time and asks for it by link; unpaid, it is taken back', async () => {
    const b = await paidBooking(90);
    const before = await booking(b.id);
    const system = { kind: 'system' } as const;
    const end = (await p.core.bookings.get(b.id, system)) as { ok: true; value: { to: Date } };
    const paidExt = await p.core.payments.extend(b.id, new Date(end.value.to.getTime() + HOUR), system);
    if (!paidExt.ok) throw new Error(paidExt.error.message);
    expect(paidExt.value.checkout?.payment).toMatchObject({ purpose: 'extension', status: 'pending' });
    await deliver(stripe.complete(paidExt.value.checkout!.payment.providerCheckoutId!));
    const extended = await booking(b.id);
    expect(extended.status).toBe('confirmed');
    expect(extended.payments.map((x) => x.status)).toEqual(['paid', 'paid']);

    // another hour, never paid: after the hold time it is taken back and the checkout expired
    const unpaid = await p.core.payments.extend(b.id, new Date(end.value.to.getTime() + 2 * HOUR), system);
    if (!unpaid.ok) throw new Error(unpaid.error.message);
    offset += 16 * 60_000;
    await p.core.lifecycle.runOnce();
    const after = await p.core.bookings.get(b.id, system);
    expect(after.ok && after.value.to.getTime()).toBe(end.value.to.getTime() + HOUR);
    expect(after.ok && after.value.priceMinor).toBe(
      before.payments[0]!.amountMinor + paidExt.value.checkout!.payment.amountMinor,
    );
    expect((await booking(b.id)).payments.map((x) => x.status)).toEqual(['paid', 'paid', 'expired']);
  });

  it('when Stripe fails to create a checkout, the driver gets a PayPal link that pays the booking', async () => {
    const b = await hold(80);
    stripe.failCreates(5, 500);
    const c = await checkout(b.id);
    expect(c.payment.provider).toBe('paypal');
    expect(c.url).toMatch(new RegExp(`^${paypal.url}/checkoutnow\\?token=`));
    const orderId = c.payment.providerIds.checkoutSession!;
    expect(paypal.orders.get(orderId)?.['purchase_units']).toMatchObject([
      { custom_id: c.payment.id, amount: { currency_code: 'GBP' } },
    ]);

    // a forged PayPal webhook is refused
    const forged = await p.api('/webhooks/paypal', {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'application/json', ...paypal.webhookHeaders(false) },
      body: JSON.stringify({ id: 'WH-1', event_type: 'CHECKOUT.ORDER.APPROVED', resource: { id: orderId } }),
    });
    expect(forged.status).toBe(400);
    expect((await booking(b.id)).status).toBe('held');

    paypal.approve(orderId);
    const back = await fetch(`${p.url}/pay/return?payment=${c.payment.id}&token=${orderId}`);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('booking confirmed');
    const after = await booking(b.id);
    expect(after.status).toBe('confirmed');
    expect(after.payments[0]).toMatchObject({ provider: 'paypal', status: 'paid' });
    // PayPal's own webhook for the same order changes nothing more
    const approved = await p.api('/webhooks/paypal', {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'application/json', ...paypal.webhookHeaders(true) },
      body: JSON.stringify({ id: 'WH-2', event_type: 'CHECKOUT.ORDER.APPROVED', resource: { id: orderId } }),
    });
    expect(approved.status).toBe(200);
    expect((await booking(b.id)).history.filter((h) => h.toStatus === 'confirmed')).toHaveLength(1);
  });
});
