/**
 * The operators' dashboard in a real browser: an operator signed in at the console opens
 * /dashboard and sees the car parks now, the figures and the charts; a screenshot goes to
 * test-results/. Agents and strangers do not get it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../web-widget/testing/page-helpers.ts';
import { addAgent, signIn } from '../support/console.ts';
import { eventually, freePort, mqttClient } from '../support/mqtt.ts';
import { startTestPlatform, type RunningPlatform } from '../support/platform.ts';

const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);
if (!haveChromium && !inCi)
  console.warn(`dashboard e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!haveChromium && !inCi)('the operators’ dashboard', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let port: number;

  beforeAll(async () => {
    if (!haveChromium)
      throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    port = await freePort();
    platform = await startTestPlatform('pglite', { MQTT_BROKER_PORT: String(port) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('an operator signs in and sees occupancy now, the figures and a chart per figure', async () => {
    const operator = await addAgent(platform, 'operator', 'Olivia Operator');
    // a sensor already low on battery before the page opens: flagged on load, not only on a later event
    const mqtt = await mqttClient({ url: `mqtt://127.0.0.1:${port}`, protocolVersion: 4 });
    await mqtt.publishAsync('parking/KXC/B1-001/occupancy', JSON.stringify({ occupied: false, battery: 5 }), {
      qos: 1,
    });
    await mqtt.endAsync();
    await eventually(async () => {
      const r = await platform.api('/api/v1/facilities');
      const { facilities } = (await r.json()) as { facilities: Array<{ id: string; code: string }> };
      const kxc = facilities.find((f) => f.code === 'KXC')!;
      const live = (await (await platform.api(`/api/v1/facilities/${kxc.id}/occupancy`)).json()) as {
        spaces: Array<{ sensor: { lowBattery: boolean } }>;
      };
      expect(live.spaces.some((s) => s.sensor.lowBattery)).toBe(true);
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${platform.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/console'); // not signed in: sent to sign in
    // signed in at the console (its session cookie, as the sign-in form sets it)
    const session = await signIn(platform, operator.email, operator.password);
    const [name, value] = session.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: platform.url, httpOnly: true, sameSite: 'Lax' }]);
    await page.goto(`${platform.url}/dashboard`);
    await page.waitForSelector('body[data-ready="true"]');
    const rows = await page.locator('#now-rows tr').count();
    expect(rows).toBeGreaterThan(0);
    const first = page.locator('#now-rows tr').first().locator('td');
    expect(await first.first().textContent()).toBeTruthy();
    expect(await first.nth(1).textContent()).toMatch(/^\d+$/); // free spaces now
    expect(await first.nth(2).textContent()).toMatch(/standard \d+ free \/ \d+ taken/);
    expect(await page.locator('#now-rows tr', { hasText: "King's Cross" }).textContent()).toMatch(
      /B1-001: low battery/,
    );
    expect(await page.locator('#summary .tile').count()).toBe(8);
    expect(await page.locator('#chart-occupancy canvas').count()).toBe(1);
    const csv = await page.locator('#csv-revenue').getAttribute('href');
    expect(csv).toMatch(/^\/api\/v1\/analytics\/revenue\?.*format=csv/);
    // the period picker and the car-park filter redraw from the API
    await page.selectOption('#period', '30d');
    await page.selectOption('#facility', { index: 1 });
    await page.waitForFunction(() =>
      /bucket=day/.test(document.getElementById('csv-revenue')!.getAttribute('href')!),
    );
    await page.waitForSelector('#live:text("live")');
    await page.screenshot({ path: 'test-results/dashboard-operator.png', fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is not for agents', async () => {
    const agent = await addAgent(platform, 'agent', 'Aldo Agent');
    const session = await signIn(platform, agent.email, agent.password);
    expect((await session.fetch('/dashboard')).status).toBe(403);
  });
});
