import { describe, expect, it } from 'vitest';
import { CachedFacilityRepository } from './cached-facilities.ts';
import type { FacilityRepository } from './ports.ts';
import type { Facility } from './types.ts';

const facility = (id: string, name: string) => ({ id, name }) as Facility;

/** A repository whose reads are counted, over a table the test can change. */
function stored() {
  const table = new Map([['f1', facility('f1', 'Southbank')]]);
  const reads = { get: 0, list: 0, spaces: 0, counts: 0 };
  let failNext = false;
  const repo = {
    get: async (id: string) => {
      reads.get++;
      if (failNext) {
        failNext = false;
        throw new Error('connection reset');
      }
      return table.get(id) ?? null;
    },
    list: async () => (reads.list++, [...table.values()]),
    spaces: async () => (reads.spaces++, []),
    countsByKind: async () => (reads.counts++, new Map()),
  } as unknown as FacilityRepository;
  return { repo, table, reads, failOnce: () => (failNext = true) };
}

describe('CachedFacilityRepository', () => {
  it('answers from memory within the TTL, and reads the change after it', async () => {
    const s = stored();
    let now = 0;
    const cached = new CachedFacilityRepository(s.repo, 10_000, () => now);
    expect((await cached.get('f1'))?.name).toBe('Southbank');
    s.table.set('f1', facility('f1', 'Southbank Centre'));
    now = 9_999;
    expect((await cached.get('f1'))?.name).toBe('Southbank');
    await cached.list();
    await cached.list();
    await cached.spaces('f1');
    await cached.spaces('f1');
    expect(s.reads).toMatchObject({ get: 1, list: 1, spaces: 1 });
    now = 10_000;
    expect((await cached.get('f1'))?.name).toBe('Southbank Centre');
    expect(s.reads.get).toBe(2);
  });

  it('keeps neither an unknown id nor a failed read', async () => {
    const s = stored();
    const cached = new CachedFacilityRepository(s.repo, 10_000, () => 0);
    expect(await cached.get('f2')).toBeNull();
    s.table.set('f2', facility('f2', 'Paddington'));
    expect((await cached.get('f2'))?.name).toBe('Paddington');
    s.failOnce();
    cached.get('f3').catch(() => undefined);
    await expect(cached.get('f3')).rejects.toThrow('connection reset');
    expect(await cached.get('f3')).toBeNull();
  });

  it('never keeps what decides a booking: free counts are read every time', async () => {
    const s = stored();
    const cached = new CachedFacilityRepository(s.repo, 10_000, () => 0);
    const w = { from: new Date(0), to: new Date(3_600_000) };
    await cached.countsByKind(['f1'], w, new Date(0));
    await cached.countsByKind(['f1'], w, new Date(0));
    expect(s.reads.counts).toBe(2);
  });
});
