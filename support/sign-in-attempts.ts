import type { Redis } from 'ioredis';

/**
 * Failed sign-ins counted per key in fixed windows. Only failures count, so a team signing in
 * from one office address is never slowed down by its own successes.
 */
export interface SignInAttempts {
  /** failures for `key` in the current window */
  failures(key: string, now: Date): Promise<number>;
  /** one more failure for `key`; returns when its window ends */
  fail(key: string, now: Date): Promise<Date>;
}

export const ATTEMPT_WINDOW_MS = 15 * 60_000;
const windowOf = (now: Date) => Math.floor(now.getTime() / ATTEMPT_WINDOW_MS);
const windowEnd = (now: Date) => new Date((windowOf(now) + 1) * ATTEMPT_WINDOW_MS);

/** In process memory (one instance). */
export class MemorySignInAttempts implements SignInAttempts {
  private readonly counts = new Map<string, { window: number; count: number }>();

  async failures(key: string, now: Date): Promise<number> {
    const c = this.counts.get(key);
    return c && c.window === windowOf(now) ? c.count : 0;
  }

  async fail(key: string, now: Date): Promise<Date> {
    const window = windowOf(now);
    const c = this.counts.get(key);
    this.counts.set(key, { window, count: c && c.window === window ? c.count + 1 : 1 });
    if (this.counts.size > 10_000)
      for (const [k, v] of this.counts) if (v.window < window) this.counts.delete(k);
    return windowEnd(now);
  }
}

/** In Redis, shared by every instance. */
export class RedisSignInAttempts implements SignInAttempts {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'spp:signin:',
  ) {}

  private key(key: string, now: Date) {
    return `${this.prefix}${key}:${windowOf(now)}`;
  }

  async failures(key: string, now: Date): Promise<number> {
    return Number((await this.redis.get(this.key(key, now))) ?? 0);
  }

  async fail(key: string, now: Date): Promise<Date> {
    const k = this.key(key, now);
    await this.redis
      .multi()
      .incr(k)
      .pexpire(k, ATTEMPT_WINDOW_MS * 2)
      .exec();
    return windowEnd(now);
  }
}
