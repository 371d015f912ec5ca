import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, testRedis } from '../test/support/redis.ts';
import {
  ATTEMPT_WINDOW_MS,
  MemorySignInAttempts,
  RedisSignInAttempts,
  type SignInAttempts,
} from './sign-in-attempts.ts';

const connections: Redis[] = [];
const IMPLEMENTATIONS: Array<[string, () => SignInAttempts]> = [
  ['memory', () => new MemorySignInAttempts()],
  ...(TEST_REDIS_URL
    ? ([
        [
          'redis',
          () => {
            const { redis, prefix } = testRedis();
            connections.push(redis);
            return new RedisSignInAttempts(redis, prefix);
          },
        ],
      ] as Array<[string, () => SignInAttempts]>)
    : []),
];

afterAll(async () => {
  for (const c of connections) await c.quit();
});

describe.each(IMPLEMENTATIONS)('failed sign-ins counted in %s', (_name, make) => {
  // a fixed instant in the middle of a window, so the test never straddles two
  const t0 = new Date(Math.floor(Date.now() / ATTEMPT_WINDOW_MS) * ATTEMPT_WINDOW_MS + ATTEMPT_WINDOW_MS / 2);

  it('counts failures per key within a window and forgets them in the next', async () => {
    const a = make();
    expect(await a.failures('ip|ana', t0)).toBe(0);
    const ends = await a.fail('ip|ana', t0);
    await a.fail('ip|ana', t0);
    await a.fail('ip|ben', t0);
    expect(await a.failures('ip|ana', t0)).toBe(2);
    expect(await a.failures('ip|ben', t0)).toBe(1);
    expect(ends.getTime() - t0.getTime()).toBe(ATTEMPT_WINDOW_MS / 2);
    expect(await a.failures('ip|ana', new Date(t0.getTime() + ATTEMPT_WINDOW_MS))).toBe(0);
  });
});
