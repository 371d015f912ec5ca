import { describe } from 'vitest';
import { testRedis, TEST_REDIS_URL } from '../../test/support/redis.ts';
import { keyedLockContract } from './keyed-lock.contract.ts';
import { MemoryKeyedLock } from './memory-keyed-lock.ts';
import { RedisKeyedLock } from './redis-keyed-lock.ts';

keyedLockContract('MemoryKeyedLock', async () => {
  const lock = new MemoryKeyedLock();
  return { lock, other: lock, impatient: lock.withWaitLimit(100), cleanup: async () => {} };
});

describe.runIf(TEST_REDIS_URL)('on real Redis', () => {
  keyedLockContract('RedisKeyedLock', async () => {
    const a = testRedis();
    const b = testRedis();
    return {
      lock: new RedisKeyedLock(a.redis, { prefix: a.prefix }),
      other: new RedisKeyedLock(b.redis, { prefix: a.prefix }),
      impatient: new RedisKeyedLock(a.redis, { prefix: a.prefix, waitMs: 100 }),
      cleanup: async () => {
        const keys = await a.redis.keys(`${a.prefix}*`);
        if (keys.length) await a.redis.del(...keys);
        await Promise.all([a.redis.quit(), b.redis.quit()]);
      },
    };
  });
});
