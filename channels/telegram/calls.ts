import { TelegramError } from 'telegraf';
import { DeliveryError } from '../runtime/index.ts';

export interface RetryPolicy {
  /** attempts in all, the first included */
  attempts: number;
  /** the first back-off after a network error or a 5xx, doubled each time */
  backoffMs: number;
  /** a 429 asking to wait longer than this is given up on (reported as retryable) */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, backoffMs: 500, maxRetryAfterSeconds: 60 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** node-fetch's network failures (refused, reset, DNS…), as telegraf lets them through. */
const isNetworkError = (e: unknown) =>
  e instanceof Error &&
  (e.name === 'FetchError' || /ECONNRESET|ECONNREFUSED|socket hang up|ETIMEDOUT/.test(e.message));

/** "bot was blocked by the user", "user is deactivated", "bot can't initiate conversation"… */
const isUnreachable = (e: TelegramError) => e.code === 403;

/**
 * Calls the Bot API, keeping Telegram's rules: a 429 waits the `retry_after` it asks for, a
 * network error or a 5xx is retried with doubling back-off. What still fails becomes a
 * `DeliveryError` the runtime records: `unreachable` (403: blocked, deactivated), `rejected`
 * (another 4xx), `retryable` (the rest).
 *
 *   await callTelegram(() => telegram.sendMessage(chatId, 'Hi'));
 */
export async function callTelegram<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (why: string, waitMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const last = attempt >= policy.attempts;
      if (e instanceof TelegramError) {
        if (isUnreachable(e))
          throw new DeliveryError('unreachable', `Telegram: ${e.description}`, { cause: e });
        if (e.code === 429) {
          const seconds = e.parameters?.retry_after ?? 1;
          if (last || seconds > policy.maxRetryAfterSeconds)
            throw new DeliveryError('retryable', `Telegram asked to wait ${seconds} s`, { cause: e });
          onRetry?.('429', seconds * 1000);
          await sleep(seconds * 1000);
          continue;
        }
        if (e.code < 500) throw new DeliveryError('rejected', `Telegram: ${e.description}`, { cause: e });
      } else if (!isNetworkError(e)) throw e;
      if (last)
        throw new DeliveryError('retryable', `Telegram unreachable after ${attempt} attempts`, { cause: e });
      const wait = policy.backoffMs * 2 ** (attempt - 1);
      onRetry?.(e instanceof TelegramError ? String(e.code) : 'network', wait);
      await sleep(wait);
    }
  }
}
