import { MemoryStorage, type StoreItems } from 'botbuilder';

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
