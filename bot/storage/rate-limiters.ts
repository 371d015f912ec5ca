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

// INCR, and the window's expiry when it is new: one command (a MULTI of two is four to send and parse).
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** The same windows in Redis, shared by every instance (one script call per message). */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'spp:rate:',
  ) {
    redis.defineCommand('sppRateHit', { numberOfKeys: 1, lua: HIT });
  }

  async hit(key: string, now: Date) {
    const window = windowOf(now);
    const k = `${this.prefix}${key}:${window}`;
    const count = Number(
      await (this.redis as Redis & { sppRateHit(key: string, ttl: number): Promise<number> }).sppRateHit(
        k,
        120,
      ),
    );
    return { count, windowEndsAt: new Date((window + 1) * 60_000) };
  }
}
