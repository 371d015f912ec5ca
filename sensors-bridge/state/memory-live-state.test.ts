import { expect, it } from 'vitest';
import { blankRecord } from '../tracker.ts';
import { liveStateContract } from './live-state.contract.ts';
import { MemoryLiveState } from './memory-live-state.ts';

liveStateContract('MemoryLiveState', async () => {
  const store = new MemoryLiveState();
  return { store, other: store, cleanup: async () => {} };
});

it('MemoryLiveState also decides and stores before updateNow returns', async () => {
  const store = new MemoryLiveState();
  const space = { facilityId: 'f', facilityCode: 'F', spaceId: 's', spaceCode: 'S-1', kind: 'ev' as const };
  const record = blankRecord(space, 'F/S-1', new Date('2030-06-03T08:00:00Z'));
  expect(store.updateNow('f', 's', (current) => ({ next: record, result: current }))).toBeNull();
  expect(store.updateNow('f', 's', (current) => ({ next: null, result: current }))).toBe(record);
  expect(await store.get('f', 's')).toBe(record);
});
