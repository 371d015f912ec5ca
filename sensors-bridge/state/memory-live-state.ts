import type { SpaceRecord } from '../types.ts';
import type { LiveStateStore, UpdateDecision } from './live-state.ts';

/**
 * The embedded default: records in a Map. One instance only; lost on exit (the bridge rebuilds it
 * from the database at start).
 */
export class MemoryLiveState implements LiveStateStore {
  private readonly facilities = new Map<string, Map<string, SpaceRecord>>();

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
    const { next, result } = decide(spaces?.get(spaceId) ?? null);
    if (next) {
      if (spaces) spaces.set(spaceId, next);
      else this.facilities.set(facilityId, new Map([[spaceId, next]]));
    }
    return result;
  }

  async get(facilityId: string, spaceId: string): Promise<SpaceRecord | null> {
    return this.facilities.get(facilityId)?.get(spaceId) ?? null;
  }

  async facility(facilityId: string): Promise<SpaceRecord[]> {
    return [...(this.facilities.get(facilityId)?.values() ?? [])];
  }

  async facilityIds(): Promise<string[]> {
    return [...this.facilities.keys()];
  }

  async remove(facilityId: string, spaceId: string): Promise<void> {
    this.facilities.get(facilityId)?.delete(spaceId);
  }
}
