/**
 * The rules of occupancy and sensor health, as pure functions of (record, input, time). Stores run
 * them inside their atomic update, so every instance applies the same rules to the same state.
 */
import type { OccupancyChanged, SensorHealthChanged } from './events.ts';
import { isEarlier, isoString } from './iso-time.ts';
import type { OccupancyState, SensorReading, SensorStatus, SpaceRecord, SpaceRef } from './types.ts';

export interface HealthRules {
  /** a sensor silent for longer is offline, and its space unknown */
  readonly offlineAfterMs: number;
  /** more changes than this within `flapWindowMs` mark a sensor as flapping */
  readonly flapMaxChanges: number;
  readonly flapWindowMs: number;
  /** a flapping sensor whose reading has not changed for this long is trusted again */
  readonly flapSettleMs: number;
  /** battery percent below which a sensor is reported as low on battery */
  readonly lowBatteryBelow: number;
  /** how far ahead of our clock a sensor's timestamp may be (clocks drift; a far-future one would lock out later readings) */
  readonly maxClockSkewMs: number;
}

export const DEFAULT_RULES: HealthRules = {
  offlineAfterMs: 10 * 60_000,
  flapMaxChanges: 6,
  flapWindowMs: 5 * 60_000,
  flapSettleMs: 5 * 60_000,
  lowBatteryBelow: 20,
  maxClockSkewMs: 5 * 60_000,
};

export type ReadingRejection = 'reading.out_of_order' | 'reading.from_future';

/** What applying a reading or a sweep did; the events are to be published once the record is stored. */
export interface Transition {
  readonly record: SpaceRecord;
  readonly occupancy?: OccupancyChanged;
  readonly health?: SensorHealthChanged;
}

export type ApplyOutcome =
  | ({ readonly kind: 'accepted' } & Transition)
  | { readonly kind: 'rejected'; readonly reason: ReadingRejection; readonly detail: string };

/** A sensor we have not heard from yet: its space is unknown. */
export function blankRecord(space: SpaceRef, deviceId: string, at: Date): SpaceRecord {
  return {
    facilityId: space.facilityId,
    spaceId: space.spaceId,
    spaceCode: space.spaceCode,
    kind: space.kind,
    deviceId,
    state: 'unknown',
    stateAt: at.toISOString(),
    stableState: 'unknown',
    sensed: null,
    readingAt: null,
    lastSeenAt: null,
    status: 'offline',
    battery: null,
    rssi: null,
    firmwareVersion: null,
    flips: [],
  };
}

const stateOf = (occupied: boolean): OccupancyState => (occupied ? 'occupied' : 'free');
const isLow = (r: SpaceRecord, rules: HealthRules) => r.battery !== null && r.battery < rules.lowBatteryBelow;

/**
 * Applies one validated reading received at `receivedAt` (our clock).
 *
 *   const out = applyReading(record, { kind: 'occupancy', occupied: true }, now, DEFAULT_RULES);
 *   if (out.kind === 'accepted' && out.occupancy) publish(out.occupancy);
 */
export function applyReading(
  prev: SpaceRecord,
  reading: SensorReading,
  receivedAt: Date,
  rules: HealthRules,
): ApplyOutcome {
  const now = receivedAt.getTime();
  const observedMs = reading.observedAt ? reading.observedAt.getTime() : now;
  if (observedMs > now + rules.maxClockSkewMs) {
    return {
      kind: 'rejected',
      reason: 'reading.from_future',
      detail: `ts ${isoString(observedMs)} is ahead of our clock`,
    };
  }
  const observedAt = isoString(observedMs);
  if (prev.readingAt !== null && isEarlier(observedAt, prev.readingAt)) {
    return {
      kind: 'rejected',
      reason: 'reading.out_of_order',
      detail: `ts ${observedAt} is older than the last accepted ${prev.readingAt}`,
    };
  }
  const wasOffline = prev.status === 'offline';
  const occupied = reading.occupied;
  const changed = occupied !== undefined && prev.sensed !== null && occupied !== prev.sensed;
  // After a silence the old changes say nothing about flapping now.
  const recent = wasOffline ? NO_FLIPS : flipsWithin(prev.flips, now, rules.flapWindowMs);
  // Only the last few matter (more than flapMaxChanges is flapping): a sensor gone mad at 10 Hz
  // must not grow its record without bound.
  const flips = changed ? withFlip(recent, now, rules.flapMaxChanges + 1) : recent;
  const lastFlip = flips.at(-1);

  let status: SensorStatus = 'online';
  if (
    prev.status === 'flapping' &&
    (changed || (lastFlip !== undefined && now - lastFlip < rules.flapSettleMs))
  )
    status = 'flapping';
  else if (prev.status !== 'flapping' && flips.length > rules.flapMaxChanges) status = 'flapping';

  // A change after a quiet spell ends a stable period: remember what held before it.
  const stableState = changed && recent.length === 0 ? prev.state : prev.stableState;
  let state: OccupancyState = prev.state;
  // Flapping starts: go back to the state before the burst, and keep it while the burst lasts.
  if (status === 'flapping' && prev.status !== 'flapping') state = stableState;
  else if (status !== 'flapping') {
    if (occupied !== undefined) state = stateOf(occupied);
    else if (prev.status === 'flapping' && prev.sensed !== null) state = stateOf(prev.sensed);
    // A heartbeat that does not restate occupancy cannot tell what happened while the sensor was silent.
    else if (wasOffline) state = 'unknown';
  }

  // Every field written out (not `...prev`): the same record, built without copying one first.
  const record: SpaceRecord = {
    facilityId: prev.facilityId,
    spaceId: prev.spaceId,
    spaceCode: prev.spaceCode,
    kind: prev.kind,
    deviceId: prev.deviceId,
    state,
    stateAt: state === prev.state ? prev.stateAt : observedAt,
    stableState,
    sensed: occupied ?? prev.sensed,
    readingAt: observedAt,
    lastSeenAt: isoString(now),
    status,
    battery: reading.battery ?? prev.battery,
    rssi: reading.rssi ?? prev.rssi,
    firmwareVersion: reading.firmwareVersion ?? prev.firmwareVersion,
    flips: status === 'online' && prev.status === 'flapping' ? NO_FLIPS : flips,
  };
  return transition(prev, record, prev.deviceId, receivedAt, rules);
}

const NO_FLIPS: readonly number[] = Object.freeze([]);

/** The last `keep` of `flips` followed by `now`, in one new array. */
function withFlip(flips: readonly number[], now: number, keep: number): number[] {
  const out = flips.slice(Math.max(0, flips.length + 1 - keep));
  out.push(now);
  return out;
}

/** The flips younger than `windowMs`; the same array when all of them are. */
function flipsWithin(flips: readonly number[], now: number, windowMs: number): readonly number[] {
  for (const t of flips) if (!(now - t < windowMs)) return flips.filter((f) => now - f < windowMs);
  return flips;
}

/**
 * Time passing: a silent sensor goes offline (its space unknown); a flapping one that has settled
 * is trusted again. Returns null when nothing changes.
 */
export function sweepRecord(prev: SpaceRecord, now: Date, rules: HealthRules): Transition | null {
  const t = now.getTime();
  const lastSeen = prev.lastSeenAt === null ? null : Date.parse(prev.lastSeenAt);
  if (prev.status !== 'offline' && (lastSeen === null || t - lastSeen > rules.offlineAfterMs)) {
    const record: SpaceRecord = {
      ...prev,
      status: 'offline',
      state: 'unknown',
      stateAt: prev.state === 'unknown' ? prev.stateAt : now.toISOString(),
      flips: [],
    };
    return transition(prev, record, 'health', now, rules);
  }
  const lastFlip = prev.flips.at(-1);
  if (prev.status === 'flapping' && (lastFlip === undefined || t - lastFlip >= rules.flapSettleMs)) {
    const state = prev.sensed === null ? 'unknown' : stateOf(prev.sensed);
    const record: SpaceRecord = {
      ...prev,
      status: 'online',
      state,
      stateAt: state === prev.state ? prev.stateAt : now.toISOString(),
      flips: [],
    };
    return transition(prev, record, 'health', now, rules);
  }
  return null;
}

/**
 * A record rebuilt at start from what the database remembers (the last recorded change and when the
 * sensor was last seen), so a restart without Redis loses nothing that still holds.
 */
export function restoredRecord(
  space: SpaceRef,
  deviceId: string,
  memory: {
    lastChange: { state: OccupancyState; at: Date } | null;
    lastSeenAt: Date | null;
    firmwareVersion: string | null;
  },
  now: Date,
  rules: HealthRules,
): SpaceRecord {
  const blank = { ...blankRecord(space, deviceId, now), firmwareVersion: memory.firmwareVersion };
  const seen = memory.lastSeenAt;
  const last = memory.lastChange;
  if (!seen) return blank;
  const fresh = now.getTime() - seen.getTime() <= rules.offlineAfterMs;
  if (!fresh || !last || last.state === 'unknown') return { ...blank, lastSeenAt: seen.toISOString() };
  return {
    ...blank,
    state: last.state,
    stateAt: last.at.toISOString(),
    stableState: last.state,
    sensed: last.state === 'occupied',
    readingAt: last.at.toISOString(),
    lastSeenAt: seen.toISOString(),
    status: 'online',
  };
}

/** What changed from `prev` to `next`, as an accepted outcome (which is also a Transition). */
function transition(
  prev: SpaceRecord,
  next: SpaceRecord,
  source: string,
  at: Date,
  rules: HealthRules,
): Extract<ApplyOutcome, { kind: 'accepted' }> {
  const out: {
    kind: 'accepted';
    record: SpaceRecord;
    occupancy?: OccupancyChanged;
    health?: SensorHealthChanged;
  } = { kind: 'accepted', record: next };
  if (next.state !== prev.state) {
    out.occupancy = {
      facilityId: next.facilityId,
      spaceId: next.spaceId,
      spaceCode: next.spaceCode,
      kind: next.kind,
      state: next.state,
      previous: prev.state,
      at: next.stateAt,
      source,
    };
  }
  const lowBattery = isLow(next, rules);
  if (next.status !== prev.status || lowBattery !== isLow(prev, rules)) {
    out.health = {
      facilityId: next.facilityId,
      spaceId: next.spaceId,
      spaceCode: next.spaceCode,
      deviceId: next.deviceId,
      status: next.status,
      previous: prev.status,
      lowBattery,
      battery: next.battery,
      rssi: next.rssi,
      lastSeenAt: next.lastSeenAt,
      at: isoString(at.getTime()),
    };
  }
  return out;
}
