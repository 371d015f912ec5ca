/**
 * Our own format. Topic `parking/<facilityCode>/<spaceCode>/occupancy` with
 * `{ "occupied": true, "ts": "2030-06-03T08:00:00Z", "battery": 87, "rssi": -71 }` (only `occupied`
 * required), and heartbeats on `parking/<facilityCode>/<spaceCode>/heartbeat` with the same fields,
 * all optional. See sensors-bridge/README.md.
 */
import { z } from 'zod';
import { parseIsoTime } from '../iso-time.ts';
import type { SensorReading } from '../types.ts';
import { describeIssues, parseJson, refuse, type ParseResult } from './parse-result.ts';

const optionalFields = {
  ts: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a zone' }).optional(),
  battery: z.number().min(0).max(100).optional(),
  rssi: z.number().min(-200).max(20).optional(),
};

export const occupancyMessageSchema = z.object({ occupied: z.boolean(), ...optionalFields });
export const heartbeatMessageSchema = z.object({ occupied: z.boolean().optional(), ...optionalFields });
export type OccupancyMessage = z.infer<typeof occupancyMessageSchema>;
export type HeartbeatMessage = z.infer<typeof heartbeatMessageSchema>;

/** A code as it may appear in a topic level: no wildcards, not empty, not absurdly long. */
const CODE = /^[^#+/\s]{1,64}$/;

/** The reading a valid message describes (fields it does not have are left out, not undefined). */
function toReading(kind: SensorReading['kind'], m: HeartbeatMessage): SensorReading {
  const reading: { -readonly [K in keyof SensorReading]: SensorReading[K] } = { kind };
  if (m.occupied !== undefined) reading.occupied = m.occupied;
  if (m.ts !== undefined) reading.observedAt = new Date(parseIsoTime(m.ts));
  if (m.battery !== undefined) reading.battery = m.battery;
  if (m.rssi !== undefined) reading.rssi = Math.round(m.rssi);
  return reading;
}

function parseWith(
  kind: 'occupancy' | 'heartbeat',
  schema: typeof occupancyMessageSchema | typeof heartbeatMessageSchema,
) {
  // zod's generated parser for the schema: the runtime one (and its messages) only for bad input.
  const compiled = z.compile(schema);
  return (levels: readonly string[], payload: Buffer): ParseResult => {
    const [facilityCode = '', spaceCode = ''] = levels;
    if (!CODE.test(facilityCode) || !CODE.test(spaceCode))
      return refuse('topic.unknown', 'facility or space code is not usable');
    const json = parseJson(payload);
    if (!json.ok) return refuse('payload.not_json', 'the payload is not JSON');
    const parsed = compiled.safeParse(json.value);
    if (!parsed.success) return refuse('payload.invalid', describeIssues(parsed.error.issues));
    return {
      ok: true,
      address: { format: 'json', facilityCode, spaceCode },
      reading: toReading(kind, parsed.data),
    };
  };
}

/** `parking/<facilityCode>/<spaceCode>/occupancy`; `levels` are the two codes. */
export const parseOccupancyMessage = parseWith('occupancy', occupancyMessageSchema);
/** `parking/<facilityCode>/<spaceCode>/heartbeat`; `levels` are the two codes. */
export const parseHeartbeatMessage = parseWith('heartbeat', heartbeatMessageSchema);
