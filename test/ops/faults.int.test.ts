import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../support/databases.ts';
import { eventually } from '../support/mqtt.ts';
import {
  startTcpProxy,
  startThrowAwayMosquitto,
  startThrowAwayRedis,
  throwAwayDatabase,
  type ThrowAwayServer,
} from '../../scripts/soak/services.ts';
import { WidgetDriver } from '../../scripts/soak/widget-driver.ts';
import { startInstance, type Instance } from './harness.ts';

if (!TEST_DATABASE_URL) console.warn('TEST_DATABASE_URL is not set: fault suites are skipped');

/** The sum of a metric's samples in Prometheus text. */
const total = (text: string, name: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);

/**
 * Two instances whose PostgreSQL (through a proxy the test can cut), Redis and Mosquitto are
 * private to this suite, so each can fail and come back without touching anything shared.
 */
describe.skipIf(!TEST_DATABASE_URL)('backends failing and coming back, with two instances running', () => {
  let database: Awaited<ReturnType<typeof throwAwayDatabase>>;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let redis: ThrowAwayServer;
  let broker: ThrowAwayServer;
  let a: Instance;
  let b: Instance;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await throwAwayDatabase(TEST_DATABASE_URL!);
    const direct = new URL(database.url);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    redis = await startThrowAwayRedis();
    broker = await startThrowAwayMosquitto();
    const env = {
      DATABASE_URL: viaProxy.toString(),
      REDIS_URL: redis.url,
      MQTT_URL: broker.url,
      MQTT_SHARED_GROUP: 'faults',
      SEED_DEMO: 'true',
    };
    a = await startInstance(env, 'fault-a');
    b = await startInstance(env, 'fault-b');
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  }, 300_000);
  afterAll(async () => {
    await sql?.end();
    await a?.stop();
    await b?.stop();
    await proxy?.close();
    await redis?.close();
    await broker?.close();
    await database?.drop();
  });

  const book = async (driver: WidgetDriver, text: string) => {
    await driver.say(text, /Shall I book it/);
    // "Book it" holds the space with a Pay link; paying at the test checkout confirms it
    const held = await driver.press('confirm:yes', /holding the space/);
    return driver.pay(held.replies, /Payment received — booking confirmed/);
  };

  it('Redis dies mid-conversation and comes back: no booking lost, chat carries on, no restart', async () => {
    const first = await WidgetDriver.connect(a.url);
    await book(first, "book a space at King's Cross tomorrow 9 to 10, plate RD11 AAA");
    first.close();
    const midFlow = await WidgetDriver.connect(a.url);
    await midFlow.say('book a space at Wembley tomorrow 11 to 12, plate RD22 BBB', /Shall I book it/);

    await redis.kill();
    try {
      await eventually(async () => {
        const r = await a.api('/readyz');
        expect(r.status).toBe(503);
        expect(((await r.json()) as { checks: { redis: string } }).checks.redis).toMatch(/unavailable/);
      }, 20_000);
      // bookings live in PostgreSQL: the REST API still has them
      const [booked] = (
        await sql.query<{ id: string }>(`SELECT id FROM booking WHERE replace(plate, ' ', '') = 'RD11AAA'`)
      ).rows;
      expect(booked).toBeDefined();
      const found = await b.api(`/api/v1/bookings/${booked!.id}`);
      expect(found.status).toBe(200);
      expect(await found.json()).toMatchObject({ status: 'confirmed' });
    } finally {
      await redis.start(); // empty: Redis ran without persistence
    }
    await eventually(async () => expect((await a.api('/readyz')).status).toBe(200), 30_000);
    await eventually(async () => expect((await b.api('/readyz')).status).toBe(200), 30_000);
    // the driver mid-flow gets an answer (the flow restarts cleanly when its state is gone)
    const after = await midFlow.press('confirm:yes', /./, 30_000);
    expect(after.replies.length).toBeGreaterThan(0);
    midFlow.close();
    // and new conversations book again, on either instance
    const next = await WidgetDriver.connect(b.url);
    await book(next, 'book a space at Paddington tomorrow 13 to 14, plate RD33 CCC');
    next.close();
    const rows = await sql.query<{ plate: string; status: string }>(
      `SELECT plate, status FROM booking WHERE plate LIKE 'RD%' AND status = 'confirmed' ORDER BY plate`,
    );
    expect(rows.rows.map((r) => r.plate.replace(/\s/g, ''))).toEqual(
      expect.arrayContaining(['RD11AAA', 'RD33CCC']),
    );
  });

  it('PostgreSQL unreachable: requests get 503 with a clear body, not hangs, and recover when it returns', async () => {
    proxy.block();
    try {
      const started = Date.now();
      const r = await a.api('/api/v1/facilities', { signal: AbortSignal.timeout(30_000) });
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBeTruthy();
      expect(await r.json()).toMatchObject({
        code: 'SERVICE.UNAVAILABLE',
        message: expect.stringMatching(/unavailable/),
      });
      expect(Date.now() - started).toBeLessThan(30_000);
      const ready = await a.api('/readyz', { signal: AbortSignal.timeout(10_000) });
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { database: string } }).checks.database).toMatch(
        /unavailable/,
      );
    } finally {
      proxy.unblock();
    }
    for (const i of [a, b])
      await eventually(async () => expect((await i.api('/api/v1/facilities')).status).toBe(200), 30_000);
    expect((await a.api('/readyz')).status).toBe(200);
  });

  it('the MQTT broker dies and comes back: sensors resume, readiness reports it, nothing restarts', async () => {
    const sensorTotal = async () =>
      total(await (await a.api('/metrics')).text(), 'spp_sensor_messages_total') +
      total(await (await b.api('/metrics')).text(), 'spp_sensor_messages_total');
    const publish = async () => {
      const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
      await client.publishAsync('parking/KXC/B1-001/occupancy', JSON.stringify({ occupied: true }), {
        qos: 1,
      });
      await client.endAsync();
    };
    const before = await sensorTotal();
    await publish();
    await eventually(async () => expect(await sensorTotal()).toBe(before + 1));

    await broker.kill();
    await eventually(async () => {
      const r = await a.api('/readyz');
      expect(r.status).toBe(200); // chat and bookings go on without sensors
      expect(((await r.json()) as { checks: { mqtt: string } }).checks.mqtt).toMatch(/disconnected/);
    }, 20_000);

    await broker.start();
    await eventually(async () => {
      for (const i of [a, b])
        expect(((await (await i.api('/readyz')).json()) as { checks: { mqtt: string } }).checks.mqtt).toBe(
          'ok',
        );
    }, 30_000);
    // subscriptions are renewed after the reconnect: new messages arrive again
    await eventually(async () => {
      await publish();
      expect(await sensorTotal()).toBeGreaterThanOrEqual(before + 2);
    }, 30_000);
  });
});
