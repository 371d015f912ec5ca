/**
 * The Things Stack v3 uplinks, topic `v3/<app>@<tenant>/devices/<deviceId>/up`. The application's
 * payload formatter may already have decoded the payload (`uplink_message.decoded_payload`); if it
 * has not, `frm_payload` is decoded as a Bosch Parking Lot Sensor uplink.
 */
import { z } from 'zod';
import type { SensorReading } from '../types.ts';
import { decodeBoschParking, type BoschMessage } from './bosch-parking.ts';
import { describeIssues, parseJson, refuse, type ParseResult } from './parse-result.ts';

const instant = z.iso.datetime({ offset: true });

/** The fields of an uplink message we use; others (settings, correlation ids, …) pass unchecked. */
export const ttnUplinkSchema = z.object({
  end_device_ids: z.object({
    device_id: z.string().min(1).max(64),
    application_ids: z.object({ application_id: z.string() }).optional(),
  }),
  received_at: instant.optional(),
  uplink_message: z.object({
    f_port: z.number().int().min(0).max(255).optional(),
    f_cnt: z.number().int().min(0).optional(),
    frm_payload: z.base64().max(1024).optional(),
    decoded_payload: z
      .object({
        occupied: z.boolean().optional(),
        type: z.string().optional(),
        battery: z.number().min(0).max(100).optional(),
        firmwareVersion: z.string().max(32).optional(),
      })
      .optional(),
    rx_metadata: z
      .array(z.object({ rssi: z.number().optional(), channel_rssi: z.number().optional() }))
      .max(64)
      .optional(),
    received_at: instant.optional(),
  }),
});
export type TtnUplink = z.infer<typeof ttnUplinkSchema>;

const KIND_BY_TYPE: Readonly<Record<string, SensorReading['kind']>> = {
  'parking status': 'occupancy',
  heartbeat: 'heartbeat',
  startup: 'startup',
};

function fromBosch(m: BoschMessage): Omit<SensorReading, 'observedAt' | 'rssi'> {
  if (!('occupied' in m)) return { kind: 'heartbeat' };
  return {
    kind: KIND_BY_TYPE[m.type] ?? 'occupancy',
    occupied: m.occupied,
    ...(m.type === 'startup' ? { firmwareVersion: m.firmwareVersion } : {}),
  };
}

/** The strongest signal any gateway heard. */
function bestRssi(meta: TtnUplink['uplink_message']['rx_metadata']): number | undefined {
  const values = (meta ?? [])
    .map((g) => g.rssi ?? g.channel_rssi)
    .filter((v): v is number => v !== undefined);
  return values.length ? Math.round(Math.max(...values)) : undefined;
}

function decode(up: TtnUplink['uplink_message']): Omit<SensorReading, 'observedAt' | 'rssi'> | string {
  const decoded = up.decoded_payload;
  if (decoded?.occupied !== undefined) {
    return {
      kind: KIND_BY_TYPE[decoded.type ?? ''] ?? 'occupancy',
      occupied: decoded.occupied,
      ...(decoded.battery !== undefined ? { battery: decoded.battery } : {}),
      ...(decoded.firmwareVersion !== undefined ? { firmwareVersion: decoded.firmwareVersion } : {}),
    };
  }
  if (up.frm_payload === undefined || up.f_port === undefined)
    return 'no decoded occupancy and no frm_payload';
  const bosch = decodeBoschParking(up.f_port, Buffer.from(up.frm_payload, 'base64'));
  return bosch.ok ? fromBosch(bosch.message) : bosch.detail;
}

/**
 * `levels` are the application (`app@tenant`) and device id from the topic.
 *
 *   parseTtnUplink(['parking-app@ttn', 'kxc-b1-004'], Buffer.from(JSON.stringify(uplink)))
 */
export function parseTtnUplink(levels: readonly string[], payload: Buffer): ParseResult {
  const deviceId = levels[1] ?? '';
  const json = parseJson(payload);
  if (!json.ok) return refuse('payload.not_json', 'the payload is not JSON');
  const parsed = ttnUplinkSchema.safeParse(json.value);
  if (!parsed.success) return refuse('payload.invalid', describeIssues(parsed.error.issues));
  const msg = parsed.data;
  if (msg.end_device_ids.device_id !== deviceId)
    return refuse('payload.invalid', 'end_device_ids.device_id does not match the topic');
  const reading = decode(msg.uplink_message);
  if (typeof reading === 'string') return refuse('payload.undecodable', reading);
  const at = msg.uplink_message.received_at ?? msg.received_at;
  const rssi = bestRssi(msg.uplink_message.rx_metadata);
  return {
    ok: true,
    address: { format: 'ttn-bosch', deviceId },
    reading: {
      ...reading,
      ...(at ? { observedAt: new Date(at) } : {}),
      ...(rssi !== undefined ? { rssi } : {}),
    },
  };
}
