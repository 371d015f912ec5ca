import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, testRedis } from '../../test/support/redis.ts';
import { TelegramApiStandIn } from '../../test/support/telegram-api.ts';
import { MemoryKeyedLock, RedisKeyedLock, type InboundMessage, type KeyedLock } from '../runtime/index.ts';
import { TelegramChannel } from './adapter.ts';
import { telegramConfigSchema } from './config.ts';
import { MemoryCallbackTokens, RedisCallbackTokens, type CallbackTokenStore } from './tokens.ts';

// The channel's own machinery, against the stand-in Bot API: who polls, and how presses come back.
// The runtime here only records what the channel hands it (the platform tests run the real one).

type Shared = { lock: KeyedLock; tokens: CallbackTokenStore };
const backends: Array<[string, () => Shared & { close?: () => Promise<void> }]> = [
  ['memory', () => ({ lock: new MemoryKeyedLock(), tokens: new MemoryCallbackTokens() })],
];
if (TEST_REDIS_URL) {
  backends.push([
    'redis',
    () => {
      const { redis, prefix } = testRedis();
      return {
        lock: new RedisKeyedLock(redis, { prefix: `${prefix}lock:` }),
        tokens: new RedisCallbackTokens(redis, `${prefix}cb:`),
        close: () => (redis as Redis).quit().then(() => undefined),
      };
    },
  ]);
}

describe.each(backends)('Telegram channel machinery (%s)', (_name, make) => {
  let tg: TelegramApiStandIn;
  let shared: ReturnType<typeof make>;
  const channels: TelegramChannel[] = [];
  beforeAll(async () => {
    shared = make();
  });
  afterAll(async () => {
    await shared.close?.();
  });
  afterEach(async () => {
    await Promise.all(channels.splice(0).map((c) => c.stop()));
    await tg?.stop();
  });

  const instance = (got: InboundMessage[], log: string[]) => {
    const c = new TelegramChannel({
      config: telegramConfigSchema.parse({ token: tg.token, apiRoot: tg.url }),
      runtime: { handle: async (m) => void got.push(m) },
      lock: shared.lock,
      tokens: shared.tokens,
      logger: { info: (_d, m) => log.push(m), warn: (_d, m) => log.push(m), error: (_d, m) => log.push(m) },
      retry: { attempts: 3, backoffMs: 50, maxRetryAfterSeconds: 5 },
      pollingLeaseMs: 600,
    });
    channels.push(c);
    return c;
  };

  it('lets exactly one of two instances poll, and the other take over when it stops', async () => {
    tg = await TelegramApiStandIn.start(
      `${700_000_000 + Math.floor(Math.random() * 1e8)}:AAStandInTokenForLeaseTests_abc`,
    );
    const [gotA, gotB, logA, logB] = [[], [], [], []] as [
      InboundMessage[],
      InboundMessage[],
      string[],
      string[],
    ];
    const a = instance(gotA, logA);
    await a.start();
    await a.ready;
    const b = instance(gotB, logB);
    await b.start();
    await b.ready;
    expect(logA).toContain('telegram: this instance is polling for updates');
    expect(logB).toContain('telegram: another instance is polling for updates; this one stands by');

    const ana = tg.driver({ id: 51, first_name: 'Ana' });
    await ana.say('hello');
    await tg.until(() => gotA.length === 1, 'the first instance to get the message');
    await a.stop();
    await tg.until(() => logB.includes('telegram: this instance is polling for updates'), 'the takeover');
    await ana.say('still there?');
    await tg.until(() => gotB.length === 1, 'the second instance to get the message');
    expect([...gotA, ...gotB].map((m) => m.text)).toEqual(['hello', 'still there?']);
    // never two pollers at once: Telegram would have ended one's polling with 409 Conflict
    expect([...logA, ...logB]).not.toContain('telegram: polling failed');
  });

  it('sends a value too long for callback data as a token, and reads a press of it back', async () => {
    tg = await TelegramApiStandIn.start();
    const got: InboundMessage[] = [];
    const c = instance(got, []);
    const long = `book:${'x'.repeat(80)}`;
    await c.outlet.send(
      { channel: 'telegram', conversationId: '61', address: { chatId: 61 } },
      [
        {
          type: 'message',
          text: 'Pick one',
          suggestedActions: { to: [], actions: [{ type: 'postBack', title: 'That one', value: long }] },
        },
      ],
      { role: 'bot' },
    );
    const [sent] = tg.sentTo(61);
    const data = sent?.reply_markup?.inline_keyboard?.[0]?.[0]?.callback_data ?? '';
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    const driver = tg.driver({ id: 61, first_name: 'Bo' });
    await driver.pressData(sent!, data);
    // the channel is not polling in this test: hand it the queued update as a webhook would
    const [queued] = (await c.bot.telegram.callApi('getUpdates', {
      offset: 0,
      limit: 1,
      timeout: 0,
    })) as unknown[];
    expect((await c.acceptWebhook(queued)).status).toBe(200);
    expect(got.map((m) => m.value)).toEqual([long]);
    expect(tg.callsOf('answerCallbackQuery').map((x) => x.status)).toEqual([200]);
    expect(tg.message(61, sent!.message_id)?.reply_markup).toBeUndefined();
  });

  it('says so, and does not crash, when Telegram refuses the token', async () => {
    tg = await TelegramApiStandIn.start();
    const log: string[] = [];
    const c = new TelegramChannel({
      config: telegramConfigSchema.parse({
        token: '999:AAThisTokenIsNotTheStandInsOne_xyz',
        apiRoot: tg.url,
      }),
      runtime: { handle: async () => undefined },
      lock: shared.lock,
      tokens: shared.tokens,
      logger: { info: (_d, m) => log.push(m), warn: (_d, m) => log.push(m), error: (_d, m) => log.push(m) },
    });
    channels.push(c);
    await c.start();
    await c.ready;
    expect(log).toContain('telegram: TELEGRAM_BOT_TOKEN was refused; the channel is off');
  });
});
