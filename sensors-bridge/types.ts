/** Plain domain data of the sensors bridge: what parsers produce, stores keep and events carry. */
import type { SpaceKind } from '../booking-core/index.ts';

export const OCCUPANCY_STATES = ['free', 'occupied', 'unknown'] as const;
/** What drivers and bookings see for a sensed space; `unknown` is never offered as free. */
export type OccupancyState = (typeof OCCUPANCY_STATES)[number];

export const SENSOR_STATUSES = ['online', 'offline', 'flapping'] as const;
export type SensorStatus = (typeof SENSOR_STATUSES)[number];

export const SENSOR_FORMATS = ['json', 'ttn-bosch'] as const;
/** `json`: our own topic format; `ttn-bosch`: The Things Stack v3 uplinks of a Bosch Parking Lot Sensor. */
export type SensorFormat = (typeof SENSOR_FORMATS)[number];

/** A space as sensors address it. */
export interface SpaceRef {
  readonly facilityId: string;
  readonly facilityCode: string;
  readonly spaceId: string;
  readonly spaceCode: string;
  readonly kind: SpaceKind;
}

/** A device in the registry, bound to one space. */
export interface Sensor {
  readonly id: string;
  readonly deviceId: string;
  readonly format: SensorFormat;
  readonly facilityId: string;
  readonly spaceId: string;
  readonly model: string | null;
  readonly firmwareVersion: string | null;
  readonly lastSeenAt: Date | null;
  readonly createdAt: Date;
}

/** Where a message says it comes from: a space named in the topic (our format), or a device id. */
export type SensorAddress =
  | { readonly format: 'json'; readonly facilityCode: string; readonly spaceCode: string }
  | { readonly format: 'ttn-bosch'; readonly deviceId: string };

/**
 * What a message said, once validated, whatever its wire format.
 *
 *   { kind: 'occupancy', occupied: true, observedAt: new Date('2030-06-03T08:00:00Z'), battery: 87 }
 */
export interface SensorReading {
  /** `heartbeat`: the sensor is alive (it may also restate its occupancy); `startup`: it rebooted */
  readonly kind: 'occupancy' | 'heartbeat' | 'startup';
  /** absent when the message does not say (e.g. a heartbeat without occupancy) */
  readonly occupied?: boolean;
  /** the sensor's (or network server's) time of observation; absent: when we received it */
  readonly observedAt?: Date;
  /** percent, 0–100 */
  readonly battery?: number;
  /** dBm */
  readonly rssi?: number;
  readonly firmwareVersion?: string;
}

/**
 * The live record of one sensed space. JSON-serialisable (times as ISO strings) so that Redis can
 * hold it as it is; records are replaced whole, never mutated.
 */
export interface SpaceRecord {
  readonly facilityId: string;
  readonly spaceId: string;
  readonly spaceCode: string;
  readonly kind: SpaceKind;
  readonly deviceId: string;
  /** the published state: the last stable sensed state, or unknown while the sensor is offline */
  readonly state: OccupancyState;
  /** when `state` took effect (ISO) */
  readonly stateAt: string;
  /** the state in effect before the current burst of changes began: what a flapping sensor keeps */
  readonly stableState: OccupancyState;
  /** the occupancy the sensor last reported; null before its first report */
  readonly sensed: boolean | null;
  /** the time of the last accepted reading (ISO, the sensor's clock); older readings are refused */
  readonly readingAt: string | null;
  /** when we last heard from the sensor (ISO, our clock) */
  readonly lastSeenAt: string | null;
  readonly status: SensorStatus;
  readonly battery: number | null;
  readonly rssi: number | null;
  readonly firmwareVersion: string | null;
  /** our-clock epoch ms of recent changes of `sensed`, for flapping detection */
  readonly flips: readonly number[];
}

/** One row of occupancy history. Times are ISO strings, as events and live records carry them. */
export interface OccupancyChangeRow {
  readonly facilityId: string;
  readonly spaceId: string;
  readonly state: OccupancyState;
  readonly at: string;
  /** the device id, or "health" when the bridge decided (sensor went offline, stopped flapping) */
  readonly source: string;
  readonly receivedAt: string;
}
