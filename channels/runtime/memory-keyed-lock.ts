import { KeyedQueue, sleep } from './keyed-queue.ts';
import { LockTimeoutError, type KeyedLock, type Lease } from './types.ts';

/**
 * Keyed locks inside one process (the default without REDIS_URL). `withLock` callers of one key
 * run in arrival order; a lease that is neither renewed nor released expires after its ttl.
 *
 *   const lock = new MemoryKeyedLock();
 *   await lock.withLock('turn:web:abc', 30_000, () => runTurn());
 */
export class MemoryKeyedLock implements KeyedLock {
  private queue = new KeyedQueue();
  private held = new Map<string, { token: object; expiresAt: number }>();
  private readonly waitMs: number;

  constructor(options: { waitMs?: number } = {}) {
    this.waitMs = options.waitMs ?? 60_000;
  }

  /** The same locks with another wait limit for `withLock` (as another caller would see them). */
  withWaitLimit(waitMs: number): MemoryKeyedLock {
    const view = new MemoryKeyedLock({ waitMs });
    view.queue = this.queue;
    view.held = this.held;
    return view;
  }

  withLock<T>(key: string, _ttlMs: number, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(key, async () => {
      // Held by this process while fn runs: it cannot outlive the process, so it needs no expiry.
      const token = await this.waitFor(key);
      try {
        return await fn();
      } finally {
        this.free(key, token);
      }
    });
  }

  async tryLease(key: string, ttlMs: number): Promise<Lease | null> {
    const token = this.take(key, Date.now() + ttlMs);
    if (!token) return null;
    return {
      renew: async () => {
        const h = this.held.get(key);
        if (h?.token !== token || h.expiresAt <= Date.now()) return false;
        h.expiresAt = Date.now() + ttlMs;
        return true;
      },
      release: async () => this.free(key, token),
    };
  }

  private takes = 0;

  private take(key: string, expiresAt: number): object | null {
    // Lapsed leases (e.g. message ids remembered once) are dropped now and then, not kept forever.
    if (++this.takes % 1024 === 0) {
      const now = Date.now();
      for (const [k, h] of this.held) if (h.expiresAt <= now) this.held.delete(k);
    }
    const h = this.held.get(key);
    if (h && h.expiresAt > Date.now()) return null;
    const token = {};
    this.held.set(key, { token, expiresAt });
    return token;
  }

  /** waits while a lease holds the key (until it is released or expires) */
  private async waitFor(key: string): Promise<object> {
    const started = Date.now();
    for (;;) {
      const token = this.take(key, Infinity);
      if (token) return token;
      if (Date.now() - started > this.waitMs) throw new LockTimeoutError(key, Date.now() - started);
      await sleep(Math.max(1, Math.min(20, (this.held.get(key)?.expiresAt ?? 0) - Date.now())));
    }
  }

  private free(key: string, token: object): void {
    if (this.held.get(key)?.token === token) this.held.delete(key);
  }
}
