import type { SpaceKind } from '../booking-core/index.ts';
import type { HealthRules } from './tracker.ts';
import type { OccupancyState, SensorStatus, SpaceRecord, SpaceRef } from './types.ts';

/** Counts for a facility or one kind of space; spaces without a sensor are not sensed. */
export interface OccupancyCounts {
  readonly spaces: number;
  readonly sensed: number;
  readonly free: number;
  readonly occupied: number;
  readonly unknown: number;
}

export interface SpaceOccupancy {
  readonly spaceId: string;
  readonly spaceCode: string;
  readonly kind: SpaceKind;
  readonly state: OccupancyState;
  /** when the state took effect */
  readonly since: string;
  readonly deviceId: string;
  readonly sensor: {
    readonly status: SensorStatus;
    readonly lastSeenAt: string | null;
    readonly battery: number | null;
    readonly rssi: number | null;
    readonly lowBattery: boolean;
  };
}

/** The live picture of a facility: counts overall and per kind, and every sensed space. */
export interface FacilityOccupancy {
  readonly facilityId: string;
  readonly at: string;
  readonly totals: OccupancyCounts;
  readonly byKind: Partial<Record<SpaceKind, OccupancyCounts>>;
  readonly spaces: SpaceOccupancy[];
}

const empty = (): { -readonly [K in keyof OccupancyCounts]: number } => ({
  spaces: 0,
  sensed: 0,
  free: 0,
  occupied: 0,
  unknown: 0,
});

/**
 * Summarises a facility's records against its spaces.
 *
 *   picture(facilityId, spaces, await store.facility(facilityId), now, rules).byKind.ev?.free
 */
export function occupancyPicture(
  facilityId: string,
  spaces: readonly SpaceRef[],
  records: readonly SpaceRecord[],
  at: Date,
  rules: Pick<HealthRules, 'lowBatteryBelow'>,
): FacilityOccupancy {
  const bySpace = new Map(records.map((r) => [r.spaceId, r]));
  const totals = empty();
  const byKind: Partial<Record<SpaceKind, ReturnType<typeof empty>>> = {};
  const sensed: SpaceOccupancy[] = [];
  for (const space of spaces) {
    const counts = (byKind[space.kind] ??= empty());
    totals.spaces += 1;
    counts.spaces += 1;
    const r = bySpace.get(space.spaceId);
    if (!r) continue;
    for (const c of [totals, counts]) {
      c.sensed += 1;
      c[r.state] += 1;
    }
    sensed.push({
      spaceId: r.spaceId,
      spaceCode: r.spaceCode,
      kind: r.kind,
      state: r.state,
      since: r.stateAt,
      deviceId: r.deviceId,
      sensor: {
        status: r.status,
        lastSeenAt: r.lastSeenAt,
        battery: r.battery,
        rssi: r.rssi,
        lowBattery: r.battery !== null && r.battery < rules.lowBatteryBelow,
      },
    });
  }
  sensed.sort((a, b) => a.spaceCode.localeCompare(b.spaceCode, 'en', { numeric: true }));
  return { facilityId, at: at.toISOString(), totals, byKind, spaces: sensed };
}
