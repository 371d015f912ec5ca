import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { createFacility, minutes, TestClock } from '../../test/support/fixtures.ts';
import { testRedis, TEST_REDIS_URL } from '../../test/support/redis.ts';
import {
  createSensorsBridge,
  RedisEventRelay,
  RedisLiveState,
  type OccupancyChanged,
  type SensorsBridge,
} from '../index.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe.runIf(TEST_REDIS_URL)('two instances sharing live state and events through Redis', () => {
  let db: TestDatabase;
  let facility: Awaited<ReturnType<typeof createFacility>>;
  const clock = new TestClock();
  const connections: Redis[] = [];
  let prefix = '';
  let a: SensorsBridge;
  let b: SensorsBridge;
  const seenOnB = new EventEmitter();
  const changesOn = new Map<SensorsBridge, OccupancyChanged[]>();

  const instance = async () => {
    const [state, pub, sub] = [testRedis(), testRedis(), testRedis()];
    connections.push(state.redis, pub.redis, sub.redis);
    const bridge = createSensorsBridge({
      db,
      clock,
      sweepEveryMs: 0,
      store: new RedisLiveState(state.redis, { prefix }),
      relay: new RedisEventRelay(pub.redis, sub.redis, console, { channel: `${prefix}events` }),
    });
    await bridge.start();
    const changes: OccupancyChanged[] = [];
    changesOn.set(bridge, changes);
    bridge.events.on('occupancy.changed', (e) => void changes.push(e));
    return bridge;
  };

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    facility = await createFacility(db, { spaces: { standard: 2 } });
    prefix = `spp-test:${randomBytes(4).toString('hex')}:`;
    a = await instance();
    b = await instance();
    b.events.on('occupancy.changed', (e) => void seenOnB.emit('change', e));
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    const keys = await connections[0]!.keys(`${prefix}*`);
    if (keys.length) await connections[0]!.del(...keys);
    await Promise.all(connections.map((c) => c.quit()));
    await db.close();
  });

  const topic = (space: string) => `parking/${facility.code}/${space}/occupancy`;

  it('shows a change one instance applied to the other, as an event and in its view', async () => {
    const arrived = once(seenOnB, 'change');
    await a.ingest(topic('standard-1'), json({ occupied: true, ts: clock.now().toISOString() }));
    const [event] = (await arrived) as [OccupancyChanged];
    expect(event).toMatchObject({ spaceCode: 'standard-1', state: 'occupied', facilityId: facility.id });
    expect(await b.unavailableNow(facility.id)).toEqual(new Set([facility.spaceIds.standard![0]]));
    expect((await b.occupancy(facility.id))!.totals).toMatchObject({ occupied: 1, sensed: 1 });
  });

  it('refuses on one instance a reading older than one the other accepted', async () => {
    const t = clock.now().getTime();
    await a.ingest(topic('standard-2'), json({ occupied: false, ts: new Date(t).toISOString() }));
    expect(
      await b.ingest(topic('standard-2'), json({ occupied: true, ts: new Date(t - 1000).toISOString() })),
    ).toMatchObject({
      reason: 'reading.out_of_order',
    });
  });

  it('publishes a sensor going offline once, however many instances notice it', async () => {
    clock.advance(minutes(11));
    const before = [...changesOn.values()].map((c) => c.length);
    const twoOn = (bridge: SensorsBridge) =>
      new Promise<void>((resolve) => {
        let n = 0;
        bridge.events.on('occupancy.changed', () => void (++n === 2 && resolve()));
      });
    const arrivals = Promise.all([twoOn(a), twoOn(b)]);
    await Promise.all([a.sweep(), b.sweep()]);
    await arrivals; // both spaces reach both instances…
    await a.ingest(topic('standard-1'), json({ occupied: true })); // …and nothing else is on its way before this
    await once(seenOnB, 'change');
    const after = [...changesOn.values()].map((c, i) => c.slice(before[i], -1));
    for (const changes of after) {
      expect(changes.map((c) => [c.spaceCode, c.state]).sort()).toEqual([
        ['standard-1', 'unknown'],
        ['standard-2', 'unknown'],
      ]);
    }
  });
});
