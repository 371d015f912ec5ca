/**
 * The chat widget in a real browser (Debian's Chromium driven by playwright-core) against a fake
 * chat server: keyboard use, the message round trip, buttons, cards with live counts, the session
 * across reloads and reconnects, hostile text, long text, CSS isolation and a phone-sized screen.
 *
 * Part of `npm test` (needs Debian Chromium: apt-get install -y chromium).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeChatServer, type FakeChatServer } from '../../web-widget/testing/fake-chat-server.ts';
import { HOSTILE_ADDRESS, HOSTILE_NAME } from '../../web-widget/testing/fake-bot-script.ts';
import { startHostSite } from '../../web-widget/testing/host-site.ts';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  focused,
  shadowCount,
  storedToken,
  tokenKey,
} from '../../web-widget/testing/page-helpers.ts';

const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);
if (!haveChromium && !inCi) {
  console.warn(`widget-ui e2e skipped: no Chromium at ${CHROMIUM} (install it: apt-get install -y chromium)`);
}

const GREETING = 'Hi! I can find and book parking';

interface Tab {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly dialogs: string[];
  readonly errors: string[];
}

describe.skipIf(!haveChromium && !inCi)('chat widget in a real browser', () => {
  let browser: Browser;
  let fake: FakeChatServer;
  const tabs: Tab[] = [];

  beforeAll(async () => {
    if (!haveChromium)
      throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    fake = await startFakeChatServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await fake?.close();
  });
  afterEach(async () => {
    for (const tab of tabs.splice(0)) {
      expect(tab.dialogs, 'no alert/confirm/prompt may ever open').toEqual([]);
      expect(tab.errors, 'no script errors on the page').toEqual([]);
      await tab.context.close();
    }
  });

  /** A fresh browser profile (empty storage) with the demo page loaded. */
  async function openDemo(viewport = { width: 1280, height: 800 }, url = `${fake.url}/`): Promise<Tab> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    const tab: Tab = { page, context, dialogs: [], errors: [] };
    page.on('dialog', (d) => {
      tab.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => tab.errors.push(e.message));
    tabs.push(tab);
    await page.goto(url);
    await page.locator('.launcher').waitFor();
    return tab;
  }

  /** Opens the panel with the mouse and waits for the bot's greeting. */
  async function openChat(page: Page): Promise<void> {
    await page.locator('.launcher').click();
    await page.getByText(GREETING).waitFor();
  }

  async function say(page: Page, text: string): Promise<void> {
    await page.locator('.input').fill(text);
    await page.keyboard.press('Enter');
  }

  const lastReceived = () => fake.received[fake.received.length - 1]?.message;

  it('opens with Enter, focuses the input, closes with Escape back onto the bubble', async () => {
    const { page } = await openDemo();
    const launcher = page.locator('.launcher');
    const panel = page.locator('.panel');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await launcher.getAttribute('aria-controls')).toBe('pc-panel');
    expect(await panel.getAttribute('role')).toBe('dialog');
    expect(await panel.getAttribute('id')).toBe('pc-panel');

    await launcher.focus();
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'visible' });
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await focused(page)).toBe('textarea.input#pc-input');
    expect(await page.getByRole('dialog', { name: 'CityPark assistant' }).count()).toBe(1);
    const log = page.getByRole('log', { name: 'Conversation' });
    expect(await log.getAttribute('aria-live')).toBe('polite');

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button.send#');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await focused(page)).toBe('button.launcher#');

    await page.keyboard.press('Space');
    await panel.waitFor({ state: 'visible' });
    await page.getByText(GREETING).waitFor();
    await page.getByRole('button', { name: 'Close chat' }).click();
    await panel.waitFor({ state: 'hidden' });
  });

  it('sends typed text, shows the typing indicator, then the reply', async () => {
    const { page } = await openDemo();
    await openChat(page);
    await say(page, '  hello there  ');
    await page.locator('.from-driver .bubble', { hasText: 'hello there' }).waitFor();
    await page.locator('.typing').waitFor({ state: 'visible' });
    await page.getByText('You said: hello there').waitFor();
    await page.locator('.typing').waitFor({ state: 'hidden' });
    expect(lastReceived()).toEqual({ text: 'hello there' });
    expect(await page.locator('.input').inputValue()).toBe('');

    fake.sendNotice({ code: 'RATE.LIMITED', message: 'Slow down a little, please.' });
    await page.locator('.notice', { hasText: 'Slow down a little, please.' }).waitFor();
  });

  it('shows an introduction while the conversation is empty', async () => {
    fake.greet = false;
    try {
      const { page } = await openDemo();
      await page.locator('.launcher').click();
      const intro = page.locator('.intro');
      await intro.waitFor();
      expect(await intro.textContent()).toMatch(/^Hi! Tell me where and when/);
      await say(page, 'hi');
      await page.getByText('You said: hi').waitFor();
      expect(await intro.isHidden()).toBe(true);
    } finally {
      fake.greet = true;
    }
  });

  it('counts messages that arrive while the panel is closed on the bubble', async () => {
    const { page } = await openDemo();
    await openChat(page);
    await page.keyboard.press('Escape');
    fake.push({ text: 'Reminder: your booking starts in 30 minutes.' });
    const badge = page.locator('.badge', { hasText: '1' });
    await badge.waitFor();
    expect(await page.locator('.launcher').getAttribute('aria-label')).toBe(
      'Open chat: CityPark assistant (1 new message)',
    );
    await page.locator('.launcher').click();
    await badge.waitFor({ state: 'hidden' });
    await page.getByText('Reminder: your booking starts in 30 minutes.').waitFor();
  });

  it('a button sends its value, shows its title, and older buttons go inactive', async () => {
    const { page } = await openDemo();
    await openChat(page);
    const myBookings = page.getByRole('button', { name: 'My bookings' });
    expect(await myBookings.isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Find parking near me' }).click();
    await page.locator('.from-driver .bubble', { hasText: 'Find parking near me' }).waitFor();
    expect(lastReceived()).toEqual({ value: 'intent:find' });
    await page.locator('.card-title', { hasText: 'Car parks near Covent Garden' }).waitFor();
    expect(await myBookings.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Somewhere else' }).isEnabled()).toBe(true);
  });

  it('shows a link as a link button, asks for the location, and an unknown action as its text', async () => {
    const { page, context } = await openDemo();
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 51.5316, longitude: -0.1236 });
    await openChat(page);
    await say(page, 'pay');
    const pay = page.getByRole('link', { name: 'Pay now' });
    await pay.waitFor();
    expect(await pay.getAttribute('href')).toBe('https://pay.example/cp-7q2k');
    expect(await pay.getAttribute('target')).toBe('_blank');
    expect(await pay.getAttribute('rel')).toMatch(/noopener/);
    expect(await page.getByText('Sneaky').count()).toBe(0); // not an http(s) link: never shown
    await page.locator('.action-text', { hasText: 'Call us on 020 7946 0000' }).waitFor();
    await page.getByRole('button', { name: 'Share my location' }).click();
    await page.getByText('You chose: location:51.53160,-0.12360').waitFor();
    expect(lastReceived()).toEqual({ value: 'location:51.53160,-0.12360' });
  });

  it('renders facility and booking cards, with live free counts, reachable by Tab', async () => {
    const { page } = await openDemo();
    await openChat(page);
    await say(page, 'find parking in Covent Garden');
    const covent = page.locator('[data-facility-id="f-covent"]');
    await covent.waitFor();
    expect(await covent.locator('.free').textContent()).toBe('12 of 240 free');
    expect(await covent.locator('.facility-where').textContent()).toBe('12 Drury Lane, WC2B 5RH · 0.4 km');
    expect(await covent.locator('.facility-facts').textContent()).toBe('£6.50/h · Today 00:00–24:00');
    expect(await page.locator('[data-facility-id="f-kings"] .free').getAttribute('data-level')).toBe('low');
    // the hostile facility strings are plain text; the unknown card type is skipped
    expect(await page.locator('[data-facility-id="f-odd"] .facility-name').textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('[data-facility-id="f-odd"] .facility-where').textContent()).toBe(
      HOSTILE_ADDRESS,
    );
    expect(await page.locator('.msg.has-cards .card').count()).toBe(1);
    expect(await shadowCount(page, 'img, script')).toBe(0);

    fake.sendFacilityFree({ facilityId: 'f-covent', free: 11, total: 240 });
    await covent.locator('.free', { hasText: '11 of 240 free' }).waitFor();
    fake.sendFacilityFree({ facilityId: 'f-covent', free: 0, total: 240 });
    await covent.locator('.free[data-level="full"]', { hasText: 'Full (240 spaces)' }).waitFor();

    // keyboard: from the log, Tab reaches the first active button
    await page.locator('.log').focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button.action action-primary#');
    await page.keyboard.press('Enter');
    await page.locator('.card-booking').waitFor();
    expect(lastReceived()).toEqual({ value: 'facility:f-covent' });
    const booking = page.locator('.card-booking');
    expect(await booking.locator('.booking-status').textContent()).toBe('Held — pay within 15 minutes');
    expect(await booking.locator('dd').allTextContents()).toEqual([
      'CP-7Q2K',
      'Covent Garden',
      'B12 · EV charging',
      'LD71 ABC',
      'Tue 14 May, 09:00–17:00',
      '£52.00',
    ]);
    expect(await booking.locator('.note a').getAttribute('href')).toBe('https://pay.example/cp-7q2k');
    await page.screenshot({ path: 'test-results/widget-ui.png' });
  });

  it('restores the conversation after a reload from the stored token; replaces a bad token', async () => {
    const { page } = await openDemo();
    await openChat(page);
    await say(page, 'remember me');
    await page.getByText('You said: remember me').waitFor();
    const token = await storedToken(page);
    expect(token).toMatch(/^tok-/);

    await page.reload();
    // the panel was open, so it opens again; history replaces what is shown, once each
    await page.getByText('You said: remember me').waitFor();
    expect(fake.presentedTokens[fake.presentedTokens.length - 1]).toBe(token);
    expect(await page.locator('.from-driver .bubble', { hasText: 'remember me' }).count()).toBe(1);
    expect(await page.getByText(GREETING).count()).toBe(1);
    expect(await page.locator('.msg').count()).toBe(3);

    await page.evaluate((key) => localStorage.setItem(key, 'not-a-real-token'), await tokenKey(page));
    await page.reload();
    await page.getByText(GREETING).waitFor();
    expect(fake.presentedTokens[fake.presentedTokens.length - 1]).toBe('not-a-real-token');
    await expect.poll(() => storedToken(page)).not.toBe('not-a-real-token');
    expect(await storedToken(page)).not.toBe(token);
    expect(await page.getByText('remember me').count()).toBe(0);
  });

  it('shows HTML, scripts, emoji and right-to-left text as text, never running them', async () => {
    const { page } = await openDemo();
    await openChat(page);
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(2)>',
      '<b onmouseover=alert(3)>bold</b> 🚗🅿️ مرحبا بالعالم',
    ];
    for (const text of hostile) {
      await say(page, text);
      await page.getByText(`You said: ${text}`, { exact: true }).waitFor();
      expect(await page.locator('.from-driver .bubble').last().textContent()).toBe(text);
    }
    expect(await shadowCount(page, '.log img, .log script, .log b')).toBe(0);
    expect(await page.locator('.bubble').first().getAttribute('dir')).toBe('auto');
    await page.locator('.bubble', { hasText: 'bold' }).first().hover();
  });

  it('limits a 10,000-character message to 2,000, says so, and wraps long text', async () => {
    const { page } = await openDemo();
    await openChat(page);
    const input = page.locator('.input');
    expect(await input.getAttribute('maxlength')).toBe('2000');
    await input.focus();
    await page.keyboard.insertText('x'.repeat(10_000));
    expect((await input.inputValue()).length).toBe(2000);
    await page.getByText('Messages are limited to 2000 characters').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => lastReceived()).toEqual({ text: 'x'.repeat(2000) });

    fake.push({ text: 'y'.repeat(10_000) });
    const long = page.locator('.from-bot .bubble', { hasText: 'yyyy' });
    await long.waitFor();
    const overflow = await long.evaluate((b) => {
      const log = b.closest('.log') as HTMLElement;
      return { bubble: b.scrollWidth - b.clientWidth, log: log.scrollWidth - log.clientWidth };
    });
    expect(overflow).toEqual({ bubble: 0, log: 0 });
  });

  it("keeps the host page's CSS out of the widget", async () => {
    const { page } = await openDemo();
    await openChat(page);
    // the hostile rules are live on the page itself…
    const pageStyle = await page.locator('footer p').evaluate((p) => getComputedStyle(p).fontFamily);
    expect(pageStyle).toContain('Times New Roman');
    // …and reach nothing inside the shadow root
    const styles = await page.locator('.panel').evaluate((panel) => {
      const root = panel.getRootNode() as ShadowRoot;
      const pick = (selector: string) => {
        const s = getComputedStyle(root.querySelector(selector) as Element);
        return {
          font: s.fontFamily,
          color: s.color,
          size: s.fontSize,
          border: s.borderTopStyle,
          transform: s.textTransform,
          spacing: s.letterSpacing,
        };
      };
      return {
        bubble: pick('.from-bot .bubble'),
        action: pick('.action'),
        title: pick('.title'),
        input: pick('.input'),
      };
    });
    for (const s of Object.values(styles)) {
      expect(s.font).not.toMatch(/Times|Georgia|(^|, )serif/);
      expect(s.font).toMatch(/system-ui/);
      expect(s.color).not.toBe('rgb(192, 0, 0)');
      expect(s.border).not.toBe('dashed');
      expect(s.transform).toBe('none');
      expect(s.spacing).toBe('normal');
    }
    expect(styles.title.size).toBe('16px');
    expect(styles.input.size).toBe('16px');
    expect(styles.bubble.color).toBe('rgb(28, 31, 35)');
    // the page's `[hidden] { display: block !important }` does not unhide the typing indicator
    expect(await page.locator('.typing').isHidden()).toBe(true);
  });

  it('fills a phone-sized screen with the panel', async () => {
    const { page } = await openDemo({ width: 375, height: 667 });
    await openChat(page);
    expect(await page.locator('.panel').boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 667 });
    expect(await page.locator('.launcher').isHidden()).toBe(true);
    await page.screenshot({ path: 'test-results/widget-ui-phone.png' });
    await page.getByRole('button', { name: 'Close chat' }).click();
    expect(await page.locator('.launcher').isVisible()).toBe(true);
  });

  it('says it is reconnecting after a network drop, then carries on', async () => {
    const { page } = await openDemo();
    await openChat(page);
    fake.holdConnections(true);
    fake.dropConnections();
    await page.locator('.conn', { hasText: 'Reconnecting…' }).waitFor();
    fake.holdConnections(false);
    await page.locator('.conn').waitFor({ state: 'hidden' });
    expect(await page.getByText(GREETING).count()).toBe(1);
    await say(page, 'still here?');
    await page.getByText('You said: still here?').waitFor();
  });

  it("talks to the script's own origin from another site, in Spanish, on the left", async () => {
    const host = await startHostSite(fake.url);
    try {
      const { page } = await openDemo({ width: 1280, height: 800 }, host.url);
      const launcher = page.locator('.launcher');
      expect(await launcher.getAttribute('aria-label')).toBe('Abrir chat: Aparcamiento Centro');
      expect((await launcher.boundingBox())?.x).toBeLessThan(100);
      // a light accent colour gets dark text
      expect(await launcher.evaluate((b) => getComputedStyle(b).color)).toBe('rgb(17, 17, 17)');
      await launcher.click();
      await page.getByText(GREETING).waitFor();
      expect(await page.locator('.send').textContent()).toBe('Enviar');
      await say(page, 'hola');
      await page.getByText('You said: hola').waitFor();
    } finally {
      await host.close();
    }
  });
});
