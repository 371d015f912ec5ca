/**
 * The embedded test checkout (no payment provider configured) in a real browser: the page is
 * plainly a test where no money moves; Pay confirms the held booking through the same path as a
 * provider's webhook, Cancel releases the hold.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../web-widget/testing/page-helpers.ts';
import { startTestPlatform, type RunningPlatform } from '../support/platform.ts';

const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);
if (!haveChromium && !inCi)
  console.warn(`checkout e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!haveChromium && !inCi)('the embedded test checkout page', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let facilityId: string;

  beforeAll(async () => {
    if (!haveChromium)
      throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    platform = await startTestPlatform('pglite');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    const r = await platform.api('/api/v1/facilities');
    const list = ((await r.json()) as { facilities: Array<{ id: string; code: string }> }).facilities;
    facilityId = list.find((f) => f.code === 'KXC')!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const heldWithCheckout = async (daysAhead: number) => {
    const from = new Date(Date.now() + daysAhead * 86_400_000);
    from.setUTCHours(9, 0, 0, 0);
    const hold = await platform.api('/api/v1/bookings', {
      method: 'POST',
      json: {
        facilityId,
        from: from.toISOString(),
        to: new Date(from.getTime() + 2 * 3_600_000).toISOString(),
        kind: 'ev',
        plate: 'AB12 CDE',
        driver: { name: 'Ada' },
      },
    });
    const booking = (await hold.json()) as { id: string; reference: string };
    const c = await platform.api(`/api/v1/bookings/${booking.id}/checkout`, { method: 'POST' });
    const { url, payment } = (await c.json()) as { url: string; payment: { provider: string } };
    expect(payment.provider).toBe('test');
    return { booking, url };
  };
  const status = async (id: string) =>
    ((await (await platform.api(`/api/v1/bookings/${id}`)).json()) as { status: string }).status;

  it('is labelled as a test where no money moves, and Pay confirms the booking', async () => {
    const { booking, url } = await heldWithCheckout(2);
    expect(url).toMatch(new RegExp(`^${platform.url}/pay/tcs_`));
    await page.goto(url);
    await expect.poll(() => page.getByRole('note').textContent()).toMatch(/TEST PAYMENT.*No money moves/);
    expect(await page.textContent('main')).toContain(booking.reference);
    expect(await page.textContent('main')).toContain("King's Cross");
    await page.screenshot({ path: 'test-results/checkout-test-page.png' });

    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('status').filter({ hasText: 'Payment received — booking confirmed' }).waitFor();
    expect(await status(booking.id)).toBe('confirmed');
    await page.screenshot({ path: 'test-results/checkout-test-paid.png' });
    // reloading the page or pressing Pay again (a re-post) pays once
    const again = await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' });
    expect(again.status).toBe(303);
    const r = await platform.api(`/api/v1/bookings/${booking.id}`);
    const body = (await r.json()) as {
      payments: Array<{ status: string }>;
      history: Array<{ toStatus: string }>;
    };
    expect(body.payments.map((p) => p.status)).toEqual(['paid']);
    expect(body.history.filter((h) => h.toStatus === 'confirmed')).toHaveLength(1);
  });

  it('Cancel closes the checkout unpaid and releases the hold', async () => {
    const { booking, url } = await heldWithCheckout(3);
    await page.goto(url);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: 'nothing was paid' }).waitFor();
    expect(await status(booking.id)).toBe('expired');
  });

  it('answers an unknown checkout with 404', async () => {
    expect((await fetch(`${platform.url}/pay/tcs_nothing_here_at_all`)).status).toBe(404);
    expect((await fetch(`${platform.url}/pay/tcs_nothing_here_at_all/pay`, { method: 'POST' })).status).toBe(
      404,
    );
  });
});
