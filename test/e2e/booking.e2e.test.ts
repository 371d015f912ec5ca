/**
 * The whole product in a real browser: the demo page served by the platform, the widget on it,
 * the real bot, NLU and booking core behind it. A driver books a space in a few messages, sees
 * the confirmation card, reloads and finds the conversation again; hostile text stays text.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../web-widget/testing/page-helpers.ts';
import { startTestPlatform, type RunningPlatform } from '../support/platform.ts';

const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);
if (!haveChromium && !inCi)
  console.warn(`booking e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!haveChromium && !inCi)('booking through the widget on the demo page', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!haveChromium)
      throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    platform = await startTestPlatform('pglite');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const send = async (text: string) => {
    await page.locator('.input').fill(text);
    await page.keyboard.press('Enter');
  };

  it('books a space in a conversation, pays on the test checkout and gets the confirmation in the chat', async () => {
    await page.goto(`${platform.url}/`);
    await page.locator('.launcher').click();
    await send("book an EV space at King's Cross tomorrow 9-11, plate AB12 CDE");
    await page.getByText('Shall I book it?').waitFor();
    await page.getByRole('button', { name: 'Book it' }).click();
    const card = page.locator('.card', { hasText: 'Your booking' });
    await card.waitFor();
    const reference = /PK[A-Z0-9]{6}/.exec((await card.textContent()) ?? '')?.[0];
    expect(reference).toBeDefined();
    expect(await card.textContent()).toMatch(/King's Cross St Pancras Car Park/);
    const held = await platform.db.prisma.booking.findUnique({ where: { reference: reference ?? '' } });
    expect(held?.status).toBe('held');
    // held until paid: the Pay link opens the embedded test checkout (no money moves)
    const pay = page.getByRole('link', { name: /^Pay £/ });
    const checkout = await page.context().newPage();
    await checkout.goto((await pay.getAttribute('href')) ?? '');
    await checkout.getByRole('button', { name: /^Pay / }).click();
    await checkout.getByRole('status').filter({ hasText: 'booking confirmed' }).waitFor();
    await checkout.close();
    await page.getByText('Payment received — booking confirmed').waitFor();
    const booking = await platform.db.prisma.booking.findUnique({ where: { reference: reference ?? '' } });
    expect(booking?.status).toBe('confirmed');
    await page.screenshot({ path: 'test-results/booking-e2e.png' });
  });

  it('restores the conversation after a reload', async () => {
    await page.reload();
    const launcher = page.locator('.launcher');
    await launcher.waitFor();
    if ((await launcher.getAttribute('aria-expanded')) !== 'true') await launcher.click();
    await page.locator('.card', { hasText: 'Your booking' }).last().waitFor();
    await page.locator('.from-driver .bubble', { hasText: 'book an EV space' }).waitFor();
  });

  it('shows a script typed into the chat as text and never runs it', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">';
    await send(hostile);
    await page.locator('.from-driver .bubble', { hasText: '<script>alert(1)</script>' }).waitFor();
    await page.locator('.from-bot').last().waitFor();
    expect(dialogs).toEqual([]);
    const injected = await page.evaluate(
      () =>
        document.querySelector('smart-parking-chat')?.shadowRoot?.querySelectorAll('.log script, .log img')
          .length ?? -1,
    );
    expect(injected).toBe(0);
  });

  it('finds car parks near a shared location, and their free counts follow bookings live', async () => {
    const context = await browser.newContext({
      geolocation: { latitude: 51.5316, longitude: -0.1236 }, // beside King's Cross
      permissions: ['geolocation'],
    });
    context.setDefaultTimeout(15_000);
    const near = await context.newPage();
    await near.goto(`${platform.url}/`);
    await near.locator('.launcher').click();
    await near.locator('.input').fill('hello');
    await near.keyboard.press('Enter');
    await near.getByRole('button', { name: 'Share my location' }).click();
    const first = near.locator('.facility').first();
    await first.waitFor();
    expect(await first.locator('.facility-name').textContent()).toBe("King's Cross St Pancras Car Park");
    const id = (await first.getAttribute('data-facility-id')) ?? '';
    const before = (await first.locator('.free').textContent()) ?? '';
    const [free, total] = (/(\d+) of (\d+)/.exec(before) ?? []).slice(1).map(Number);
    expect(total).toBe(80);

    // Someone books a space there right now, through the REST API: the card on screen follows.
    const now = new Date();
    const booked = await platform.api('/api/v1/bookings', {
      method: 'POST',
      json: {
        facilityId: id,
        from: now.toISOString(),
        to: new Date(now.getTime() + 3_600_000).toISOString(),
        plate: 'LIVE 1',
      },
    });
    expect(booked.status).toBe(201);
    await near
      .locator(`.facility[data-facility-id="${id}"] .free`, { hasText: `${(free ?? 0) - 1} of ${total}` })
      .waitFor();
    await context.close();
  });
});
