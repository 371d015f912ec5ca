import { z } from 'zod';
import {
  OCCUPANCY_STATES,
  REJECTION_REASONS,
  SENSOR_FORMATS,
  SENSOR_STATUSES,
  SensorErrorCode,
  type SensorError,
  type SensorsBridge,
  type SensorView,
} from '../../sensors-bridge/index.ts';
import { defineRoute, errorBody, type RouteReply } from './route.ts';
import { idParams, spaceKind, uuid } from './schemas.ts';

const invalid = { description: 'Invalid request (field-level errors)', schema: errorBody };
const noSensor = { description: 'No such sensor', schema: errorBody };

// The Things Stack's rule for device ids; ours (JSON format) are "<facilityCode>/<spaceCode>".
const TTN_DEVICE_ID = /^[a-z0-9](?:-?[a-z0-9]){2,35}$/;

const registerBody = z
  .object({
    deviceId: z.string().trim().min(3).max(130),
    format: z.enum(SENSOR_FORMATS).default('ttn-bosch'),
    facilityId: uuid,
    spaceId: uuid,
    model: z.string().trim().min(1).max(80).nullable().optional(),
  })
  .strict()
  .refine((b) => b.format !== 'ttn-bosch' || TTN_DEVICE_ID.test(b.deviceId), {
    path: ['deviceId'],
    message: 'must be a The Things Stack device id: 3–36 lowercase letters, digits and single hyphens',
  });

const sensorsQuery = z.object({ facilityId: uuid.optional(), status: z.enum(SENSOR_STATUSES).optional() });

const counts = z.object({
  spaces: z.int(),
  sensed: z.int(),
  free: z.int(),
  occupied: z.int(),
  unknown: z.int(),
});
const health = z.object({
  status: z.enum(SENSOR_STATUSES),
  lastSeenAt: z.string().nullable(),
  battery: z.number().nullable(),
  rssi: z.number().nullable(),
  lowBattery: z.boolean(),
});

const occupancyOut = z.object({
  facilityId: z.string(),
  at: z.string(),
  totals: counts,
  byKind: z.record(z.string(), counts),
  spaces: z.array(
    z.object({
      spaceId: z.string(),
      spaceCode: z.string(),
      kind: spaceKind,
      state: z.enum(OCCUPANCY_STATES),
      since: z.string(),
      deviceId: z.string(),
      sensor: health,
    }),
  ),
});

const sensorOut = z.object({
  id: z.string(),
  deviceId: z.string(),
  format: z.enum(SENSOR_FORMATS),
  facilityId: z.string(),
  spaceId: z.string(),
  spaceCode: z.string().nullable(),
  model: z.string().nullable(),
  firmwareVersion: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  createdAt: z.string(),
  /** live health and state; null until the bridge has heard of the device */
  live: health.extend({ state: z.enum(OCCUPANCY_STATES) }).nullable(),
});

const statsOut = z.object({
  received: z.int(),
  handled: z.int(),
  accepted: z.int(),
  rejected: z.record(z.enum(REJECTION_REASONS), z.int()),
  history: z.object({ written: z.int(), pending: z.int(), dropped: z.int() }),
});

const toSensorOut = (s: SensorView): z.infer<typeof sensorOut> => ({
  id: s.id,
  deviceId: s.deviceId,
  format: s.format,
  facilityId: s.facilityId,
  spaceId: s.spaceId,
  spaceCode: s.spaceCode,
  model: s.model,
  firmwareVersion: s.firmwareVersion,
  // The database gets it in batches; the live record is fresher.
  lastSeenAt: s.live?.lastSeenAt ?? s.lastSeenAt?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
  live: s.live,
});

const STATUS: Record<SensorError['code'], number> = {
  [SensorErrorCode.NotFound]: 404,
  [SensorErrorCode.SpaceNotFound]: 404,
  [SensorErrorCode.SpaceTaken]: 409,
  [SensorErrorCode.DeviceIdMismatch]: 422,
};
const sensorRefusal = (e: SensorError): RouteReply => ({ status: STATUS[e.code], body: e });

/** Live occupancy, and the device registry (`/sensors`). */
export const sensorRoutes = (bridge: SensorsBridge) => [
  defineRoute({
    method: 'get',
    path: '/facilities/:id/occupancy',
    summary: 'Live occupancy from sensors: free / occupied / unknown per kind, and each sensed space',
    params: idParams,
    responses: {
      200: { description: 'The live picture', schema: occupancyOut },
      404: { description: 'No such facility', schema: errorBody },
      400: invalid,
    },
    handler: async ({ params }) => {
      const picture = await bridge.occupancy(params.id);
      return picture
        ? { status: 200, body: picture }
        : { status: 404, body: { code: 'FACILITY.NOT_FOUND', message: 'no such facility' } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/sensors',
    summary: 'Registered sensors with their live health; filter by facility or status (e.g. offline)',
    query: sensorsQuery,
    responses: {
      200: { description: 'Sensors', schema: z.object({ sensors: z.array(sensorOut) }) },
      400: invalid,
    },
    handler: async ({ query }) => ({
      status: 200,
      body: { sensors: (await bridge.sensors.list(query)).map(toSensorOut) },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/sensors/stats',
    summary: 'Messages received and accepted by this instance, and rejections per reason',
    responses: { 200: { description: 'Counters since start', schema: statsOut } },
    handler: async () => ({ status: 200, body: bridge.stats() }),
  }),
  defineRoute({
    method: 'post',
    path: '/sensors',
    summary: 'Register a device on a space, or move it / update its model (same deviceId)',
    body: registerBody,
    responses: {
      201: { description: 'Registered', schema: sensorOut },
      200: { description: 'Updated', schema: sensorOut },
      404: { description: 'No such space in that facility', schema: errorBody },
      409: { description: 'Another sensor is bound to that space', schema: errorBody },
      422: { description: 'A JSON-format device id must be "<facilityCode>/<spaceCode>"', schema: errorBody },
      400: invalid,
    },
    handler: async ({ body }) => {
      const r = await bridge.sensors.register(body);
      if (!r.ok) return sensorRefusal(r.error);
      return { status: r.value.created ? 201 : 200, body: toSensorOut(r.value.sensor) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/sensors/:id',
    summary: 'One sensor with its live health',
    params: idParams,
    responses: { 200: { description: 'The sensor', schema: sensorOut }, 404: noSensor, 400: invalid },
    handler: async ({ params }) => {
      const s = await bridge.sensors.get(params.id);
      return s
        ? { status: 200, body: toSensorOut(s) }
        : { status: 404, body: { code: SensorErrorCode.NotFound, message: 'no such sensor' } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/sensors/:id/retire',
    summary: 'Remove a device from the registry; its space is then decided by bookings alone',
    params: idParams,
    responses: { 200: { description: 'Retired', schema: sensorOut }, 404: noSensor, 400: invalid },
    handler: async ({ params }) => {
      const r = await bridge.sensors.retire(params.id);
      return r.ok ? { status: 200, body: toSensorOut(r.value) } : sensorRefusal(r.error);
    },
  }),
];
