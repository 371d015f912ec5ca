/**
 * A support shift in two real browsers: a driver asks for a person in the widget; an agent signs
 * in to the console, sees the conversation arrive, claims it and replies; the driver sees the
 * agent typing, then the agent's name and words, while the bot stays quiet; hostile driver text stays text in the
 * console; the agent hands back and the bot answers again. Screenshots go to test-results/.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../web-widget/testing/page-helpers.ts';
import { addAgent } from '../support/console.ts';
import { startTestPlatform, type RunningPlatform } from '../support/platform.ts';

const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);
if (!haveChromium && !inCi) console.warn(`console e2e skipped: no Chromium at ${CHROMIUM}`);

const HOSTILE = `<img src=x onerror="alert('driver')"><script>alert(2)</script> my card was declined at the barrier`;

describe.skipIf(!haveChromium && !inCi)('a support shift: widget driver and console agent', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let driver: Page;
  let agent: Page;
  let ana: Awaited<ReturnType<typeof addAgent>>;
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}`);
    platform = await startTestPlatform('pglite');
    ana = await addAgent(platform, 'agent', 'Ana');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    for (const name of ['driver', 'agent'] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      page.on('dialog', (d) => {
        dialogs.push(`${name}: ${d.message()}`);
        void d.dismiss();
      });
      if (name === 'driver') driver = page;
      else agent = page;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const say = async (text: string) => {
    await driver.locator('.input').fill(text);
    await driver.keyboard.press('Enter');
  };
  const botMessages = () => driver.locator('.msg.from-bot').count();

  it('the agent signs in with the email and password form', async () => {
    await agent.goto(`${platform.url}/console`);
    await agent.locator('input[name="email"]').fill(ana.email);
    await agent.locator('input[name="password"]').fill(ana.password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('heading', { name: 'Support console' }).waitFor();
    await agent.getByText('Nobody is waiting.').waitFor();
    await agent.locator('.online', { hasText: 'Ana' }).waitFor();
  });

  it('a driver asks for a person; the agent sees it arrive and the driver is told they are queued', async () => {
    await driver.goto(`${platform.url}/`);
    await driver.locator('.launcher').click();
    await say(HOSTILE);
    await driver.locator('.msg.from-bot').first().waitFor();
    await say('I want to talk to a person');
    await driver.getByText('asked a person to join').waitFor();
    await driver.getByText("You're number 1 in the queue").waitFor();
    const item = agent.locator('.queue-item', { hasText: 'talk to a person' });
    await item.waitFor({ timeout: 5_000 });
    expect(await item.textContent()).toMatch(/Web chat/);
    expect(await agent.title()).toMatch(/^\(1\) /);
    await agent.screenshot({ path: 'test-results/console-queue.png' });
  });

  it('the agent claims it, sees the summary and transcript inert, and replies; the driver sees the name', async () => {
    await agent.locator('.queue-item', { hasText: 'talk to a person' }).click();
    await agent.getByRole('button', { name: 'Claim' }).click();
    await agent.getByText('Held by Ana').waitFor();
    await driver.getByText('Ana from our team has joined the conversation.').waitFor();
    // hostile text is shown as typed, never parsed
    await agent.locator('.transcript .text', { hasText: `<img src=x onerror="alert('driver')">` }).waitFor();
    expect(await agent.locator('.transcript img, .transcript script, .summary img').count()).toBe(0);
    expect(await agent.locator('.summary-text').textContent()).toMatch(/declined at the barrier/);

    // while Ana writes, the driver sees "typing…"; her message replaces it
    expect(await driver.locator('.typing').isVisible()).toBe(false);
    await agent.locator('textarea[name="reply"]').fill("Hi, I'm Ana. Let me look at that charge.");
    await driver.locator('.typing').waitFor({ state: 'visible' });
    expect(await driver.locator('.typing .typing-text').textContent()).toBe('Ana is typing…'); // for screen readers
    await agent.getByRole('button', { name: 'Send' }).click();
    const reply = driver.locator('.msg.from-agent', { hasText: 'Let me look at that charge' });
    await reply.waitFor();
    expect(await reply.locator('.sender-name').textContent()).toBe('Ana');
  });

  it('while the agent holds it the bot stays quiet; the driver’s words reach the console live', async () => {
    const before = await botMessages();
    await say('it was booking PK000000 yesterday');
    await agent.locator('.transcript .from-driver', { hasText: 'PK000000' }).waitFor();
    await agent.locator('textarea[name="reply"]').fill('Found it, refunding now.');
    await agent.locator('input[name="internal"]').check();
    await agent.getByRole('button', { name: 'Send' }).click();
    await agent.locator('.transcript .internal', { hasText: 'refunding now' }).waitFor();
    await agent.locator('textarea[name="reply"]').fill('All sorted — you will see the refund in 3 days.');
    await agent.locator('input[name="internal"]').uncheck();
    await agent.getByRole('button', { name: 'Send' }).click();
    await driver.locator('.msg.from-agent', { hasText: 'All sorted' }).waitFor();
    expect(await botMessages()).toBe(before);
    expect(await driver.getByText('refunding now').count()).toBe(0); // the note stayed internal
    await agent.screenshot({ path: 'test-results/console-conversation.png', fullPage: true });
  });

  it('the agent hands back to the bot, and the bot answers again', async () => {
    await agent.getByRole('button', { name: 'Hand back to the bot' }).click();
    await driver.getByText('Ana handed you back to the assistant').waitFor();
    const before = await botMessages();
    await say('how much is parking at Kings Cross?');
    await expect.poll(botMessages, { timeout: 15_000 }).toBeGreaterThan(before);
    expect(dialogs).toEqual([]);
    await driver.screenshot({ path: 'test-results/console-driver-widget.png' });
  });
});
