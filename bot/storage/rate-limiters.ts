import type { Redis } from 'ioredis';
import type { RateLimiter } from '../ports.ts';

const windowOf = (now: Date) => Math.floor(now.getTime() / 60_000);

/** Fixed one-minute windows in process memory (one instance). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, { window: number; count: number }>();

  async hit(key: string, now: Date) {
    const window = windowOf(now);
    const cur = this.counts.get(key);
    const count = cur && cur.window === window ? cur.count + 1 : 1;
    this.counts.set(key, { window, count });
    if (this.counts.size > 50_000) this.prune(window);
    return { count, windowEndsAt: new Date((window + 1) * 60_000) };
  }

  private prune(window: number) {
    for (const [k, v] of this.counts) if (v.window < window) this.counts.delete(k);
  }
}

/** The same windows in Redis, shared by every instance (INCR + EXPIRE in one round trip). */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'spp:rate:',
  ) {}

  async hit(key: string, now: Date) {
    const window = windowOf(now);
    const k = `${this.prefix}${key}:${window}`;
    const results = await this.redis.multi().incr(k).expire(k, 120).exec();
    const count = Number(results?.[0]?.[1] ?? 1);
    return { count, windowEndsAt: new Date((window + 1) * 60_000) };
  }
}
