import express from 'express';
import { randomBytes } from 'node:crypto';
import {
  MemoryCallbackTokens,
  MemoryKeyedLock,
  RedisCallbackTokens,
  RedisKeyedLock,
  TELEGRAM_WEBHOOK_PATH,
  TelegramChannel,
  telegramConfigSchema,
} from '../channels/index.ts';
import type { PlatformContext, PlatformModule } from './module.ts';
import { storedSecret } from './secrets.ts';

/**
 * The Telegram channel, on when TELEGRAM_BOT_TOKEN is set: its outlet on the conversation runtime,
 * and updates by webhook at `POST /channels/telegram/webhook` (TELEGRAM_WEBHOOK_URL set; every
 * instance answers) or by long polling (one instance at a time, leased through Redis when set).
 */
export async function createTelegramModule(ctx: PlatformContext): Promise<PlatformModule> {
  const { config } = ctx;
  if (!config.TELEGRAM_BOT_TOKEN) return { name: 'telegram' };
  const logger = ctx.logger.child({ module: 'telegram' });
  const settings = telegramConfigSchema.parse({
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    webhookUrl: config.TELEGRAM_WEBHOOK_URL,
    webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
  });
  const webhookSecret = settings.webhookUrl
    ? (settings.webhookSecret ??
      (await storedSecret(config.DATA_DIR, 'telegram-webhook-secret', () => randomBytes(32).toString('hex')))
        .value)
    : undefined;
  const lockRedis = ctx.redis('telegram-lock');
  const tokensRedis = ctx.redis('telegram-tokens');
  const runtime = ctx.runtime.get();
  const channel = new TelegramChannel({
    config: settings,
    runtime,
    lock: lockRedis ? new RedisKeyedLock(lockRedis) : new MemoryKeyedLock(),
    tokens: tokensRedis ? new RedisCallbackTokens(tokensRedis) : new MemoryCallbackTokens(),
    logger,
    ...(webhookSecret ? { webhookSecret } : {}),
  });
  runtime.registerChannel(channel.outlet);
  return {
    name: 'telegram',
    mount(app) {
      if (!webhookSecret) return;
      app.post(
        TELEGRAM_WEBHOOK_PATH,
        (req, res, next) => {
          // Checked before the body is read: nothing of a forged request is processed.
          if (channel.isAuthentic(req.headers['x-telegram-bot-api-secret-token'])) return next();
          logger.warn({ ip: req.ip }, 'telegram: webhook call without the right secret refused');
          res.status(401).json({ code: 'TELEGRAM.SECRET_INVALID', message: 'missing or wrong secret token' });
        },
        express.json({ limit: '1mb' }),
        async (req, res) => {
          const answer = await channel.acceptWebhook(req.body);
          res.status(answer.status).json(answer.body);
        },
      );
    },
    start: () => channel.start(),
    stop: () => channel.stop(),
  };
}
