import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../support/databases.ts';
import { eventually } from '../support/mqtt.ts';
import { TEST_REDIS_URL } from '../support/redis.ts';
import { metricValue, startInstance, type Instance } from './harness.ts';
import {
  startThrowAwayMosquitto,
  throwAwayDatabase,
  type ThrowAwayServer,
} from '../../scripts/soak/services.ts';
import { WidgetDriver } from '../../scripts/soak/widget-driver.ts';

const ready = Boolean(TEST_DATABASE_URL && TEST_REDIS_URL);
if (!ready)
  console.warn('TEST_DATABASE_URL and TEST_REDIS_URL are not both set: two-instance suites are skipped');

const inDays = (d: number, hour: number) => {
  const t = new Date(Date.now() + d * 86_400_000);
  t.setUTCHours(hour, 0, 0, 0);
  return t.toISOString();
};

/**
 * Two platform processes on loopback sharing one PostgreSQL database, Redis and a Mosquitto —
 * the topology of the Kubernetes deployment, on one machine.
 */
describe.skipIf(!ready)('two instances behind one database, Redis and broker', () => {
  let database: Awaited<ReturnType<typeof throwAwayDatabase>>;
  let broker: ThrowAwayServer;
  let a: Instance;
  let b: Instance;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await throwAwayDatabase(TEST_DATABASE_URL!);
    broker = await startThrowAwayMosquitto();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL!,
      MQTT_URL: broker.url,
      MQTT_SHARED_GROUP: 'ops',
      SEED_DEMO: 'true',
      LIFECYCLE_INTERVAL_SECONDS: '1',
    };
    a = await startInstance(env, 'a');
    b = await startInstance(env, 'b');
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  }, 300_000); // two processes start (and train their NLU) on a machine that may be busy
  afterAll(async () => {
    await sql?.end();
    await a?.stop();
    await b?.stop();
    await broker?.close();
    await database?.drop();
  });

  it('keeps a widget conversation — history and the flow under way — when it reconnects to the other instance', async () => {
    const first = await WidgetDriver.connect(a.url);
    const asked = await first.say(
      "book a space at King's Cross tomorrow 10 to 12, plate OPS 123",
      /Shall I book it/,
    );
    expect(asked.replies.map((r) => r.text).join(' ')).toMatch(/King's Cross/);
    first.close();

    const again = await WidgetDriver.connect(b.url, first.token);
    try {
      expect(again.conversationId).toBe(first.conversationId);
      expect(again.history.map((h) => h.text ?? '').join('\n')).toMatch(/Shall I book it/);
      // mid-flow: the confirmation the first instance asked for is answered on the second
      const held = await again.press('confirm:yes', /holding the space/);
      // paying at the test checkout confirms it, and the chat is told
      const paid = await again.pay(held.replies, /Payment received — booking confirmed/);
      expect(paid.confirmation.text).toMatch(/confirmed/i);
    } finally {
      again.close();
    }
    const booked = await sql.query<{ status: string }>(
      `SELECT status FROM booking WHERE plate = 'OPS123' OR plate = 'OPS 123'`,
    );
    expect(booked.rows.map((r) => r.status)).toEqual(['confirmed']);
  });

  it('expires lapsed holds and activates started bookings exactly once between the two', async () => {
    const facilities = (await (await a.api('/api/v1/facilities')).json()) as {
      facilities: Array<{ id: string; code: string }>;
    };
    const kxc = facilities.facilities.find((f) => f.code === 'KXC')!;
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const r = await (i % 2 ? a : b).api('/api/v1/bookings', {
        method: 'POST',
        json: { facilityId: kxc.id, from: inDays(3, 8), to: inDays(3, 9), plate: `EXP ${i}` },
      });
      expect(r.status).toBe(201);
      ids.push(((await r.json()) as { id: string }).id);
    }
    const held = ids.slice(0, 16);
    const started = ids.slice(16);
    for (const id of started)
      expect((await a.api(`/api/v1/bookings/${id}/confirm`, { method: 'POST' })).status).toBe(200);
    // Time passes (as the database sees it): holds lapse, confirmed bookings begin.
    await sql.query(
      `UPDATE booking SET hold_expires_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])`,
      [held],
    );
    await sql.query(
      `UPDATE booking SET starts_at = now() - interval '1 minute', ends_at = now() + interval '2 hours' WHERE id = ANY($1::uuid[])`,
      [started],
    );
    await eventually(async () => {
      const r = await sql.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM booking WHERE id = ANY($1::uuid[]) GROUP BY status`,
        [ids],
      );
      expect(Object.fromEntries(r.rows.map((x) => [x.status, x.n]))).toEqual({ expired: 16, active: 8 });
    }, 20_000);
    // let both instances run a few more times: nothing happens twice
    await new Promise((r) => setTimeout(r, 3000));
    const events = await sql.query<{ to_status: string; n: number }>(
      `SELECT to_status, count(*)::int AS n FROM booking_event
        WHERE booking_id = ANY($1::uuid[]) AND to_status IN ('expired', 'active')
        GROUP BY booking_id, to_status HAVING count(*) > 0`,
      [ids],
    );
    expect(events.rows).toHaveLength(24);
    expect(events.rows.every((e) => e.n === 1)).toBe(true);
    const counted = async (i: Instance, outcome: string) =>
      metricValue(await (await i.api('/metrics')).text(), 'spp_bookings_total', { outcome }) ?? 0;
    expect((await counted(a, 'expired')) + (await counted(b, 'expired'))).toBe(16);
    expect((await counted(a, 'activated')) + (await counted(b, 'activated'))).toBe(8);
  });

  it('on SIGTERM finishes the turn under way, then lets the driver carry on at the other instance', async () => {
    const bystander = await WidgetDriver.connect(b.url);
    const driver = await WidgetDriver.connect(a.url);
    const reply = driver.say(
      'book a space at Paddington tomorrow 14 to 15, plate TR12 ABC',
      /Shall I book it/,
    );
    const exit = a.stop('SIGTERM');
    const answered = await reply; // answered on the open socket before the instance let it go
    expect(answered.replies.length).toBeGreaterThan(0);
    expect(await exit).toBe(0);
    await eventually(() => expect(driver.connected).toBe(false));
    // drivers on the other instance are not touched by this one's shutdown
    expect(bystander.connected).toBe(true);
    bystander.close();

    const again = await WidgetDriver.connect(b.url, driver.token);
    try {
      const held = await again.press('confirm:yes', /holding the space/);
      await again.pay(held.replies, /Payment received — booking confirmed/);
    } finally {
      again.close();
    }
    expect(a.logs.some((l) => l['msg'] === 'shutting down')).toBe(true);
    expect(a.logs.filter((l) => Number(l['level']) >= 50)).toEqual([]);
  });
});
