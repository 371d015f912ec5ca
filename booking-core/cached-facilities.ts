import type { FacilityRepository } from './ports.ts';
import type { Facility, Space } from './types.ts';

interface Entry<T> {
  readonly at: number;
  readonly value: Promise<T>;
}

/**
 * Facilities and their spaces kept for `ttlMs` (default 10 s), so that a chat turn or a payment
 * that needs a car park's name, zone, hours or rates reads it from memory. Operators change
 * facilities rarely, and never through a chat: a change shows within the TTL on every instance.
 * Everything that decides a booking reads live data instead — free spaces and counts pass
 * straight through, and a hold checks its own versioned snapshot in the same statement that
 * inserts it. Unknown ids and failures are not kept.
 *
 *   const facilities = new CachedFacilityRepository(new PrismaFacilityRepository(prisma, sql));
 */
export class CachedFacilityRepository implements FacilityRepository {
  private listed: Entry<Facility[]> | null = null;
  private readonly byId = new Map<string, Entry<Facility | null>>();
  private readonly spacesOf = new Map<string, Entry<Space[]>>();

  constructor(
    private readonly inner: FacilityRepository,
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 1000,
  ) {}

  list(): Promise<Facility[]> {
    if (!this.fresh(this.listed)) {
      const value = this.inner.list();
      const entry = { at: this.now(), value };
      this.listed = entry;
      void value.catch(() => this.listed === entry && (this.listed = null));
    }
    return this.listed.value;
  }

  get(id: string): Promise<Facility | null> {
    return this.remember(this.byId, id, () => this.inner.get(id));
  }

  spaces(facilityId: string): Promise<Space[]> {
    return this.remember(this.spacesOf, facilityId, () => this.inner.spaces(facilityId));
  }

  getSpace(spaceId: string): Promise<Space | null> {
    return this.inner.getSpace(spaceId);
  }

  freeSpaces(...args: Parameters<FacilityRepository['freeSpaces']>): Promise<Space[]> {
    return this.inner.freeSpaces(...args);
  }

  countsByKind(...args: Parameters<FacilityRepository['countsByKind']>) {
    return this.inner.countsByKind(...args);
  }

  snapshot(facilityId: string) {
    return this.inner.snapshot(facilityId);
  }

  private fresh<T>(e: Entry<T> | null | undefined): e is Entry<T> {
    return !!e && this.now() - e.at < this.ttlMs;
  }

  private remember<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const kept = map.get(key);
    if (this.fresh(kept)) return kept.value;
    const entry = { at: this.now(), value: load() };
    map.delete(key);
    if (map.size >= this.maxEntries) map.delete(map.keys().next().value!); // oldest first out
    map.set(key, entry);
    const forget = () => map.get(key) === entry && map.delete(key);
    void entry.value.then((v) => v ?? forget(), forget);
    return entry.value;
  }
}
