import type { SpaceRecord } from '../types.ts';

/** What an update function decides: the record to store (null: leave it as it is) and a result to hand back. */
export interface UpdateDecision<T> {
  readonly next: SpaceRecord | null;
  readonly result: T;
}

/**
 * Live occupancy and sensor health, one record per sensed space, grouped by facility. The memory
 * store serves one instance; the Redis store lets every instance see and update the same state.
 *
 *   const changed = await store.update(facilityId, spaceId, (current) => ({ next, result: true }));
 */
export interface LiveStateStore {
  /**
   * Replaces a space's record atomically with what `decide(current)` returns. `decide` must be
   * pure: under contention (another instance wrote first) it is called again with the newer record.
   */
  update<T>(
    facilityId: string,
    spaceId: string,
    decide: (current: SpaceRecord | null) => UpdateDecision<T>,
  ): Promise<T>;
  /**
   * The same as `update`, decided and stored before it returns: offered only by stores whose state
   * lives in this process. The bridge then applies most messages without a promise in between.
   */
  updateNow?<T>(
    facilityId: string,
    spaceId: string,
    decide: (current: SpaceRecord | null) => UpdateDecision<T>,
  ): T;
  get(facilityId: string, spaceId: string): Promise<SpaceRecord | null>;
  /** every record of a facility, in no particular order */
  facility(facilityId: string): Promise<SpaceRecord[]>;
  /** facilities that have at least one record (for sweeps) */
  facilityIds(): Promise<string[]>;
  remove(facilityId: string, spaceId: string): Promise<void>;
}
