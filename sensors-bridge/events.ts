import type { SpaceKind } from '../booking-core/index.ts';
import type { OccupancyState, SensorStatus } from './types.ts';

/**
 * A space's published state changed. `previous` is null when the space had no live record (a sensor
 * was just registered for it). Times are ISO strings, so events cross Redis unchanged.
 *
 *   { facilityId, spaceId, spaceCode: 'B1-004', kind: 'ev', state: 'occupied', previous: 'free',
 *     at: '2030-06-03T08:00:00.000Z', source: 'kxc-b1-004' }
 */
export interface OccupancyChanged {
  readonly facilityId: string;
  readonly spaceId: string;
  readonly spaceCode: string;
  readonly kind: SpaceKind;
  readonly state: OccupancyState;
  readonly previous: OccupancyState | null;
  readonly at: string;
  /** the device whose reading caused it, or "health" (went offline, stopped flapping) */
  readonly source: string;
}

/** A sensor went offline, came back, started or stopped flapping, or its battery ran low. */
export interface SensorHealthChanged {
  readonly facilityId: string;
  readonly spaceId: string;
  readonly spaceCode: string;
  readonly deviceId: string;
  readonly status: SensorStatus;
  readonly previous: SensorStatus;
  readonly lowBattery: boolean;
  readonly battery: number | null;
  readonly rssi: number | null;
  readonly lastSeenAt: string | null;
  readonly at: string;
}

/** Events the sensors bridge publishes, named `resource.verb`. */
export interface SensorEvents {
  'occupancy.changed': OccupancyChanged;
  'sensor.health_changed': SensorHealthChanged;
}

export type SensorEventName = keyof SensorEvents;
export const SENSOR_EVENT_NAMES: readonly SensorEventName[] = ['occupancy.changed', 'sensor.health_changed'];
