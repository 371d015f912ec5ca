// Contract tests every LiveStateStore passes (docs/conventions.md §5): imported by each store's test file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blankRecord } from '../tracker.ts';
import type { SpaceRecord, SpaceRef } from '../types.ts';
import type { LiveStateStore } from './live-state.ts';

export interface StoreUnderTest {
  readonly store: LiveStateStore;
  /** the same state through another connection (another instance) */
  readonly other: LiveStateStore;
  cleanup(): Promise<void>;
}

let n = 0;
const space = (facilityId: string): SpaceRef => {
  n += 1;
  return {
    facilityId,
    facilityCode: 'F',
    spaceId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    spaceCode: `S-${n}`,
    kind: 'ev',
  };
};
const record = (s: SpaceRef, battery: number | null = null): SpaceRecord => ({
  ...blankRecord(s, `dev-${s.spaceCode}`, new Date('2030-06-03T08:00:00Z')),
  battery,
  flips: [1, 2, 3],
});

export function liveStateContract(name: string, make: () => Promise<StoreUnderTest>) {
  describe(`${name} (live state contract)`, () => {
    let t: StoreUnderTest;
    const facilityId = () => `fac-${Math.random().toString(36).slice(2)}`;
    beforeEach(async () => {
      t = await make();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('stores what decide returns, hands back its result, and reads it back unchanged', async () => {
      const f = facilityId();
      const s = space(f);
      expect(await t.store.get(f, s.spaceId)).toBeNull();
      const seen: Array<SpaceRecord | null> = [];
      const result = await t.store.update(f, s.spaceId, (current) => {
        seen.push(current);
        return { next: record(s, 50), result: 'stored' };
      });
      expect(result).toBe('stored');
      expect(seen.at(-1)).toBeNull();
      expect(await t.other.get(f, s.spaceId)).toEqual(record(s, 50));
      expect(await t.other.facility(f)).toEqual([record(s, 50)]);
      expect(await t.other.facilityIds()).toContain(f);
    });

    it('writes nothing when decide returns no record', async () => {
      const f = facilityId();
      const s = space(f);
      expect(await t.store.update(f, s.spaceId, () => ({ next: null, result: 7 }))).toBe(7);
      expect(await t.store.get(f, s.spaceId)).toBeNull();
      expect(await t.store.facility(f)).toEqual([]);
    });

    it('keeps facilities apart and removes a space', async () => {
      const [f1, f2] = [facilityId(), facilityId()];
      const [a, b, c] = [space(f1), space(f1), space(f2)];
      for (const s of [a, b, c])
        await t.store.update(s.facilityId, s.spaceId, () => ({ next: record(s), result: null }));
      expect((await t.store.facility(f1)).map((r) => r.spaceId).sort()).toEqual(
        [a.spaceId, b.spaceId].sort(),
      );
      await t.other.remove(f1, a.spaceId);
      expect((await t.store.facility(f1)).map((r) => r.spaceId)).toEqual([b.spaceId]);
      expect((await t.store.facility(f2)).map((r) => r.spaceId)).toEqual([c.spaceId]);
    });

    it('loses no update when two instances update one space at once', async () => {
      const f = facilityId();
      const s = space(f);
      await t.store.update(f, s.spaceId, () => ({ next: record(s, 0), result: null }));
      const increment = (store: LiveStateStore) =>
        store.update(f, s.spaceId, (current) => ({
          next: { ...(current ?? record(s, 0)), battery: (current?.battery ?? 0) + 1 },
          result: null,
        }));
      await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i % 2 ? t.store : t.other)));
      expect((await t.store.get(f, s.spaceId))?.battery).toBe(40);
    });
  });
}
