import { liveStateContract } from './live-state.contract.ts';
import { MemoryLiveState } from './memory-live-state.ts';

liveStateContract('MemoryLiveState', async () => {
  const store = new MemoryLiveState();
  return { store, other: store, cleanup: async () => {} };
});
