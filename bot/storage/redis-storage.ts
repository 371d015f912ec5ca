import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from 'ioredis';
import { StateConflictError } from './state-conflict.ts';

/** Writes an item unless its eTag is stale; returns 0 on conflict. Runs atomically in Redis. */
const WRITE_IF_CURRENT = `
local cur = redis.call('HGET', KEYS[1], 'etag')
if ARGV[1] ~= '' and ARGV[1] ~= '*' and cur and cur ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[4]) end
return 1`;

/**
 * botbuilder `Storage` in Redis with optimistic concurrency: each item carries an eTag, and a
 * write based on an old eTag is refused with `StateConflictError` (as `MemoryBotStorage` refuses it),
 * so two instances handling
 * one conversation can never silently overwrite each other's state.
 *
 *   const storage = new RedisStorage(redis, { ttlSeconds: 7 * 86400 });
 *   const conversationState = new ConversationState(storage);
 */
export class RedisStorage implements Storage {
  private readonly prefix: string;
  private readonly ttlSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: { prefix?: string; ttlSeconds?: number } = {},
  ) {
    this.prefix = options.prefix ?? 'spp:bot:';
    this.ttlSeconds = options.ttlSeconds ?? 0;
    redis.defineCommand('sppWriteIfCurrent', { numberOfKeys: 1, lua: WRITE_IF_CURRENT });
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    if (!keys.length) return items;
    const pipeline = this.redis.pipeline();
    for (const k of keys) pipeline.hmget(this.prefix + k, 'etag', 'data');
    const results = (await pipeline.exec()) ?? [];
    keys.forEach((k, i) => {
      const [error, row] = results[i] ?? [null, null];
      if (error) throw error;
      const [eTag, data] = (row as [string | null, string | null] | null) ?? [null, null];
      if (data) items[k] = { ...(JSON.parse(data) as object), eTag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...data } = (item ?? {}) as { eTag?: string };
      const next = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      const written = await (
        this.redis as Redis & { sppWriteIfCurrent(key: string, ...args: string[]): Promise<number> }
      ).sppWriteIfCurrent(this.prefix + key, eTag ?? '', next, JSON.stringify(data), String(this.ttlSeconds));
      if (written !== 1) throw new StateConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys.map((k) => this.prefix + k));
  }
}
