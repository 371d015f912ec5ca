import type { FacilityRepository, FacilitySnapshot } from './ports.ts';
import type { SpaceKind } from './types.ts';

/** A snapshot with its space counts per kind, as the hold path uses it. */
export interface CachedSnapshot extends FacilitySnapshot {
  /** comparable spaces: of `kind`, or all of them for null */
  comparableSpaces(kind: SpaceKind | null): number;
}

/**
 * Facilities and their spaces' kinds, kept between holds so a hold needs no lookups of its own.
 * Nothing here has to be invalidated by hand: the hold statement checks the snapshot's version and
 * space count and inserts nothing when they are out of date, and the caller then `refresh`es.
 *
 *   const snap = snapshots.cached(facilityId) ?? (await snapshots.refresh(facilityId)); // null: no such facility
 */
export class FacilitySnapshots {
  private readonly cache = new Map<string, CachedSnapshot>();

  constructor(
    private readonly facilities: Pick<FacilityRepository, 'snapshot'>,
    private readonly capacity = 1000,
  ) {}

  /** The snapshot held from an earlier load, if any. */
  cached(facilityId: string): CachedSnapshot | undefined {
    return this.cache.get(facilityId);
  }

  /** Loads the facility (first use, it changed, or a refusal is to be checked against current data). */
  async refresh(facilityId: string): Promise<CachedSnapshot | null> {
    const loaded = await this.facilities.snapshot(facilityId);
    this.cache.delete(facilityId);
    if (!loaded) return null;
    const counts = new Map<SpaceKind, number>();
    for (const kind of loaded.spaceKinds.values()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const snapshot: CachedSnapshot = {
      ...loaded,
      comparableSpaces: (kind) => (kind ? (counts.get(kind) ?? 0) : loaded.spaceKinds.size),
    };
    // Oldest first out: a Map iterates in insertion order.
    if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(facilityId, snapshot);
    return snapshot;
  }
}
