import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { KeyedQueue, sleep } from './keyed-queue.ts';
import { LockTimeoutError, type KeyedLock, type Lease } from './types.ts';

/** Deletes the key only if it still holds our token (never someone else's lock). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
/** Extends the key's expiry only if it still holds our token. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

type LockCommands = Redis & {
  sppLockRelease(key: string, token: string): Promise<number>;
  sppLockRenew(key: string, token: string, ttlMs: string): Promise<number>;
};

/**
 * Keyed locks shared by every instance on one Redis: `SET key token NX PX ttl` to take, Lua
 * compare-and-delete to release and compare-and-expire to renew, so a lock is only ever freed or
 * extended by its holder. `withLock` renews every ttl/3 while its function runs, so a long turn
 * keeps the lock but a crashed instance's lock lapses after at most `ttlMs`. Callers on one
 * instance also queue locally, so they keep their arrival order.
 *
 *   const lock = new RedisKeyedLock(redis, { prefix: 'spp:lock:' });
 */
export class RedisKeyedLock implements KeyedLock {
  private readonly queue = new KeyedQueue();
  private readonly redis: LockCommands;
  private readonly prefix: string;
  private readonly waitMs: number;

  constructor(redis: Redis, options: { prefix?: string; waitMs?: number } = {}) {
    this.prefix = options.prefix ?? 'spp:lock:';
    this.waitMs = options.waitMs ?? 60_000;
    redis.defineCommand('sppLockRelease', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('sppLockRenew', { numberOfKeys: 1, lua: RENEW });
    this.redis = redis as LockCommands;
  }

  withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(key, async () => {
      const k = this.prefix + key;
      const token = randomUUID();
      await this.acquire(k, token, ttlMs);
      const renewal = setInterval(
        () => {
          // A failed renewal is retried at the next tick; the lock lapses only if Redis stays away.
          this.redis.sppLockRenew(k, token, String(ttlMs)).catch(() => undefined);
        },
        Math.max(10, Math.floor(ttlMs / 3)),
      );
      renewal.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renewal);
        // If Redis is unreachable now, the lock simply expires after ttlMs.
        await this.redis.sppLockRelease(k, token).catch(() => undefined);
      }
    });
  }

  async tryLease(key: string, ttlMs: number): Promise<Lease | null> {
    const k = this.prefix + key;
    const token = randomUUID();
    if ((await this.redis.set(k, token, 'PX', ttlMs, 'NX')) !== 'OK') return null;
    return {
      renew: async () => (await this.redis.sppLockRenew(k, token, String(ttlMs))) === 1,
      release: async () => {
        await this.redis.sppLockRelease(k, token);
      },
    };
  }

  /** polls with a growing pause (5 ms up to 100 ms) until the key is free */
  private async acquire(k: string, token: string, ttlMs: number): Promise<void> {
    const started = Date.now();
    let pause = 5;
    while ((await this.redis.set(k, token, 'PX', ttlMs, 'NX')) !== 'OK') {
      if (Date.now() - started > this.waitMs) throw new LockTimeoutError(k, Date.now() - started);
      await sleep(pause);
      pause = Math.min(100, pause * 2);
    }
  }
}
