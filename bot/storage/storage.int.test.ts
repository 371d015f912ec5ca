import type { Storage } from 'botbuilder';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, testRedis } from '../../test/support/redis.ts';
import { MemoryRateLimiter, RedisRateLimiter } from './rate-limiters.ts';
import { RedisStorage } from './redis-storage.ts';
import { MemoryBotStorage, OptimisticStorage, StateConflictError } from './state-conflict.ts';
import type { RateLimiter } from '../ports.ts';

const connections: Redis[] = [];
afterAll(async () => {
  for (const c of connections) await c.quit();
});

/** Each contract runs on the in-memory version, and on Redis when TEST_REDIS_URL is set. */
function implementations<T>(
  memory: () => T,
  redis: (r: Redis, prefix: string) => T,
): Array<[string, () => T]> {
  const onRedis = (): T => {
    const { redis: connection, prefix } = testRedis();
    connections.push(connection);
    return redis(connection, prefix);
  };
  return [['memory', memory], ...(TEST_REDIS_URL ? ([['redis', onRedis]] as Array<[string, () => T]>) : [])];
}

const backends = implementations<Storage>(
  () => new MemoryBotStorage(),
  (r, prefix) => new RedisStorage(r, { prefix, ttlSeconds: 60 }),
);

describe.each(backends)('bot state storage contract: %s', (_name, make) => {
  it('reads back what was written, with an eTag, and nothing for unknown keys', async () => {
    const s = make();
    await s.write({ a: { n: 1, nested: { list: [1, 'two'] } } });
    const got = await s.read(['a', 'missing']);
    expect(got['a']).toMatchObject({ n: 1, nested: { list: [1, 'two'] } });
    expect(typeof got['a']?.eTag).toBe('string');
    expect(got['missing']).toBeUndefined();
  });

  it('refuses a write based on a stale eTag, so no instance overwrites another silently', async () => {
    const s = make();
    await s.write({ conv: { turn: 0 } });
    const first = (await s.read(['conv']))['conv'];
    const second = (await s.read(['conv']))['conv'];
    await s.write({ conv: { ...first, turn: 1 } }); // instance A saves
    const stale = s.write({ conv: { ...second, turn: 2 } }); // instance B is stale
    await expect(stale).rejects.toBeInstanceOf(StateConflictError);
    await expect(stale).rejects.toMatchObject({ key: 'conv' });
    expect((await s.read(['conv']))['conv']).toMatchObject({ turn: 1 });
    const fresh = (await s.read(['conv']))['conv'];
    await s.write({ conv: { ...fresh, turn: 2 } });
    expect((await s.read(['conv']))['conv']).toMatchObject({ turn: 2 });
  });

  it("writes unconditionally with eTag '*' and deletes", async () => {
    const s = make();
    await s.write({ x: { v: 1 } });
    await s.write({ x: { v: 2, eTag: '*' } });
    expect((await s.read(['x']))['x']).toMatchObject({ v: 2 });
    await s.delete(['x']);
    expect((await s.read(['x']))['x']).toBeUndefined();
  });

  it('lets exactly one of many concurrent writers with the same eTag win', async () => {
    const s = make();
    await s.write({ race: { winner: null } });
    const base = (await s.read(['race']))['race'];
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => s.write({ race: { ...base, winner: i } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect(r.reason).toBeInstanceOf(StateConflictError);
  });
});

describe.each(backends)('optimistic bot state (botbuilder saves with eTag "*"): %s', (_name, make) => {
  it('refuses a save based on stale state, as two instances racing one conversation would', async () => {
    const shared = make();
    const [a, b] = [new OptimisticStorage(shared), new OptimisticStorage(shared)];
    await shared.write({ conv: { turn: 0 } });
    const seenByA = (await a.read(['conv']))['conv'];
    const seenByB = (await b.read(['conv']))['conv'];
    await a.write({ conv: { ...seenByA, turn: 1, eTag: '*' } });
    await expect(b.write({ conv: { ...seenByB, turn: 2, eTag: '*' } })).rejects.toBeInstanceOf(
      StateConflictError,
    );
    expect((await shared.read(['conv']))['conv']).toMatchObject({ turn: 1 });
    const fresh = (await b.read(['conv']))['conv']; // the turn again, on fresh state
    await b.write({ conv: { ...fresh, turn: 2, eTag: '*' } });
    expect((await shared.read(['conv']))['conv']).toMatchObject({ turn: 2 });
  });
});

const limiters = implementations<RateLimiter>(
  () => new MemoryRateLimiter(),
  (r, prefix) => new RedisRateLimiter(r, prefix),
);

describe.each(limiters)('rate limiter contract: %s', (_name, make) => {
  it('counts per key within a minute and starts again in the next', async () => {
    const l = make();
    const t = new Date('2030-01-01T10:00:05Z');
    for (let i = 1; i <= 3; i++) expect((await l.hit('a', t)).count).toBe(i);
    expect((await l.hit('b', t)).count).toBe(1);
    expect((await l.hit('a', new Date('2030-01-01T10:01:00Z'))).count).toBe(1);
  });
});
