/** What the sensors bridge needs from storage; Prisma implementations live in ./storage/. */
import type { OccupancyChangeRow, OccupancyState, Sensor, SensorFormat, SpaceRef } from './types.ts';

export interface SensorInput {
  readonly deviceId: string;
  readonly format: SensorFormat;
  readonly facilityId: string;
  readonly spaceId: string;
  readonly model?: string | null;
}

export type SensorUpsertOutcome =
  | { readonly kind: 'created' | 'updated'; readonly sensor: Sensor; readonly previousSpaceId: string | null }
  /** another device is bound to that space */
  | { readonly kind: 'space_taken'; readonly deviceId: string };

/** When a sensor was last heard from, written in batches. */
export interface SensorSeen {
  readonly deviceId: string;
  readonly lastSeenAt: Date;
  readonly firmwareVersion: string | null;
}

/** The device registry. */
export interface SensorRepository {
  list(): Promise<Sensor[]>;
  get(id: string): Promise<Sensor | null>;
  /** registers a device, or moves it to another space / updates its model */
  upsert(input: SensorInput): Promise<SensorUpsertOutcome>;
  retire(id: string): Promise<Sensor | null>;
  touch(seen: readonly SensorSeen[]): Promise<void>;
}

/** Every space with its facility's code, as sensors address them. */
export interface SpaceDirectoryRepository {
  listSpaces(): Promise<SpaceRef[]>;
}

/** Append-only occupancy history. */
export interface OccupancyHistoryRepository {
  append(rows: readonly OccupancyChangeRow[]): Promise<void>;
  /** the last recorded change of each of these spaces */
  lastChanges(spaceIds: readonly string[]): Promise<Map<string, { state: OccupancyState; at: Date }>>;
}
