import { createServer } from 'node:net';
import { once } from 'node:events';
import type { MqttClient } from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  LiveClientToServer,
  LiveServerToClient,
  OccupancyChangedWire,
  WatchAck,
} from '../sensors-bridge/index.ts';
import { freshDatabase, TEST_DATABASE_URL } from '../test/support/databases.ts';
import { createFacility } from '../test/support/fixtures.ts';
import { BOSCH, eventually, freePort, mqttClient, TEST_MQTT_URL, ttnUplink } from '../test/support/mqtt.ts';
import { startTestPlatform, type RunningPlatform } from '../test/support/platform.ts';
import { TEST_REDIS_URL } from '../test/support/redis.ts';

type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;

async function liveSocket(url: string): Promise<LiveSocket> {
  const socket: LiveSocket = connectSocket(`${url}/live`, { transports: ['websocket'], forceNew: true });
  await once(socket as never, 'connect');
  return socket;
}
const watch = (socket: LiveSocket, facilityId: unknown) =>
  new Promise<WatchAck>((resolve) => socket.emit('facility.watch', { facilityId } as never, resolve));
/** The next occupancy.changed on this socket that matches. */
const nextChange = (socket: LiveSocket, match: (e: OccupancyChangedWire) => boolean) =>
  new Promise<OccupancyChangedWire>((resolve) => {
    const on = (e: OccupancyChangedWire) => {
      if (!match(e)) return;
      socket.off('occupancy.changed', on);
      resolve(e);
    };
    socket.on('occupancy.changed', on);
  });
const json = (v: unknown) => JSON.stringify(v);

describe('sensors in the running platform (embedded broker)', () => {
  let p: RunningPlatform;
  let mqtt: MqttClient;
  let kxc: { id: string; spaces: Array<{ id: string; code: string; kind: string }> };
  const body = async (r: Response) => (await r.json()) as Record<string, unknown>;

  beforeAll(async () => {
    const port = await freePort();
    p = await startTestPlatform('pglite', { MQTT_BROKER_PORT: String(port) });
    mqtt = await mqttClient({ url: `mqtt://127.0.0.1:${port}`, protocolVersion: 4 });
    const list = (await body(await p.api('/api/v1/facilities'))) as {
      facilities: Array<{ id: string; code: string }>;
    };
    const id = list.facilities.find((f) => f.code === 'KXC')!.id;
    kxc = {
      id,
      spaces: (await body(await p.api(`/api/v1/facilities/${id}`)))['spaces'] as typeof kxc.spaces,
    };
  });
  afterAll(async () => {
    await mqtt?.endAsync();
    await p?.stop();
  });

  it('manages the device registry over REST', async () => {
    const [a, b] = [kxc.spaces[40]!, kxc.spaces[41]!];
    const register = (b: unknown) => p.api('/api/v1/sensors', { method: 'POST', json: b });
    const created = await register({
      deviceId: 'kxc-b2-001',
      facilityId: kxc.id,
      spaceId: a.id,
      model: 'Bosch TPS110',
    });
    expect(created.status).toBe(201);
    const sensor = await body(created);
    expect(sensor).toMatchObject({
      deviceId: 'kxc-b2-001',
      format: 'ttn-bosch',
      spaceCode: a.code,
      live: { state: 'unknown', status: 'offline' },
    });
    expect(
      (await register({ deviceId: 'kxc-b2-001', facilityId: kxc.id, spaceId: a.id, model: 'v2' })).status,
    ).toBe(200);

    const refused = async (b: unknown, status: number) => {
      const r = await register(b);
      expect(r.status).toBe(status);
      return body(r);
    };
    expect(await refused({ deviceId: 'Bad Id!', facilityId: kxc.id, spaceId: b.id }, 400)).toMatchObject({
      code: 'REQUEST.INVALID',
      fields: { 'body.deviceId': [expect.stringMatching(/device id/)] },
    });
    expect(
      await refused({ deviceId: 'x-1', facilityId: kxc.id, spaceId: b.id, colour: 'red' }, 400),
    ).toMatchObject({
      code: 'REQUEST.INVALID',
    });
    expect(await refused({ deviceId: 'kxc-b2-999', facilityId: kxc.id, spaceId: a.id }, 409)).toMatchObject({
      code: 'SENSOR.SPACE_TAKEN',
    });
    expect(
      await refused({ deviceId: 'nowhere', facilityId: kxc.id, spaceId: crypto.randomUUID() }, 404),
    ).toMatchObject({
      code: 'SENSOR.SPACE_NOT_FOUND',
    });
    expect(
      await refused({ deviceId: 'KXC/wrong', format: 'json', facilityId: kxc.id, spaceId: b.id }, 422),
    ).toMatchObject({
      code: 'SENSOR.DEVICE_ID_MISMATCH',
      details: { expected: `KXC/${b.code}` },
    });

    const listed = (await body(await p.api(`/api/v1/sensors?facilityId=${kxc.id}&status=offline`)))[
      'sensors'
    ] as unknown[];
    expect(listed).toContainEqual(expect.objectContaining({ deviceId: 'kxc-b2-001', model: 'v2' }));
    expect((await p.api(`/api/v1/sensors/${String(sensor['id'])}`)).status).toBe(200);
    expect((await p.api(`/api/v1/sensors?status=asleep`)).status).toBe(400);
    expect((await p.api(`/api/v1/sensors/${String(sensor['id'])}/retire`, { method: 'POST' })).status).toBe(
      200,
    );
    expect((await p.api(`/api/v1/sensors/${String(sensor['id'])}`)).status).toBe(404);
    expect((await p.api(`/api/v1/sensors/${String(sensor['id'])}/retire`, { method: 'POST' })).status).toBe(
      404,
    );
  });

  it('pushes changes to /live watchers, shows them over REST, and keeps occupied spaces out of bookings', async () => {
    const socket = await liveSocket(p.url);
    try {
      const [s1, s2] = [kxc.spaces[0]!, kxc.spaces[1]!];
      expect(await watch(socket, 'not-a-uuid')).toMatchObject({ ok: false, code: 'REQUEST.INVALID' });
      expect(await watch(socket, crypto.randomUUID())).toMatchObject({
        ok: false,
        code: 'FACILITY.NOT_FOUND',
      });
      expect(await watch(socket, kxc.id)).toMatchObject({ ok: true, facilityId: kxc.id });

      const arrived = nextChange(socket, (e) => e.spaceId === s1.id);
      await mqtt.publishAsync(`parking/KXC/${s1.code}/occupancy`, json({ occupied: true }), { qos: 1 });
      const change = await arrived;
      expect(change).toEqual({
        facilityId: kxc.id,
        spaceId: s1.id,
        spaceCode: s1.code,
        state: 'occupied',
        at: expect.any(String),
      });

      const occupancy = await body(await p.api(`/api/v1/facilities/${kxc.id}/occupancy`));
      expect(occupancy['spaces']).toContainEqual(
        expect.objectContaining({ spaceId: s1.id, state: 'occupied' }),
      );
      expect(occupancy['totals']).toMatchObject({ occupied: 1 });

      const from = new Date(Date.now() - 1000).toISOString(); // a window that includes now
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const free = await body(await p.api(`/api/v1/facilities/${kxc.id}/availability?from=${from}&to=${to}`));
      const freeIds = (free['spaces'] as Array<{ id: string }>).map((s) => s.id);
      expect(freeIds).not.toContain(s1.id);
      expect(freeIds).toContain(s2.id);
      expect((await p.api(`/api/v1/facilities/${kxc.id}/occupancy`.replace(kxc.id, 'nope'))).status).toBe(
        400,
      );

      // After unwatching, this facility's changes no longer arrive (the next one seen is from the other).
      await new Promise((r) => socket.emit('facility.unwatch', { facilityId: kxc.id }, r));
      const other = (await body(await p.api('/api/v1/facilities'))) as {
        facilities: Array<{ id: string; code: string }>;
      };
      const wem = other.facilities.find((f) => f.code === 'WEM')!;
      await watch(socket, wem.id);
      const next = nextChange(socket, () => true);
      await mqtt.publishAsync(`parking/KXC/${s2.code}/occupancy`, json({ occupied: true }), { qos: 1 });
      await mqtt.publishAsync(`parking/WEM/G-001/occupancy`, json({ occupied: true }), { qos: 1 });
      expect(await next).toMatchObject({ facilityId: wem.id, spaceCode: 'G-001' });
    } finally {
      socket.disconnect();
    }
  });

  it('seeds a few TTN devices into the demo city, unknown until their uplinks arrive', async () => {
    const listed = (await body(await p.api(`/api/v1/sensors?facilityId=${kxc.id}`)))['sensors'] as Array<
      Record<string, unknown>
    >;
    const device = listed.find((s) => s['deviceId'] === 'kxc-b1-021')!;
    expect(device).toMatchObject({ format: 'ttn-bosch', spaceCode: 'B1-021', live: { state: 'unknown' } });
    await mqtt.publishAsync(
      'v3/parking-demo@ttn/devices/kxc-b1-021/up',
      json(
        ttnUplink('kxc-b1-021', { fPort: 1, bytes: [...BOSCH.free], receivedAt: new Date().toISOString() }),
      ),
      { qos: 1 },
    );
    await eventually(async () => {
      const one = await body(await p.api(`/api/v1/sensors/${String(device['id'])}`));
      expect(one['live']).toMatchObject({ state: 'free', status: 'online', rssi: -97 });
    });
  });

  it('counts rejected messages per reason and reports them', async () => {
    const before = (await body(await p.api('/api/v1/sensors/stats')))['rejected'] as Record<string, number>;
    await mqtt.publishAsync('parking/KXC/B1-002/occupancy', 'not json', { qos: 1 });
    await mqtt.publishAsync(
      'v3/app@ttn/devices/ghost/up',
      json(ttnUplink('ghost', { bytes: [...BOSCH.occupied] })),
      { qos: 1 },
    );
    await eventually(async () => {
      const now = (await body(await p.api('/api/v1/sensors/stats')))['rejected'] as Record<string, number>;
      expect(now['payload.not_json']).toBe((before['payload.not_json'] ?? 0) + 1);
      expect(now['device.unknown']).toBe((before['device.unknown'] ?? 0) + 1);
    });
  });
});

describe('sensors configuration at start', () => {
  it('refuses MQTT_SHARED_GROUP without an external broker', async () => {
    await expect(startTestPlatform('pglite', { MQTT_SHARED_GROUP: 'parking' })).rejects.toThrow(
      /MQTT_SHARED_GROUP needs an external broker: set MQTT_URL/,
    );
  });

  it('stops with a message that says the broker port is taken and how to fix it', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startTestPlatform('pglite', { MQTT_BROKER_PORT: String(port) })).rejects.toThrow(
        new RegExp(
          `MQTT_BROKER_PORT ${port} on 127.0.0.1 is already in use.*MQTT_URL=mqtt://127.0.0.1:${port}.*MQTT_BROKER_PORT=`,
        ),
      );
    } finally {
      taken.close();
    }
  });
});

describe.runIf(TEST_DATABASE_URL && TEST_MQTT_URL && TEST_REDIS_URL)(
  'two platform instances on PostgreSQL, Mosquitto (shared subscription) and Redis',
  () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let facility: Awaited<ReturnType<typeof createFacility>>;
    const instances: RunningPlatform[] = [];
    beforeAll(async () => {
      db = await freshDatabase('postgres');
      facility = await createFacility(db, { spaces: { standard: 40 } });
      const env = {
        DATABASE_URL: db.url!,
        MQTT_URL: TEST_MQTT_URL!,
        MQTT_SHARED_GROUP: `spp-test-${facility.code.toLowerCase()}`,
        REDIS_URL: TEST_REDIS_URL!,
      };
      instances.push(await startTestPlatform('pglite', env), await startTestPlatform('pglite', env));
    });
    afterAll(async () => {
      for (const p of instances) await p.stop();
      await db.close();
    });

    it('split the sensor traffic, share the live picture, and push every change to watchers of either', async () => {
      const [a, b] = instances as [RunningPlatform, RunningPlatform];
      const socket = await liveSocket(a.url);
      const mqtt = await mqttClient({ url: TEST_MQTT_URL!, protocolVersion: 5 });
      try {
        await watch(socket, facility.id);
        const seen = new Set<string>();
        const all = new Promise<void>((resolve) =>
          socket.on('occupancy.changed', (e) => {
            if (e.state === 'occupied') seen.add(e.spaceCode);
            if (seen.size === 40) resolve();
          }),
        );
        for (let i = 1; i <= 40; i++)
          await mqtt.publishAsync(
            `parking/${facility.code}/standard-${i}/occupancy`,
            json({ occupied: true }),
            { qos: 1 },
          );
        await all;
        const stats = await Promise.all(
          [a, b].map(
            async (p) => (await (await p.api('/api/v1/sensors/stats')).json()) as { accepted: number },
          ),
        );
        expect(stats[0]!.accepted).toBeGreaterThan(0);
        expect(stats[1]!.accepted).toBeGreaterThan(0);
        expect(stats[0]!.accepted + stats[1]!.accepted).toBe(40);
        for (const p of [a, b]) {
          const picture = (await (await p.api(`/api/v1/facilities/${facility.id}/occupancy`)).json()) as {
            totals: unknown;
          };
          expect(picture.totals).toEqual({ spaces: 40, sensed: 40, free: 0, occupied: 40, unknown: 0 });
        }
      } finally {
        socket.disconnect();
        await mqtt.endAsync();
      }
    });
  },
);
