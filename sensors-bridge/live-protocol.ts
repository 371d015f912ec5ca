/**
 * The live occupancy protocol on the socket.io namespace `/live`, shared by the server and any
 * browser code (import the types only). One zod schema per event.
 *
 *   client → server   facility.watch   { facilityId }  ack → WatchAck (the current picture)
 *   client → server   facility.unwatch { facilityId }  ack → { ok: true }
 *   server → client   occupancy.changed      { facilityId, spaceId, spaceCode, state, at }
 *   server → client   sensor.health_changed  { facilityId, spaceId, spaceCode, deviceId, status, lowBattery, at }
 */
import { z } from 'zod';
import { OCCUPANCY_STATES, SENSOR_STATUSES } from './types.ts';

export const LIVE_NAMESPACE = '/live';
/** how many facilities one connection may watch at once */
export const MAX_WATCHED_FACILITIES = 50;

export const facilityWatchSchema = z.object({ facilityId: z.uuid() }).strict();

export const occupancyChangedWireSchema = z.object({
  facilityId: z.string(),
  spaceId: z.string(),
  spaceCode: z.string(),
  state: z.enum(OCCUPANCY_STATES),
  /** ISO-8601, UTC */
  at: z.string(),
});

export const sensorHealthWireSchema = z.object({
  facilityId: z.string(),
  spaceId: z.string(),
  spaceCode: z.string(),
  deviceId: z.string(),
  status: z.enum(SENSOR_STATUSES),
  lowBattery: z.boolean(),
  at: z.string(),
});

export const watchAckSchema = z.union([
  z.object({
    ok: z.literal(true),
    facilityId: z.string(),
    spaces: z.array(occupancyChangedWireSchema.omit({ facilityId: true })),
  }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);

export type FacilityWatch = z.infer<typeof facilityWatchSchema>;
export type OccupancyChangedWire = z.infer<typeof occupancyChangedWireSchema>;
export type SensorHealthWire = z.infer<typeof sensorHealthWireSchema>;
export type WatchAck = z.infer<typeof watchAckSchema>;

/** Typed socket.io events, for `Namespace<LiveClientToServer, LiveServerToClient>` and the client's `Socket`. */
export interface LiveServerToClient {
  'occupancy.changed': (e: OccupancyChangedWire) => void;
  'sensor.health_changed': (e: SensorHealthWire) => void;
}
export interface LiveClientToServer {
  'facility.watch': (m: FacilityWatch, ack?: (a: WatchAck) => void) => void;
  'facility.unwatch': (m: FacilityWatch, ack?: (a: WatchAck | { ok: true }) => void) => void;
}
