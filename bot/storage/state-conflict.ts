import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';

/**
 * A bot state write based on a stale eTag: someone else saved this conversation's (or user's)
 * state since it was read. The turn's changes were not saved; running the turn again is safe.
 * Thrown by every bot state `Storage` of ours, so callers never match error texts.
 */
export class StateConflictError extends Error {
  override readonly name = 'StateConflictError';
  constructor(
    /** the storage key that was written concurrently */
    readonly key: string,
  ) {
    super(`bot state "${key}" was changed by someone else (eTag conflict)`);
  }
}

/**
 * botbuilder's `MemoryStorage`, refusing a stale write with {@link StateConflictError} (the base
 * class rejects with a plain `Error`). The check and the write happen in one synchronous step, so
 * no other write can slip between them.
 */
export class MemoryBotStorage extends MemoryStorage {
  override write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes ?? {})) {
      const eTag = (item as { eTag?: string } | undefined)?.eTag;
      const stored = this.memory[key];
      if (!stored || !eTag || eTag === '*') continue;
      if ((JSON.parse(stored) as { eTag?: string }).eTag !== eTag)
        return Promise.reject(new StateConflictError(key));
    }
    return super.write(changes);
  }
}

/**
 * botbuilder's `BotState.saveChanges` writes with eTag '*' (last writer wins), so two instances
 * racing one conversation would overwrite each other's state silently. Put in front of the real
 * storage, this writes each key with the eTag it was read with, so a save based on stale state is
 * refused with {@link StateConflictError} (and the runtime runs the turn again).
 *
 *   const storage = new OptimisticStorage(new RedisStorage(redis));
 *   const conversationState = new ConversationState(storage);
 */
export class OptimisticStorage implements Storage {
  private readonly readETags = new Map<string, string>();

  constructor(
    private readonly inner: Storage,
    /** keys whose read eTag is remembered at most (the oldest are forgotten: they write with '*') */
    private readonly maxKeys = 10_000,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    for (const key of keys) {
      const eTag = (items[key] as { eTag?: unknown } | undefined)?.eTag;
      this.readETags.delete(key);
      if (typeof eTag === 'string' && eTag !== '*') this.readETags.set(key, eTag);
    }
    while (this.readETags.size > this.maxKeys) {
      const oldest = this.readETags.keys().next().value;
      if (oldest === undefined) break;
      this.readETags.delete(oldest);
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const checked: StoreItems = {};
    for (const [key, item] of Object.entries(changes)) {
      const read = this.readETags.get(key);
      const eTag = (item as { eTag?: string } | undefined)?.eTag;
      checked[key] =
        read && (eTag === '*' || eTag === undefined) ? { ...(item as object), eTag: read } : item;
    }
    try {
      await this.inner.write(checked);
    } finally {
      for (const key of Object.keys(changes)) this.readETags.delete(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.readETags.delete(key);
    await this.inner.delete(keys);
  }
}
