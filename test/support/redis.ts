import { Redis } from 'ioredis';

/**
 * Redis suites run against a real server when TEST_REDIS_URL is set (CI sets it and starts Redis;
 * an unreachable server then fails those suites, never skips them).
 */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] || undefined;

if (!TEST_REDIS_URL) console.warn('TEST_REDIS_URL is not set: Redis suites are skipped');

/** A connection to the test Redis, with a key prefix unique to this run. */
export function testRedis(): { redis: Redis; prefix: string } {
  if (!TEST_REDIS_URL) throw new Error('TEST_REDIS_URL is not set');
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  return { redis, prefix: `spp-test:${process.pid}:${Math.random().toString(36).slice(2, 8)}:` };
}
