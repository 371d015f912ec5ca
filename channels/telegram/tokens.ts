import type { Redis } from 'ioredis';

/**
 * Callback data too long for Telegram's 64 bytes travels as a short token (see render.ts); this
 * keeps token → value until a press reads it back, on whichever instance receives the press.
 */
export interface CallbackTokenStore {
  put(tokens: Readonly<Record<string, string>>): Promise<void>;
  get(token: string): Promise<string | null>;
}

/** How long a token outlives the keyboard it was sent on (a month: old chats stay usable). */
export const TOKEN_TTL_SECONDS = 30 * 24 * 3600;

/** One process: the newest tokens, up to `max`. */
export class MemoryCallbackTokens implements CallbackTokenStore {
  private readonly map = new Map<string, string>();
  constructor(private readonly max = 10_000) {}

  async put(tokens: Readonly<Record<string, string>>): Promise<void> {
    for (const [token, value] of Object.entries(tokens)) {
      this.map.delete(token);
      this.map.set(token, value);
    }
    for (const oldest of this.map.keys()) {
      if (this.map.size <= this.max) break;
      this.map.delete(oldest);
    }
  }

  async get(token: string): Promise<string | null> {
    return this.map.get(token) ?? null;
  }
}

/** Shared by instances (webhook mode spreads presses over them). */
export class RedisCallbackTokens implements CallbackTokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'telegram:cb:',
  ) {}

  async put(tokens: Readonly<Record<string, string>>): Promise<void> {
    const entries = Object.entries(tokens);
    if (!entries.length) return;
    const multi = this.redis.multi();
    for (const [token, value] of entries) multi.set(this.prefix + token, value, 'EX', TOKEN_TTL_SECONDS);
    await multi.exec();
  }

  get(token: string): Promise<string | null> {
    return this.redis.get(this.prefix + token);
  }
}
