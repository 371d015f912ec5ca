import { Telegraf } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  blockedByUser,
  TelegramApiStandIn,
  tooManyRequests,
} from '../../test/support/telegram-api.ts';
import { DeliveryError } from '../runtime/index.ts';
import { callTelegram } from './calls.ts';

// Telegram's rules for retrying, against the stand-in's real error answers through telegraf.
describe('calling the Bot API', () => {
  let tg: TelegramApiStandIn;
  let bot: Telegraf;
  const policy = { attempts: 3, backoffMs: 10, maxRetryAfterSeconds: 2 };
  const send = () => callTelegram(() => bot.telegram.sendMessage(1, 'hi'), policy);
  const statuses = () => tg.callsOf('sendMessage').map((c) => c.status);
  beforeAll(async () => {
    tg = await TelegramApiStandIn.start();
    bot = new Telegraf(tg.token, { telegram: { apiRoot: tg.url } });
  });
  afterAll(() => tg.stop());

  it('retries a 5xx and a dropped connection with back-off', async () => {
    tg.calls.length = 0;
    tg.failNext('sendMessage', apiError(502, 'Bad Gateway'));
    tg.failNext('sendMessage', 'drop');
    await expect(send()).resolves.toMatchObject({ text: 'hi' });
    expect(statuses()).toEqual([502, 0, 200]);
  });

  it('gives up after its attempts as retryable', async () => {
    tg.calls.length = 0;
    for (let i = 0; i < 3; i++) tg.failNext('sendMessage', 'drop');
    await expect(send()).rejects.toMatchObject({ name: 'DeliveryError', kind: 'retryable' });
    expect(statuses()).toEqual([0, 0, 0]);
  });

  it('waits a 429 out, unless Telegram asks for longer than it will wait', async () => {
    tg.calls.length = 0;
    tg.failNext('sendMessage', tooManyRequests(1));
    await expect(send()).resolves.toBeTruthy();
    tg.failNext('sendMessage', tooManyRequests(30));
    await expect(send()).rejects.toMatchObject({ kind: 'retryable' });
    expect(statuses()).toEqual([429, 200, 429]);
  });

  it('does not retry what Telegram refuses: 403 is unreachable, another 4xx rejected', async () => {
    tg.calls.length = 0;
    tg.failNext('sendMessage', blockedByUser());
    const blocked = await send().catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(DeliveryError);
    expect(blocked).toMatchObject({
      kind: 'unreachable',
      message: 'Telegram: Forbidden: bot was blocked by the user',
    });
    await expect(
      callTelegram(() => bot.telegram.sendMessage(1, '<b>', { parse_mode: 'HTML' }), policy),
    ).rejects.toMatchObject({
      kind: 'rejected',
    });
    expect(statuses()).toEqual([403, 400]);
  });
});
