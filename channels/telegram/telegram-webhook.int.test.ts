import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../../test/support/databases.ts';
import { payAtTestCheckout } from '../../test/support/platform.ts';
import { TEST_REDIS_URL } from '../../test/support/redis.ts';
import { tooManyRequests } from '../../test/support/telegram-api.ts';
import {
  hasButton,
  startTelegramPlatform,
  urlButton,
  type TelegramPlatform,
} from '../../test/support/telegram-platform.ts';

// The Telegram channel in webhook mode, on PostgreSQL and Redis when they are configured (CI),
// PGlite and memory otherwise. The stand-in Bot API POSTs updates to the platform as Telegram does.
describe('Telegram channel, webhook', () => {
  let t: TelegramPlatform;
  let nextId = 820_000 + Math.floor(Math.random() * 100_000);
  const driver = (first_name: string, language_code = 'en') =>
    t.tg.driver({ id: nextId++, first_name, language_code });
  const texts = (ms: Array<{ text: string }>) => ms.map((m) => m.text).join('\n');
  const conversationOf = (chatId: number) =>
    t.p.db.prisma.conversation.findUnique({
      where: { channel_externalId: { channel: 'telegram', externalId: String(chatId) } },
      include: { messages: true },
    });

  beforeAll(async () => {
    t = await startTelegramPlatform(
      'webhook',
      TEST_DATABASE_URL ? 'postgres' : 'pglite',
      TEST_REDIS_URL ? { REDIS_URL: TEST_REDIS_URL } : {},
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('registers its webhook with the secret and only the updates it reads', () => {
    expect(t.tg.webhook).toEqual({
      url: `${t.p.url}/channels/telegram/webhook`,
      secret_token: t.secret,
      allowed_updates: ['message', 'callback_query'],
    });
  });

  it('refuses an update with a forged or missing secret (401) and processes nothing of it', async () => {
    const mallory = driver('Mallory');
    expect(
      await mallory.say("book a space at King's Cross tomorrow 9-11 plate MA11 ORY", {
        secret: 'forged_secret',
      }),
    ).toBe(401);
    expect(await mallory.say('hello', { secret: null })).toBe(401);
    const bad = await fetch(`${t.p.url}/channels/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': t.secret! },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(bad.status).toBe(400);
    // another driver is answered meanwhile; Mallory's chat saw nothing and nothing was stored
    const ok = driver('Ok');
    await t.turn(ok, () => ok.say('/start'));
    expect(t.tg.calls.filter((c) => c.params['chat_id'] === mallory.chatId)).toEqual([]);
    expect(await conversationOf(mallory.chatId)).toBeNull();
    expect(
      await t.p.db.prisma.channelIdentity.count({
        where: { channel: 'telegram', externalId: String(mallory.user.id) },
      }),
    ).toBe(0);
  });

  it('books in one message confirmed through an inline button', async () => {
    const bo = driver('Bo');
    const status = await bo.say("book an EV space at King's Cross tomorrow 9 to 11, plate WB12 CDE");
    expect(status).toBe(200);
    await t.tg.until(() => t.tg.sentTo(bo.chatId).some(hasButton('confirm:yes')), 'the offer');
    // "Book it" holds the space and sends a Pay link to the embedded test checkout
    const held = await t.turn(
      bo,
      () => bo.pressValue('confirm:yes'),
      (m) => urlButton(m, /^Pay /) !== undefined,
    );
    const [booking] = await t.bookingsOf(bo);
    expect(booking).toMatchObject({ status: 'held', plate: 'WB12CDE', facility: /King's Cross/ });
    expect(t.tg.sentTo(bo.chatId).filter(hasButton('confirm:yes'))).toEqual([]); // the pressed keyboard is gone
    const url = held.map((m) => urlButton(m, /^Pay /)).find(Boolean);
    expect(url).toMatch(new RegExp(`^${t.p.url}/pay/tcs_`));
    // the driver pays there; the booking is confirmed and the chat is told so
    await t.turn(
      bo,
      () => payAtTestCheckout(url!, booking!.reference),
      (m) => /Payment received — booking confirmed/.test(m.text),
    );
    expect(await t.bookingsOf(bo)).toMatchObject([
      { status: 'confirmed', plate: 'WB12CDE', facility: /King's Cross/ },
    ]);
  });

  it('processes an update Telegram sends twice once', async () => {
    const cy = driver('Cy');
    const update = {
      update_id: t.tg.takeUpdateId(),
      message: {
        message_id: 9,
        from: cy.user,
        chat: { id: cy.chatId, type: 'private', first_name: 'Cy' },
        date: 1,
        text: 'hello there',
      },
    };
    expect(await t.tg.postToWebhook(update)).toBe(200);
    expect(await t.tg.postToWebhook(update)).toBe(200);
    const inbound = (await conversationOf(cy.chatId))?.messages.filter((m) => m.direction === 'in') ?? [];
    expect(inbound.map((m) => m.text)).toEqual(['hello there']);
  });

  it('answers in Spanish from the driver’s Telegram language, through a 429', async () => {
    const di = driver('Di', 'es-ES');
    t.tg.failNext('sendMessage', tooManyRequests(1));
    const reply = await t.turn(di, () => di.say('/start'));
    expect(texts(reply)).toMatch(/Hola/);
    expect(t.tg.callsOf('sendMessage').some((c) => c.status === 429)).toBe(true);
  });

  it('delivers a message from outside a turn (an agent, a payment link) to a Telegram driver', async () => {
    const fe = driver('Fe');
    await t.turn(fe, () => fe.say('hello'));
    const before = t.tg.sentTo(fe.chatId).length;
    const result = await t.p.runtime.deliver(
      { channel: 'telegram', externalId: String(fe.chatId) },
      [
        {
          type: 'message',
          text: 'Here is your payment link <secure>',
          suggestedActions: {
            to: [],
            actions: [{ type: 'openUrl', title: 'Pay £13.00', value: 'https://pay.example/c/1' }],
          },
        },
      ],
      { role: 'agent', name: 'Sam' },
    );
    expect(result).toMatchObject({ delivered: true });
    const [sent] = t.tg.sentTo(fe.chatId).slice(before);
    expect(sent?.text).toBe('Sam (Support agent)\n\nHere is your payment link <secure>');
    expect(sent?.reply_markup?.inline_keyboard).toEqual([
      [{ text: 'Pay £13.00', url: 'https://pay.example/c/1' }],
    ]);
  });

  it('is answered 200 and records the failure when the driver has blocked the bot', async () => {
    const ed = driver('Ed');
    t.tg.blockBy(ed.chatId);
    expect(await ed.say('hello')).toBe(200);
    const undelivered = (await conversationOf(ed.chatId))?.messages.filter(
      (m) => (m.payload as { undelivered?: string } | null)?.undelivered === 'unreachable',
    );
    expect(undelivered?.length).toBeGreaterThan(0);
  });
});
