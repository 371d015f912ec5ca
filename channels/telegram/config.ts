import { z } from 'zod';

/** Telegram's default Bot API server. */
export const TELEGRAM_API_ROOT = 'https://api.telegram.org';

/** The path the platform serves Telegram's webhook on (under the public base URL). */
export const TELEGRAM_WEBHOOK_PATH = '/channels/telegram/webhook';

const httpUrl = z
  .string()
  .refine(
    (u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol),
    'must be an https:// (or http://) URL',
  );

/**
 * The Telegram channel's settings (the app maps TELEGRAM_* environment variables onto them).
 * With `webhookUrl` the bot receives updates by webhook at `<webhookUrl>/channels/telegram/webhook`;
 * without it, one instance long-polls.
 */
export const telegramConfigSchema = z.object({
  /** the bot's token from @BotFather, `<bot id>:<secret>` */
  token: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456789:AA… (the token @BotFather gave)'),
  /** the Bot API server (Telegram's, a self-hosted telegram-bot-api, or a test stand-in) */
  apiRoot: httpUrl.default(TELEGRAM_API_ROOT),
  /** the platform's public base URL; set for webhook mode, unset for long polling */
  webhookUrl: httpUrl.optional(),
  /** Telegram's `secret_token`: 1–256 of A–Z a–z 0–9 _ - (generated and kept when unset) */
  webhookSecret: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, '1–256 characters of A–Z, a–z, 0–9, _ and -')
    .optional(),
});

export type TelegramConfig = z.infer<typeof telegramConfigSchema>;

/** Where Telegram should POST updates, for a public base URL (with or without a trailing slash). */
export const webhookEndpoint = (baseUrl: string): string =>
  baseUrl.replace(/\/+$/, '') + TELEGRAM_WEBHOOK_PATH;
