import { describe } from 'vitest';
import { testRedis, TEST_REDIS_URL } from '../../test/support/redis.ts';
import { liveStateContract } from './live-state.contract.ts';
import { RedisLiveState } from './redis-live-state.ts';

describe.runIf(TEST_REDIS_URL)('on real Redis', () => {
  liveStateContract('RedisLiveState', async () => {
    const a = testRedis();
    const b = testRedis();
    return {
      store: new RedisLiveState(a.redis, { prefix: a.prefix }),
      other: new RedisLiveState(b.redis, { prefix: a.prefix }),
      cleanup: async () => {
        const keys = await a.redis.keys(`${a.prefix}*`);
        if (keys.length) await a.redis.del(...keys);
        await Promise.all([a.redis.quit(), b.redis.quit()]);
      },
    };
  });
});
