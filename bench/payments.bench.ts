/**
 * npm run bench:payments — the whole platform on real PostgreSQL with Stripe (a local stand-in
 * speaking Stripe's API) turned on:
 *  - webhook → confirmation latency: a signed `checkout.session.completed` posted to
 *    /webhooks/stripe until the answer, by which time the booking is confirmed (it is checked);
 *  - throughput of paid bookings over the REST API (hold → checkout → signed webhook → confirmed),
 *    beside hold → confirm with no payment, in the same run.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:payments
 */
process.env['TEST_DATABASE_URL'] ??=
  process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const { startTestPlatform } = await import('../test/support/platform.ts');
const { startStripeStandIn } = await import('../test/support/stripe-api.ts');

const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const BOOKINGS = Number(process.env['BENCH_BOOKINGS'] ?? 400);

const stripe = await startStripeStandIn();
const p = await startTestPlatform('postgres', {
  STRIPE_SECRET_KEY: stripe.secretKey,
  STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
  STRIPE_API_URL: stripe.url,
  LIFECYCLE_INTERVAL_SECONDS: '3600',
  DATABASE_POOL_SIZE: String(CONCURRENCY * 2),
});

try {
  const facilities = (
    (await (await p.api('/api/v1/facilities')).json()) as { facilities: Array<{ id: string }> }
  ).facilities;
  let slot = 0;
  /** A distinct hour-long window each time, spread over car parks and days so spaces never run out. */
  const nextWindow = () => {
    const i = slot++;
    const facility = facilities[i % facilities.length]!;
    const from = new Date(Date.now() + 86_400_000);
    from.setUTCHours(10, 0, 0, 0);
    const round = Math.floor(i / facilities.length);
    // up to 20 bookings per car park, hour and day
    from.setTime(from.getTime() + Math.floor(round / 160) * 86_400_000 + (round % 8) * 3_600_000);
    return {
      facilityId: facility.id,
      from: from.toISOString(),
      to: new Date(from.getTime() + 3_600_000).toISOString(),
    };
  };
  const hold = async () => {
    const r = await p.api('/api/v1/bookings', {
      method: 'POST',
      json: { ...nextWindow(), plate: 'BE12 NCH', driver: { name: 'Bench' } },
    });
    if (r.status !== 201) throw new Error(`hold: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { id: string }).id;
  };
  const webhookMs: number[] = [];
  const paidBooking = async () => {
    const id = await hold();
    const c = await p.api(`/api/v1/bookings/${id}/checkout`, { method: 'POST' });
    const { payment } = (await c.json()) as { payment: { providerIds: { checkoutSession: string } } };
    const { body, signature } = stripe.sign(stripe.complete(payment.providerIds.checkoutSession));
    const t0 = process.hrtime.bigint();
    const r = await p.api('/webhooks/stripe', {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body,
    });
    webhookMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 200) throw new Error(`webhook: ${r.status}`);
    const b = (await (await p.api(`/api/v1/bookings/${id}`)).json()) as { status: string };
    if (b.status !== 'confirmed') throw new Error(`not confirmed after the webhook answered: ${b.status}`);
  };
  const unpaidBooking = async () => {
    const id = await hold();
    const r = await p.api(`/api/v1/bookings/${id}/confirm`, { method: 'POST', json: {} });
    if (r.status !== 200) throw new Error(`confirm: ${r.status}`);
  };
  const rate = async (total: number, task: () => Promise<void>) => {
    let next = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < total) await task();
      }),
    );
    return total / (Number(process.hrtime.bigint() - t0) / 1e9);
  };

  await rate(40, unpaidBooking); // warm-up
  await rate(40, paidBooking);
  webhookMs.length = 0;
  const plain = await rate(BOOKINGS, unpaidBooking);
  const paid = await rate(BOOKINGS, paidBooking);
  const sorted = [...webhookMs].sort((a, b) => a - b);
  const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  console.log(`\nbookings over the REST API on PostgreSQL, ${CONCURRENCY} in flight, ${BOOKINGS} each:`);
  console.log(`  hold → confirm (no payment):                     ${plain.toFixed(0)} bookings/s`);
  console.log(`  hold → Stripe checkout → signed webhook → confirmed: ${paid.toFixed(0)} bookings/s`);
  console.log(
    `webhook → booking confirmed (POST /webhooks/stripe until its answer), ${sorted.length} webhooks:`,
  );
  console.log(
    `  p50 ${pct(0.5)} ms   p95 ${pct(0.95)} ms   p99 ${pct(0.99)} ms   max ${sorted.at(-1)!.toFixed(1)} ms\n`,
  );
} finally {
  await p.stop();
  await stripe.close();
}
