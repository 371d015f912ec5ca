import type { Redis } from 'ioredis';
import type { SpaceRecord } from '../types.ts';
import type { LiveStateStore, UpdateDecision } from './live-state.ts';

// Compare-and-set on one hash field: writes only if the field still holds what the caller read.
const CAS_LUA = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[4])
return 1`;

type CasClient = Redis & {
  sppLiveStateCas(
    key: string,
    index: string,
    field: string,
    expected: string,
    next: string,
    facilityId: string,
  ): Promise<number>;
};

/** Thrown when a record kept changing under us (a storm of writers); the reading is not lost silently. */
export class LiveStateContentionError extends Error {
  override readonly name = 'LiveStateContentionError';
  constructor(
    readonly context: { readonly facilityId: string; readonly spaceId: string; readonly attempts: number },
  ) {
    super(`live state of space ${context.spaceId} kept changing during ${context.attempts} attempts`);
  }
}

/**
 * Live state in Redis, shared by every instance: a hash per facility (`<prefix>fac:<facilityId>`,
 * field = space id, value = the record as JSON) and a set of facility ids. Updates are optimistic:
 * read, decide, then write only if nobody wrote in between (a Lua compare-and-set), else retry.
 *
 *   const store = new RedisLiveState(redis, { prefix: 'spp:sensors:' });
 */
export class RedisLiveState implements LiveStateStore {
  private readonly redis: CasClient;
  private readonly prefix: string;
  private readonly maxAttempts: number;

  constructor(redis: Redis, options: { prefix?: string; maxAttempts?: number } = {}) {
    redis.defineCommand('sppLiveStateCas', { numberOfKeys: 2, lua: CAS_LUA });
    this.redis = redis as CasClient;
    this.prefix = options.prefix ?? 'spp:sensors:';
    this.maxAttempts = options.maxAttempts ?? 50;
  }

  private key(facilityId: string) {
    return `${this.prefix}fac:${facilityId}`;
  }

  async update<T>(
    facilityId: string,
    spaceId: string,
    decide: (current: SpaceRecord | null) => UpdateDecision<T>,
  ): Promise<T> {
    const key = this.key(facilityId);
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const raw = (await this.redis.hget(key, spaceId)) ?? '';
      const { next, result } = decide(raw ? (JSON.parse(raw) as SpaceRecord) : null);
      if (!next) return result;
      const written = await this.redis.sppLiveStateCas(
        key,
        `${this.prefix}facilities`,
        spaceId,
        raw,
        JSON.stringify(next),
        facilityId,
      );
      if (written === 1) return result;
    }
    throw new LiveStateContentionError({ facilityId, spaceId, attempts: this.maxAttempts });
  }

  async get(facilityId: string, spaceId: string): Promise<SpaceRecord | null> {
    const raw = await this.redis.hget(this.key(facilityId), spaceId);
    return raw ? (JSON.parse(raw) as SpaceRecord) : null;
  }

  async facility(facilityId: string): Promise<SpaceRecord[]> {
    const all = await this.redis.hgetall(this.key(facilityId));
    return Object.values(all).map((raw) => JSON.parse(raw) as SpaceRecord);
  }

  async facilityIds(): Promise<string[]> {
    return this.redis.smembers(`${this.prefix}facilities`);
  }

  async remove(facilityId: string, spaceId: string): Promise<void> {
    await this.redis.hdel(this.key(facilityId), spaceId);
  }
}
