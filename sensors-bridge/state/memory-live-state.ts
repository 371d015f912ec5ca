import type { SpaceRecord } from '../types.ts';
import type { LiveStateStore, UpdateDecision } from './live-state.ts';

/** Where one space's record is kept: the record is replaced in it, so an update is one lookup. */
interface Slot {
  record: SpaceRecord;
}

/**
 * The embedded default: records in a Map. One instance only; lost on exit (the bridge rebuilds it
 * from the database at start).
 */
export class MemoryLiveState implements LiveStateStore {
  private readonly facilities = new Map<string, Map<string, Slot>>();

  async update<T>(
    facilityId: string,
    spaceId: string,
    decide: (current: SpaceRecord | null) => UpdateDecision<T>,
  ): Promise<T> {
    return this.updateNow(facilityId, spaceId, decide);
  }

  updateNow<T>(
    facilityId: string,
    spaceId: string,
    decide: (current: SpaceRecord | null) => UpdateDecision<T>,
  ): T {
    const spaces = this.facilities.get(facilityId);
    const slot = spaces?.get(spaceId);
    const { next, result } = decide(slot ? slot.record : null);
    if (next) {
      if (slot) slot.record = next;
      else if (spaces) spaces.set(spaceId, { record: next });
      else this.facilities.set(facilityId, new Map([[spaceId, { record: next }]]));
    }
    return result;
  }

  async get(facilityId: string, spaceId: string): Promise<SpaceRecord | null> {
    return this.facilities.get(facilityId)?.get(spaceId)?.record ?? null;
  }

  async facility(facilityId: string): Promise<SpaceRecord[]> {
    return Array.from(this.facilities.get(facilityId)?.values() ?? [], (slot) => slot.record);
  }

  async facilityIds(): Promise<string[]> {
    return [...this.facilities.keys()];
  }

  async remove(facilityId: string, spaceId: string): Promise<void> {
    this.facilities.get(facilityId)?.delete(spaceId);
  }
}
