// Contract tests every KeyedLock passes (docs/conventions.md §5): imported by keyed-lock.int.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sleep } from './keyed-queue.ts';
import { LockTimeoutError, type KeyedLock } from './types.ts';

export interface LockUnderTest {
  readonly lock: KeyedLock;
  /** the same locks as another instance sees them (for the memory lock: the same object) */
  readonly other: KeyedLock;
  /** a lock whose `withLock` gives up waiting after 100 ms */
  readonly impatient: KeyedLock;
  cleanup(): Promise<void>;
}

export function keyedLockContract(name: string, make: () => Promise<LockUnderTest>) {
  describe(`${name} (keyed lock contract)`, () => {
    let t: LockUnderTest;
    const key = () => `k-${Math.random().toString(36).slice(2)}`;
    beforeEach(async () => {
      t = await make();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('runs holders of one key one at a time, in arrival order on an instance, on every instance', async () => {
      const k = key();
      const log: string[] = [];
      const work = (who: string) => async () => {
        log.push(`${who}+`);
        await sleep(15);
        log.push(`${who}-`);
        return who;
      };
      const results = await Promise.all([
        t.lock.withLock(k, 5_000, work('a')),
        t.lock.withLock(k, 5_000, work('b')),
        t.other.withLock(k, 5_000, work('x')),
        t.lock.withLock(k, 5_000, work('c')),
      ]);
      expect(results).toEqual(['a', 'b', 'x', 'c']);
      for (let i = 0; i < log.length; i += 2) expect(log[i]?.[0]).toBe(log[i + 1]?.[0]); // never interleaved
      const mine = log.filter((e) => e.endsWith('+') && e[0] !== 'x').map((e) => e[0]);
      expect(mine).toEqual(['a', 'b', 'c']);
    });

    it('runs holders of different keys side by side', async () => {
      let started!: () => void;
      const aStarted = new Promise<void>((r) => (started = r));
      await Promise.all([
        t.lock.withLock(key(), 5_000, async () => started()),
        t.other.withLock(key(), 5_000, () => aStarted), // would wait forever if keys shared one lock
      ]);
    });

    it('frees the key when the function throws, and passes the error on', async () => {
      const k = key();
      await expect(
        t.lock.withLock(k, 5_000, async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const lease = await t.other.tryLease(k, 5_000);
      expect(lease).not.toBeNull();
      await lease?.release();
    });

    it('keeps the lock while a holder outlives the ttl (it renews)', async () => {
      const k = key();
      let during: unknown = 'unset';
      await t.lock.withLock(k, 250, async () => {
        await sleep(700);
        during = await t.other.tryLease(k, 1_000);
      });
      expect(during).toBeNull();
    });

    it('gives a lease to one taker at a time, until it is released', async () => {
      const k = key();
      const first = await t.lock.tryLease(k, 5_000);
      expect(first).not.toBeNull();
      expect(await t.other.tryLease(k, 5_000)).toBeNull();
      expect(await t.lock.tryLease(k, 5_000)).toBeNull();
      expect(await first?.renew()).toBe(true);
      await first?.release();
      const second = await t.other.tryLease(k, 5_000);
      expect(second).not.toBeNull();
      await first?.release(); // the old holder cannot free someone else's lease
      expect(await t.lock.tryLease(k, 5_000)).toBeNull();
      await second?.release();
    });

    it("lets a lease lapse when its holder stops renewing (a crashed instance can't wedge a key)", async () => {
      const k = key();
      const crashed = await t.lock.tryLease(k, 150);
      expect(crashed).not.toBeNull();
      let next = await t.other.tryLease(k, 5_000);
      while (!next) {
        await sleep(25);
        next = await t.other.tryLease(k, 5_000);
      }
      expect(await crashed?.renew()).toBe(false); // lost: someone else has it now
      await next.release();
    });

    it('makes withLock wait for a lapsed holder, then run', async () => {
      const k = key();
      const crashed = await t.other.tryLease(k, 200);
      const ran = await t.lock.withLock(k, 5_000, async () => crashed?.renew());
      expect(ran).toBe(false); // by the time it ran, the crashed holder had lost the key
    });

    it('keeps a renewed lease past its ttl', async () => {
      const k = key();
      const lease = await t.lock.tryLease(k, 400);
      for (let i = 0; i < 5; i++) {
        await sleep(100);
        expect(await lease?.renew()).toBe(true);
      }
      expect(await t.other.tryLease(k, 5_000)).toBeNull();
      await lease?.release();
    });

    it('stops waiting after its limit with LockTimeoutError', async () => {
      const k = key();
      const held = await t.other.tryLease(k, 10_000);
      await expect(t.impatient.withLock(k, 5_000, async () => 'ran')).rejects.toBeInstanceOf(
        LockTimeoutError,
      );
      await held?.release();
    });
  });
}
