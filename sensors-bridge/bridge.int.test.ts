import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBookingCore } from '../booking-core/index.ts';
import { freshDatabase, type TestDatabase } from '../test/support/databases.ts';
import { createFacility, hours, minutes, TestClock } from '../test/support/fixtures.ts';
import { BOSCH, ttnUplink } from '../test/support/mqtt.ts';
import type { DeadLetter, OccupancyChanged, SensorHealthChanged, SensorsBridge } from './index.ts';
import { createSensorsBridge, MAX_PAYLOAD_BYTES, MemoryLiveState } from './index.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const OFFLINE_AFTER = minutes(10);

describe('the sensors bridge (embedded PostgreSQL, in-memory live state)', () => {
  let db: TestDatabase;
  const running: SensorsBridge[] = [];
  beforeAll(async () => {
    db = await freshDatabase('pglite');
  });
  afterEach(async () => {
    for (const b of running.splice(0)) await b.stop();
  });
  afterAll(async () => {
    await db.close();
  });

  /** A facility of 3 standard and 2 EV spaces, and a started bridge watching it. */
  async function setup() {
    const facility = await createFacility(db, { spaces: { standard: 3, ev: 2 } });
    const clock = new TestClock();
    const bridge = createSensorsBridge({
      db,
      clock,
      sweepEveryMs: 0,
      rules: { offlineAfterMs: OFFLINE_AFTER },
      historyOptions: { flushEveryMs: 3_600_000 },
    });
    await bridge.start();
    running.push(bridge);
    const changes: OccupancyChanged[] = [];
    const health: SensorHealthChanged[] = [];
    const letters: DeadLetter[] = [];
    // The database is shared by the tests of this file: keep to this test's facility.
    bridge.events.on('occupancy.changed', (e) => void (e.facilityId === facility.id && changes.push(e)));
    bridge.events.on('sensor.health_changed', (e) => void (e.facilityId === facility.id && health.push(e)));
    bridge.deadLetters.publishWith((l) => letters.push(l));
    const topic = (space: string, kind = 'occupancy') => `parking/${facility.code}/${space}/${kind}`;
    const space = (code: string) => {
      const [kind, n] = code.split('-') as ['standard' | 'ev', string];
      return facility.spaceIds[kind]![Number(n) - 1]!;
    };
    return { facility, clock, bridge, changes, health, letters, topic, space };
  }

  it('turns our JSON format into occupancy per space and per kind, history, and a registered sensor', async () => {
    const { bridge, facility, clock, changes, topic, space } = await setup();
    const ts = new Date(clock.now().getTime() - 2000).toISOString();
    expect(
      await bridge.ingest(topic('standard-1'), json({ occupied: true, ts, battery: 91, rssi: -70 })),
    ).toMatchObject({
      accepted: true,
    });
    await bridge.ingest(topic('ev-1'), json({ occupied: false }));
    await bridge.ingest(topic('ev-2', 'heartbeat'), json({ occupied: true, battery: 12 }));

    const picture = (await bridge.occupancy(facility.id))!;
    expect(picture.totals).toEqual({ spaces: 5, sensed: 3, free: 1, occupied: 2, unknown: 0 });
    expect(picture.byKind.standard).toEqual({ spaces: 3, sensed: 1, free: 0, occupied: 1, unknown: 0 });
    expect(picture.byKind.ev).toEqual({ spaces: 2, sensed: 2, free: 1, occupied: 1, unknown: 0 });
    expect(picture.spaces.find((s) => s.spaceCode === 'ev-2')?.sensor).toMatchObject({
      battery: 12,
      lowBattery: true,
    });
    expect(changes.map((c) => [c.spaceCode, c.state])).toEqual([
      ['standard-1', 'occupied'],
      ['ev-1', 'free'],
      ['ev-2', 'occupied'],
    ]);
    expect(changes[0]).toMatchObject({
      at: ts,
      source: `${facility.code}/standard-1`,
      spaceId: space('standard-1'),
    });
    expect(await bridge.unavailableNow(facility.id)).toEqual(new Set([space('standard-1'), space('ev-2')]));

    await bridge.flushHistory();
    const rows = await db.prisma.occupancyChange.findMany({
      where: { facilityId: facility.id },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.spaceId, r.state])).toEqual([
      [space('standard-1'), 'occupied'],
      [space('ev-1'), 'free'],
      [space('ev-2'), 'occupied'],
    ]);
    expect(rows[0]!.at.toISOString()).toBe(ts);
    const sensor = await db.prisma.sensor.findUnique({ where: { deviceId: `${facility.code}/standard-1` } });
    expect(sensor).toMatchObject({ format: 'json', spaceId: space('standard-1'), lastSeenAt: clock.now() });
  });

  it('turns TTN uplinks of a registered Bosch sensor into occupancy, with its firmware version', async () => {
    const { bridge, facility, changes, health, space } = await setup();
    const deviceId = `bosch-${facility.code.toLowerCase()}`;
    const reg = await bridge.sensors.register({
      deviceId,
      format: 'ttn-bosch',
      facilityId: facility.id,
      spaceId: space('ev-1'),
    });
    expect(reg).toMatchObject({
      ok: true,
      value: { created: true, sensor: { live: { state: 'unknown', status: 'offline' } } },
    });
    expect(changes).toMatchObject([{ spaceCode: 'ev-1', state: 'unknown', previous: null }]);
    expect(await bridge.unavailableNow(facility.id)).toEqual(new Set([space('ev-1')]));

    const up = (bytes: readonly number[], fPort: number, receivedAt: string) =>
      bridge.ingest(
        `v3/parking-app@ttn/devices/${deviceId}/up`,
        json(ttnUplink(deviceId, { fPort, bytes: [...bytes], receivedAt })),
      );
    expect(await up(BOSCH.occupied, 1, '2030-06-03T07:59:00Z')).toMatchObject({ accepted: true });
    expect(await up(BOSCH.heartbeatOccupied, 2, '2030-06-03T07:59:10Z')).toMatchObject({ accepted: true });
    expect(await up(BOSCH.startup, 3, '2030-06-03T07:59:20Z')).toMatchObject({ accepted: true });
    expect(await up(BOSCH.free, 1, '2030-06-03T07:59:30Z')).toMatchObject({ accepted: true });
    expect(changes.slice(1).map((c) => [c.state, c.at])).toEqual([
      ['occupied', '2030-06-03T07:59:00.000Z'],
      ['free', '2030-06-03T07:59:30.000Z'],
    ]);
    expect(health.map((h) => h.status)).toEqual(['online']);
    await bridge.flushHistory();
    const view = (await bridge.sensors.list({ facilityId: facility.id }))[0]!;
    expect(view).toMatchObject({
      deviceId,
      spaceCode: 'ev-1',
      firmwareVersion: '0.29.2',
      live: { state: 'free', rssi: -97 },
    });
  });

  it("applies a sensor's messages in arrival order, even when an earlier one is still waiting", async () => {
    const { facility, clock, topic } = await setup();
    // A store whose first asynchronous update once armed (after start, which restores records
    // through it) waits until the test lets it go on.
    let armed = false;
    let release!: () => void;
    let reached!: () => void;
    const waiting = new Promise<void>((r) => (reached = r));
    const gate = new Promise<void>((r) => (release = r));
    class GatedStore extends MemoryLiveState {
      override async update<T>(...args: Parameters<MemoryLiveState['update']>): Promise<T> {
        if (armed) {
          armed = false;
          reached();
          await gate;
        }
        return super.update(...(args as [string, string, never]));
      }
    }
    const bridge = createSensorsBridge({ db, clock, sweepEveryMs: 0, store: new GatedStore() });
    await bridge.start();
    running.push(bridge);
    armed = true;
    const changes: OccupancyChanged[] = [];
    bridge.events.on('occupancy.changed', (e) => void (e.facilityId === facility.id && changes.push(e)));
    const at = (s: number) => new Date(clock.now().getTime() - minutes(1) + s * 1000).toISOString();
    const send = (occupied: boolean, s: number) =>
      bridge.receive(topic('ev-1'), json({ occupied, ts: at(s) }));

    // ev-1 has no sensor yet: its first message registers it, then waits in the store.
    const first = send(true, 0);
    await waiting;
    // The sensor is known now, but its first message is not applied yet: the next ones queue behind
    // it instead of overtaking it (which would get the first refused as out of order).
    const next = [send(false, 1), send(true, 2)];
    expect(next.every((o) => o instanceof Promise)).toBe(true);
    release();
    expect((await Promise.all([first, ...next])).map((o) => o.accepted)).toEqual([true, true, true]);
    // Known and idle: applied before receive returns.
    expect(send(false, 3)).toMatchObject({ accepted: true, record: { state: 'free', readingAt: at(3) } });
    expect(changes.map((c) => [c.state, c.at])).toEqual([
      ['occupied', at(0)],
      ['free', at(1)],
      ['occupied', at(2)],
      ['free', at(3)],
    ]);
  });

  it('dead-letters bad messages of every kind, with the reason, and changes nothing', async () => {
    const { bridge, facility, changes, letters, topic } = await setup();
    await bridge.ingest(topic('standard-1'), json({ occupied: false }));
    const before = await bridge.occupancy(facility.id);
    changes.length = 0;
    const bad: Array<[string, Buffer, string]> = [
      [topic('standard-1'), Buffer.from([0xff, 0x00, 0x13, 0x37]), 'payload.not_json'],
      [topic('standard-1'), json({ occupied: 'yes' }), 'payload.invalid'],
      [topic('standard-1'), json({ occupied: true, battery: 300 }), 'payload.invalid'],
      [topic('standard-1'), json({ occupied: true, ts: 'yesterday' }), 'payload.invalid'],
      [topic('standard-1'), Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), 'payload.too_large'],
      [topic('standard-1'), json({ occupied: true, ts: '2030-06-03T07:00:00Z' }), 'reading.out_of_order'],
      [topic('standard-1'), json({ occupied: true, ts: '2030-06-04T08:00:00Z' }), 'reading.from_future'],
      [topic('no-such-space'), json({ occupied: true }), 'space.unknown'],
      [`parking/NOPE/standard-1/occupancy`, json({ occupied: true }), 'space.unknown'],
      ['v3/app@ttn/devices/ghost/up', json(ttnUplink('ghost', { bytes: [1] })), 'device.unknown'],
      ['parking/x/occupancy', json({ occupied: true }), 'topic.unknown'],
    ];
    for (const [t, payload, reason] of bad)
      expect(await bridge.ingest(t, payload), reason).toMatchObject({ accepted: false, reason });
    expect(letters.map((l) => l.reason)).toEqual(bad.map(([, , r]) => r));
    expect(letters[1]).toMatchObject({
      topic: topic('standard-1'),
      payload: '{"occupied":"yes"}',
      encoding: 'utf8',
      detail: /occupied/,
    });
    expect(letters[0]).toMatchObject({
      encoding: 'base64',
      payload: Buffer.from([0xff, 0x00, 0x13, 0x37]).toString('base64'),
    });
    expect(letters[4]).toMatchObject({ bytes: MAX_PAYLOAD_BYTES + 1 });
    expect(changes).toEqual([]);
    expect(await bridge.occupancy(facility.id)).toEqual(before);
    expect(bridge.stats()).toMatchObject({
      received: 12,
      accepted: 1,
      rejected: { 'payload.invalid': 3, 'space.unknown': 2 },
    });
  });

  it('refuses our format for a space whose sensor is a registered TTN device', async () => {
    const { bridge, facility, topic, space } = await setup();
    await bridge.sensors.register({
      deviceId: 'ttn-1x',
      format: 'ttn-bosch',
      facilityId: facility.id,
      spaceId: space('standard-2'),
    });
    expect(await bridge.ingest(topic('standard-2'), json({ occupied: false }))).toMatchObject({
      reason: 'space.other_sensor',
    });
  });

  it('sees a sensor retired, replaced or moved at the very next message', async () => {
    const { bridge, facility, changes, topic, space } = await setup();
    // Known and applied from the caches: the JSON sensor of standard-3, and a TTN device on ev-1.
    expect(await bridge.ingest(topic('standard-3'), json({ occupied: true }))).toMatchObject({
      accepted: true,
    });
    const reg = await bridge.sensors.register({
      deviceId: 'ttn-move',
      format: 'ttn-bosch',
      facilityId: facility.id,
      spaceId: space('ev-1'),
    });
    const id = reg.ok ? reg.value.sensor.id : '';
    const up = (receivedAt: string) =>
      bridge.ingest(
        'v3/parking-app@ttn/devices/ttn-move/up',
        json(ttnUplink('ttn-move', { fPort: 1, bytes: [...BOSCH.occupied], receivedAt })),
      );
    expect(await up('2030-06-03T07:59:00Z')).toMatchObject({ accepted: true });

    // The JSON sensor is retired and a TTN device takes its space: our format is refused there now.
    const jsonSensor = (await bridge.sensors.list({ facilityId: facility.id })).find(
      (s) => s.format === 'json',
    );
    expect((await bridge.sensors.retire(jsonSensor!.id)).ok).toBe(true);
    await bridge.sensors.register({
      deviceId: 'ttn-other',
      format: 'ttn-bosch',
      facilityId: facility.id,
      spaceId: space('standard-3'),
    });
    expect(await bridge.ingest(topic('standard-3'), json({ occupied: false }))).toMatchObject({
      reason: 'space.other_sensor',
    });

    // The TTN device moves to ev-2: its next uplink is about ev-2.
    await bridge.sensors.register({
      deviceId: 'ttn-move',
      format: 'ttn-bosch',
      facilityId: facility.id,
      spaceId: space('ev-2'),
    });
    expect(await up('2030-06-03T07:59:30Z')).toMatchObject({
      accepted: true,
      record: { spaceId: space('ev-2') },
    });
    // …and once retired, it is unknown.
    expect((await bridge.sensors.retire(id)).ok).toBe(true);
    expect(await up('2030-06-03T08:00:00Z')).toMatchObject({ reason: 'device.unknown' });
    expect(changes.filter((c) => c.spaceCode === 'ev-2').map((c) => c.state)).toEqual([
      'unknown',
      'occupied',
    ]);
  });

  it('counts a silent sensor as offline and its space as unknown, never free', async () => {
    const { bridge, facility, clock, changes, health, topic, space } = await setup();
    await bridge.ingest(topic('standard-3'), json({ occupied: false }));
    clock.advance(OFFLINE_AFTER);
    await bridge.sweep();
    expect(changes.map((c) => c.state)).toEqual(['free']);
    clock.advance(1000);
    await bridge.sweep();
    expect(changes.at(-1)).toMatchObject({
      spaceCode: 'standard-3',
      state: 'unknown',
      previous: 'free',
      source: 'health',
    });
    expect(health.at(-1)).toMatchObject({ status: 'offline', previous: 'online' });
    expect(await bridge.unavailableNow(facility.id)).toEqual(new Set([space('standard-3')]));
    expect((await bridge.occupancy(facility.id))!.totals).toMatchObject({ free: 0, unknown: 1 });
    await bridge.ingest(topic('standard-3', 'heartbeat'), json({ occupied: false }));
    expect(await bridge.unavailableNow(facility.id)).toEqual(new Set());
  });

  it('marks a sensor that flips implausibly often as flapping and keeps its last stable state', async () => {
    const { bridge, clock, changes, health, topic } = await setup();
    const at = (s: number) => new Date(clock.now().getTime() - hours(1) + s * 1000).toISOString();
    await bridge.ingest(topic('ev-2'), json({ occupied: true, ts: at(0) }));
    for (let i = 1; i <= 12; i++)
      await bridge.ingest(topic('ev-2'), json({ occupied: i % 2 === 0, ts: at(600 + i) }));
    expect(health.map((h) => h.status)).toEqual(['online', 'flapping']);
    expect(changes.at(-1)?.state).toBe('occupied'); // back to what held before the burst
    const record = (await bridge.occupancy(changes[0]!.facilityId))!.spaces[0]!;
    expect(record).toMatchObject({ state: 'occupied', sensor: { status: 'flapping' } });
    clock.advance(minutes(6));
    await bridge.ingest(topic('ev-2', 'heartbeat'), json({}));
    expect(health.at(-1)).toMatchObject({ status: 'online', previous: 'flapping' });
  });

  it('lets a booking override a "free" reading, and an "occupied" reading block a space with no booking', async () => {
    const { bridge, facility, clock, topic, space } = await setup();
    const core = createBookingCore({ db, clock, occupancy: bridge });
    for (const code of ['standard-1', 'standard-2', 'standard-3'])
      await bridge.ingest(topic(code), json({ occupied: false }));
    await bridge.ingest(topic('standard-2'), json({ occupied: true }));
    const now = { from: clock.now(), to: new Date(clock.now().getTime() + hours(2)) };
    const held = await core.bookings.hold({
      facilityId: facility.id,
      spaceId: space('standard-1'),
      window: now,
      plate: 'AB12 CDE',
      driverId: null,
    });
    expect(held.ok).toBe(true);
    const a = await core.facilities.availability(facility.id, now, 'standard');
    expect(a.ok && a.value.spaces.map((s) => s.code)).toEqual(['standard-3']);
    const later = {
      from: new Date(now.from.getTime() + hours(24)),
      to: new Date(now.from.getTime() + hours(25)),
    };
    const b = await core.facilities.availability(facility.id, later, 'standard');
    expect(b.ok && b.value.spaces.map((s) => s.code)).toEqual(['standard-1', 'standard-2', 'standard-3']);
    const taken = await core.bookings.hold({
      facilityId: facility.id,
      spaceId: space('standard-2'),
      window: now,
      plate: 'XY34 ZZZ',
      driverId: null,
    });
    expect(taken.ok).toBe(false);
  });

  it('rebuilds live state from the database after a restart', async () => {
    const { bridge, facility, clock, topic, space } = await setup();
    await bridge.ingest(topic('standard-1'), json({ occupied: true }));
    await bridge.ingest(topic('standard-2'), json({ occupied: false }));
    clock.advance(minutes(1));
    await bridge.ingest(topic('ev-1'), json({ occupied: true }));
    await bridge.stop();
    running.splice(running.indexOf(bridge), 1);

    clock.advance(minutes(9) + 30_000); // ev-1 seen 9.5 min ago, the others 10.5 min ago
    const again = createSensorsBridge({
      db,
      clock,
      sweepEveryMs: 0,
      rules: { offlineAfterMs: OFFLINE_AFTER },
    });
    await again.start();
    running.push(again);
    const picture = (await again.occupancy(facility.id))!;
    expect(picture.spaces.map((s) => [s.spaceCode, s.state, s.sensor.status])).toEqual([
      ['ev-1', 'occupied', 'online'],
      ['standard-1', 'unknown', 'offline'],
      ['standard-2', 'unknown', 'offline'],
    ]);
    expect(await again.unavailableNow(facility.id)).toEqual(
      new Set([space('ev-1'), space('standard-1'), space('standard-2')]),
    );
  });
});
