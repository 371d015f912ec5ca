import { Telegraf, TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockedByUser, parseTelegramHtml, TelegramApiStandIn, tooManyRequests } from './telegram-api.ts';

// The stand-in must answer the real client exactly as Telegram would, or the channel's tests prove nothing.
describe('the stand-in Telegram Bot API, driven by telegraf', () => {
  let tg: TelegramApiStandIn;
  let bot: Telegraf;
  beforeEach(async () => {
    tg = await TelegramApiStandIn.start();
    bot = new Telegraf(tg.token, { telegram: { apiRoot: tg.url } });
  });
  afterEach(async () => {
    await tg.stop();
  });

  it('answers getMe, sends messages with HTML and keyboards, and refuses a wrong token', async () => {
    expect(await bot.telegram.getMe()).toMatchObject({ is_bot: true, username: 'ParkingStandInBot' });
    const sent = await bot.telegram.sendMessage(42, '<b>Hi</b> &amp; welcome', {
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'intent:greet' }]] },
    });
    expect(sent).toMatchObject({ message_id: expect.any(Number), chat: { id: 42 }, text: 'Hi & welcome' });
    expect(tg.sentTo(42)[0]?.reply_markup?.inline_keyboard?.[0]?.[0]?.text).toBe('Go');
    const stranger = new Telegraf('1:wrong', { telegram: { apiRoot: tg.url } });
    await expect(stranger.telegram.getMe()).rejects.toMatchObject({ code: 401 });
  });

  it('refuses what Telegram refuses: bad HTML, long texts, long callback data', async () => {
    await expect(bot.telegram.sendMessage(1, 'a <plate> b', { parse_mode: 'HTML' })).rejects.toThrow(
      /can't parse entities/,
    );
    await expect(bot.telegram.sendMessage(1, 'x'.repeat(4097))).rejects.toThrow(/message is too long/);
    await expect(
      bot.telegram.sendMessage(1, 'ok', {
        reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'y'.repeat(65) }]] },
      }),
    ).rejects.toThrow(/BUTTON_DATA_INVALID/);
    expect(parseTelegramHtml('<b>a &lt; b</b> <a href="https://x">c</a>')).toEqual({ text: 'a < b c' });
    expect(parseTelegramHtml('<b>a')).toHaveProperty('error');
  });

  it('answers an injected 429 with retry_after and a 403 for a driver who blocked the bot', async () => {
    tg.failNext('sendMessage', tooManyRequests(3));
    const error = await bot.telegram.sendMessage(7, 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).parameters?.retry_after).toBe(3);
    tg.failNext('sendChatAction', blockedByUser());
    await expect(bot.telegram.sendChatAction(7, 'typing')).rejects.toMatchObject({ code: 403 });
    tg.blockBy(8);
    await expect(bot.telegram.sendMessage(8, 'hi')).rejects.toThrow(/bot was blocked by the user/);
  });

  it('hands queued updates to a long-polling bot, and removes pressed keyboards on request', async () => {
    const seen: string[] = [];
    bot.on('message', (ctx) => void seen.push('text' in ctx.message ? ctx.message.text : '?'));
    const ana = tg.driver({ id: 5, first_name: 'Ana', language_code: 'es' });
    await ana.say('hola');
    void bot.launch();
    await tg.until(() => seen.length === 1, 'the update');
    expect(seen).toEqual(['hola']);
    expect(tg.callsOf('deleteWebhook')).toHaveLength(1);
    const msg = await bot.telegram.sendMessage(5, 'Pick', {
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    await bot.telegram.editMessageReplyMarkup(5, msg.message_id, undefined, { inline_keyboard: [] });
    expect(tg.message(5, msg.message_id)?.reply_markup).toBeUndefined();
    bot.stop('test');
  });

  it('refuses getUpdates while a webhook is set, and posts updates to the webhook with its secret', async () => {
    const { createServer } = await import('node:http');
    const got: Array<string | undefined> = [];
    const hook = createServer((req, res) => {
      got.push(req.headers['x-telegram-bot-api-secret-token'] as string | undefined);
      req.resume();
      res.end();
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    await bot.telegram.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: 'S3cret_x' });
    await expect(bot.telegram.getUpdates(0, 100, 0, undefined)).rejects.toMatchObject({ code: 409 });
    expect(await tg.driver({ id: 9, first_name: 'Bo' }).say('hi')).toBe(200);
    expect(got).toEqual(['S3cret_x']);
    expect((await bot.telegram.getWebhookInfo()).url).toContain('/hook');
    hook.close();
  });
});
