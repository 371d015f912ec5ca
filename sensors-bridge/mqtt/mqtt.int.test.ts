import fc from 'fast-check';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBookingCore } from '../../booking-core/index.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { createFacility, hours, minutes, TestClock } from '../../test/support/fixtures.ts';
import {
  BOSCH,
  BROKERS,
  collect,
  eventually,
  mqttClient,
  startRestartableBroker,
  startTestBroker,
  testTopicPrefix,
  ttnUplink,
  type TestBroker,
} from '../../test/support/mqtt.ts';
import { testRedis, TEST_REDIS_URL } from '../../test/support/redis.ts';
import {
  connectBridge,
  createSensorsBridge,
  MAX_PAYLOAD_BYTES,
  PREVIEW_BYTES,
  RedisLiveState,
  REJECTION_REASONS,
  silentLogger,
  type LiveStateStore,
  type MqttLink,
  type OccupancyChanged,
} from '../index.ts';

const json = (v: unknown) => JSON.stringify(v);

describe.each(BROKERS)('the bridge over MQTT (%s broker)', (kind) => {
  let db: TestDatabase;
  let broker: TestBroker;
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    [db, broker] = await Promise.all([freshDatabase('pglite'), startTestBroker(kind)]);
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await broker.close();
    await db.close();
  });

  async function connected(o: {
    sharedGroup?: string;
    prefix: string;
    store?: LiveStateStore;
    clock: TestClock;
  }) {
    const bridge = createSensorsBridge({
      db,
      clock: o.clock,
      topicPrefix: o.prefix,
      sweepEveryMs: 0,
      ...(o.store ? { store: o.store } : {}),
    });
    await bridge.start();
    const link = await connectBridge(
      bridge,
      {
        url: broker.url,
        protocolVersion: broker.protocolVersion,
        ...(o.sharedGroup ? { sharedGroup: o.sharedGroup } : {}),
      },
      silentLogger,
    );
    cleanups.push(
      () => bridge.stop(),
      () => link.close(),
    );
    return { bridge, link };
  }

  /** A facility, a bridge subscribed to its own topic prefix, and a publisher. */
  async function setup(spaces: Record<string, number> = { standard: 3, ev: 2 }) {
    const facility = await createFacility(db, { spaces });
    const clock = new TestClock();
    const prefix = testTopicPrefix();
    const { bridge, link } = await connected({ prefix, clock });
    const pub = await mqttClient(broker);
    cleanups.push(() => pub.endAsync());
    const changes: OccupancyChanged[] = [];
    bridge.events.on('occupancy.changed', (e) => void (e.facilityId === facility.id && changes.push(e)));
    const topic = (space: string, what = 'occupancy') => `${prefix}parking/${facility.code}/${space}/${what}`;
    const publish = (t: string, payload: string | Buffer) => pub.publishAsync(t, payload, { qos: 1 });
    const handled = (n: number) => eventually(() => bridge.stats().handled >= n);
    return { facility, clock, prefix, bridge, link, pub, changes, topic, publish, handled };
  }

  it('turns our format and TTN uplinks (real Bosch payload bytes) into the right occupancy', async () => {
    const { facility, bridge, topic, publish, handled, prefix, changes } = await setup();
    const deviceId = `bosch-${facility.code.toLowerCase()}`;
    await bridge.sensors.register({
      deviceId,
      format: 'ttn-bosch',
      facilityId: facility.id,
      spaceId: facility.spaceIds.ev![0]!,
    });
    const up = (bytes: readonly number[], fPort: number, s: number) =>
      publish(
        `${prefix}v3/parking-app@ttn/devices/${deviceId}/up`,
        json(ttnUplink(deviceId, { fPort, bytes: [...bytes], receivedAt: `2030-06-03T07:59:${10 + s}Z` })),
      );
    await publish(topic('standard-1'), json({ occupied: true, battery: 88, rssi: -67 }));
    await publish(topic('standard-2'), json({ occupied: false }));
    await publish(topic('standard-2', 'heartbeat'), json({ battery: 9 }));
    await up(BOSCH.free, 1, 0);
    await up(BOSCH.heartbeatOccupied, 2, 1);
    await up(BOSCH.startup, 3, 2);
    await handled(6);
    const picture = (await bridge.occupancy(facility.id))!;
    expect(picture.spaces.map((s) => [s.spaceCode, s.state])).toEqual([
      ['ev-1', 'occupied'],
      ['standard-1', 'occupied'],
      ['standard-2', 'free'],
    ]);
    expect(picture.byKind.ev).toEqual({ spaces: 2, sensed: 1, free: 0, occupied: 1, unknown: 0 });
    expect(picture.spaces[1]!.sensor).toMatchObject({ battery: 88, rssi: -67 });
    expect(picture.spaces[2]!.sensor).toMatchObject({ battery: 9, lowBattery: true });
    expect(changes.filter((c) => c.spaceCode === 'ev-1').map((c) => c.state)).toEqual([
      'unknown',
      'free',
      'occupied',
    ]);
    expect(bridge.stats()).toMatchObject({ received: 6, accepted: 6 });
  });

  it('sends bad payloads of many shapes to the dead-letter topic, with the reason, and changes nothing', async () => {
    const { facility, bridge, topic, publish, handled, prefix, changes, pub } = await setup();
    await publish(topic('standard-1'), json({ occupied: false, ts: '2030-06-03T07:59:00Z' }));
    await handled(1);
    const before = await bridge.occupancy(facility.id);
    changes.length = 0;
    const letters = await collect(pub, `${prefix}parking/_dead-letter`);

    const fuzzed = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 200 }), { numRuns: 40, seed: 7 });
    const bad: Array<[string, string | Buffer]> = [
      ...fuzzed.map((b): [string, Buffer] => [topic('standard-1'), Buffer.from(b)]),
      [topic('standard-1'), json({ occupied: 'true' })],
      [topic('standard-1'), json({ occupied: 1 })],
      [topic('standard-1'), json([true])],
      [topic('standard-1'), json({ occupied: true, battery: '90%' })],
      [topic('standard-1'), json({ occupied: true, ts: 1_900_000_000 })],
      [topic('standard-1', 'heartbeat'), json({ rssi: 'strong' })],
      [topic('standard-1'), json({ occupied: true, ts: '2030-06-03T07:00:00Z' })], // older than the last one
      [topic('standard-1'), Buffer.alloc(MAX_PAYLOAD_BYTES * 4, 0x7b)],
      [topic('standard-1'), json({ occupied: true, junk: 'x'.repeat(MAX_PAYLOAD_BYTES) })],
      [topic('no-such-space'), json({ occupied: true })],
      [`${prefix}v3/app@ttn/devices/unknown-device/up`, json(ttnUplink('unknown-device', { bytes: [1] }))],
      [`${prefix}v3/app@ttn/devices/x/up`, json({ uplink_message: 'nope' })],
    ];
    for (const [t, payload] of bad) await publish(t, payload);
    await eventually(() => letters.length >= bad.length);
    expect(letters).toHaveLength(bad.length);
    // Each letter carries its message's topic and the start of its payload; order across sensors is not kept.
    const key = (topic: unknown, payload: string | Buffer) => {
      const b = Buffer.from(payload).subarray(0, PREVIEW_BYTES);
      const text = new TextDecoder('utf-8', { fatal: false }).decode(b);
      return `${String(topic)} ${Buffer.from(text).equals(b) ? text : b.toString('base64')}`;
    };
    const reasonOf = new Map(
      letters.map((l) => [`${String(l['topic'])} ${String(l['payload'])}`, l['reason']]),
    );
    expect(letters.map((l) => l['topic']).sort()).toEqual(bad.map(([t]) => t).sort());
    for (const l of letters) expect(REJECTION_REASONS).toContain(l['reason']);
    expect(bad.slice(fuzzed.length).map(([t, payload]) => reasonOf.get(key(t, payload)))).toEqual([
      ...Array(6).fill('payload.invalid'),
      'reading.out_of_order',
      'payload.too_large',
      'payload.too_large',
      'space.unknown',
      'device.unknown',
      'payload.invalid',
    ]);
    expect(changes).toEqual([]);
    expect(await bridge.occupancy(facility.id)).toEqual(before);
    expect(bridge.stats().accepted).toBe(1);
  });

  it('notices offline and flapping sensors', async () => {
    const { facility, bridge, topic, publish, handled, clock, changes } = await setup();
    const health: string[] = [];
    bridge.events.on(
      'sensor.health_changed',
      (e) => void (e.facilityId === facility.id && health.push(`${e.spaceCode}:${e.status}`)),
    );
    const ts = (s: number) => new Date(clock.now().getTime() - hours(1) + s * 1000).toISOString();
    await publish(topic('ev-1'), json({ occupied: false, ts: ts(0) }));
    await publish(topic('standard-3'), json({ occupied: true, ts: ts(0) }));
    for (let i = 1; i <= 10; i++)
      await publish(topic('ev-1'), json({ occupied: i % 2 === 1, ts: ts(100 + i) }));
    await handled(12);
    // Order is kept per sensor, not across sensors.
    expect(health.filter((h) => h.startsWith('ev-1'))).toEqual(['ev-1:online', 'ev-1:flapping']);
    expect(health.filter((h) => h.startsWith('standard-3'))).toEqual(['standard-3:online']);
    expect(changes.filter((c) => c.spaceCode === 'ev-1').at(-1)?.state).toBe('free');

    clock.advance(minutes(11));
    await bridge.sweep();
    expect(health.slice(3).sort()).toEqual(['ev-1:offline', 'standard-3:offline']);
    expect((await bridge.occupancy(facility.id))!.totals).toMatchObject({ sensed: 2, unknown: 2, free: 0 });
  });

  it('keeps a space held by a booking unavailable even when its sensor says free', async () => {
    const { facility, bridge, topic, publish, handled, clock } = await setup({ standard: 2 });
    const core = createBookingCore({ db, clock, occupancy: bridge });
    await publish(topic('standard-1'), json({ occupied: false }));
    await publish(topic('standard-2'), json({ occupied: false }));
    await handled(2);
    const now = { from: clock.now(), to: new Date(clock.now().getTime() + hours(1)) };
    const held = await core.bookings.hold({
      facilityId: facility.id,
      window: now,
      kind: 'standard',
      plate: 'HELD 1',
      driverId: null,
    });
    expect(held.ok).toBe(true);
    const heldCode = held.ok ? held.value.booking.spaceCode : '';
    const a = await core.facilities.availability(facility.id, now, null);
    expect(a.ok && a.value.spaces.map((s) => s.code)).toEqual(
      ['standard-1', 'standard-2'].filter((c) => c !== heldCode),
    );
    await publish(topic(heldCode === 'standard-1' ? 'standard-2' : 'standard-1'), json({ occupied: true }));
    await handled(3);
    const b = await core.facilities.availability(facility.id, now, null);
    expect(b.ok && b.value.spaces).toEqual([]);
  });

  it.runIf(kind === 'mosquitto')(
    'splits the traffic between two instances with a shared subscription; together they get all of it',
    async () => {
      const facility = await createFacility(db, { spaces: { standard: 60 } });
      const prefix = testTopicPrefix();
      const group = `g${Math.random().toString(36).slice(2, 8)}`;
      const clock = new TestClock();
      // With Redis the two instances also share one picture; without, each knows its own part.
      const redisStore = () => {
        if (!TEST_REDIS_URL) return undefined;
        const { redis } = testRedis();
        cleanups.push(() => redis.quit());
        return new RedisLiveState(redis, { prefix: `spp-test:${prefix}` });
      };
      const [a, b] = [
        await connected({ prefix, clock, sharedGroup: group, store: redisStore() }),
        await connected({ prefix, clock, sharedGroup: group, store: redisStore() }),
      ];
      const pub = await mqttClient(broker);
      cleanups.push(() => pub.endAsync());
      for (let i = 1; i <= 60; i++)
        await pub.publishAsync(
          `${prefix}parking/${facility.code}/standard-${i}/occupancy`,
          json({ occupied: i % 3 === 0 }),
          { qos: 1 },
        );
      await eventually(() => a.bridge.stats().handled + b.bridge.stats().handled >= 60);
      const [sa, sb] = [a.bridge.stats(), b.bridge.stats()];
      expect(sa.accepted).toBeGreaterThan(0);
      expect(sb.accepted).toBeGreaterThan(0);
      expect(sa.accepted + sb.accepted).toBe(60);
      if (TEST_REDIS_URL) {
        for (const { bridge } of [a, b])
          expect((await bridge.occupancy(facility.id))!.totals).toEqual({
            spaces: 60,
            sensed: 60,
            free: 40,
            occupied: 20,
            unknown: 0,
          });
      }
    },
  );

  it('picks up where it was after the broker restarts mid-stream', async () => {
    const restartable = await startRestartableBroker(kind);
    cleanups.push(() => restartable.close());
    const facility = await createFacility(db, { spaces: { standard: 2 } });
    const clock = new TestClock();
    const prefix = testTopicPrefix();
    const bridge = createSensorsBridge({ db, clock, topicPrefix: prefix, sweepEveryMs: 0 });
    await bridge.start();
    const link: MqttLink = await connectBridge(
      bridge,
      { url: restartable.url, protocolVersion: restartable.protocolVersion, reconnectPeriodMs: 50 },
      silentLogger,
    );
    cleanups.push(
      () => bridge.stop(),
      () => link.close(),
    );
    const pub: MqttClient = await mqttClient(restartable);
    cleanups.push(() => pub.endAsync({ force: true } as never));
    const topic = (space: string) => `${prefix}parking/${facility.code}/${space}/occupancy`;
    const t0 = clock.now().getTime() - hours(1);
    // A steady stream (a sensor restating "occupied"); flipping this fast would be flapping.
    const reading = (n: number, occupied = true) =>
      json({ occupied, ts: new Date(t0 + n * 1000).toISOString() });

    await pub.publishAsync(topic('standard-2'), json({ occupied: true }), { qos: 1 });
    // A stream of readings for standard-1; the broker goes down and comes back in the middle of it.
    let n = 0;
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        n += 1;
        pub.publish(topic('standard-1'), reading(n), { qos: 0 });
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await eventually(() => bridge.stats().accepted >= 20);
    const resubscribed = link.nextSubscribed();
    await restartable.stop();
    await restartable.start();
    await resubscribed;
    const acceptedAfterRestart = bridge.stats().accepted;
    await eventually(() => bridge.stats().accepted >= acceptedAfterRestart + 20);
    streaming = false;
    await stream;
    const last = n + 1;
    await pub.publishAsync(topic('standard-1'), reading(last, false), { qos: 1 });
    const lastAt = new Date(t0 + last * 1000).toISOString();
    await eventually(
      async () =>
        (await bridge.store.get(facility.id, facility.spaceIds.standard![0]!))?.readingAt === lastAt,
    );

    const picture = (await bridge.occupancy(facility.id))!;
    expect(picture.spaces.map((s) => [s.spaceCode, s.state])).toEqual([
      ['standard-1', 'free'],
      ['standard-2', 'occupied'], // from before the restart: not lost
    ]);
    expect(bridge.stats().rejected['internal.error']).toBe(0);
  });
});
