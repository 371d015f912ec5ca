import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { createLogger } from '../../app/logger.ts';
import { startPlatform, type Platform } from '../../app/platform.ts';
import { freshDatabase, TEST_DATABASE_URL, type TestDatabase } from '../support/databases.ts';
import { eventually, mqttClient } from '../support/mqtt.ts';
import { TEST_REDIS_URL } from '../support/redis.ts';
import { metricValue, OPS_API_KEY } from './harness.ts';

const METRICS_TOKEN = 'metrics-token-0123456789';
const inDays = (d: number, hour: number) => {
  const t = new Date(Date.now() + d * 86_400_000);
  t.setUTCHours(hour, 0, 0, 0);
  return t.toISOString();
};

describe('metrics, request ids and readiness', () => {
  let platform: Platform;
  let database: TestDatabase | undefined;
  let dataDir: string;
  const lines: Array<Record<string, unknown>> = [];
  const auth = { authorization: `Bearer ${OPS_API_KEY}` };
  const get = (path: string, headers: Record<string, string> = auth) =>
    fetch(platform.url + path, { headers });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'spp-obs-'));
    if (TEST_DATABASE_URL) database = await freshDatabase('postgres');
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      API_KEYS: OPS_API_KEY,
      MQTT_BROKER_PORT: '0',
      SEED_DEMO: 'true',
      METRICS_TOKEN,
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
      ...(TEST_REDIS_URL ? { REDIS_URL: TEST_REDIS_URL } : {}),
    });
    platform = await startPlatform(config, createLogger('debug', 'json', sink), {
      onGeneratedApiKey: () => {},
    });
  });
  afterAll(async () => {
    await platform?.close();
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves Prometheus metrics only with METRICS_TOKEN', async () => {
    expect((await get('/metrics', {})).status).toBe(401);
    expect((await get('/metrics', { authorization: 'Bearer wrong-token-000000000' })).status).toBe(401);
    const ok = await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await ok.text();
    for (const name of [
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'spp_chat_turns_total',
    ])
      expect(text).toContain(name);
  });

  it('times requests by route template and status, and counts holds and bookings by outcome', async () => {
    const list = (await (await get('/api/v1/facilities')).json()) as {
      facilities: Array<{ id: string; code: string }>;
    };
    const kxc = list.facilities.find((f) => f.code === 'KXC')!;
    expect((await get(`/api/v1/facilities/${kxc.id}`)).status).toBe(200);
    expect((await get('/api/v1/bookings/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const book = (from: string, to: string) =>
      fetch(`${platform.url}/api/v1/bookings`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ facilityId: kxc.id, from, to, plate: 'OBS 1' }),
      });
    const held = (await (await book(inDays(2, 9), inDays(2, 10))).json()) as { id: string };
    expect((await book(inDays(2, 9), inDays(9, 10))).status).toBe(409); // longer than the 72 h max stay
    await fetch(`${platform.url}/api/v1/bookings/${held.id}/confirm`, { method: 'POST', headers: auth });

    const text = await (await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).text();
    const count = (route: string, status: string) =>
      metricValue(text, 'spp_http_request_duration_seconds_count', { method: 'GET', route, status });
    expect(count('/api/v1/facilities/:id', '200')).toBe(1);
    expect(count('/api/v1/bookings/:id', '404')).toBe(1);
    expect(text).not.toContain('00000000-0000-4000'); // ids never become label values
    expect(metricValue(text, 'spp_booking_holds_total', { outcome: 'held' })).toBe(1);
    expect(metricValue(text, 'spp_booking_holds_total', { outcome: 'BOOKING.TOO_LONG' })).toBe(1);
    expect(metricValue(text, 'spp_bookings_total', { outcome: 'confirmed' })).toBe(1);
    if (database) expect(metricValue(text, 'spp_db_pool_connections', { state: 'max' })).toBe(10);
    if (TEST_REDIS_URL) expect(metricValue(text, 'spp_redis_connected', { purpose: 'bot-state' })).toBe(1);
    // booking changes are logged with the booking's id
    expect(lines.some((l) => l['msg'] === 'booking.confirmed' && l['bookingId'] === held.id)).toBe(true);
  });

  it('counts chat turns by channel with their latency, and NLU fallbacks', async () => {
    const socket = io(`${platform.url}/chat`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const replies: unknown[] = [];
    socket.on('activity', (a) => replies.push(a));
    await new Promise((resolve) => socket.once('session', resolve));
    const metrics = async () => (await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).text();
    const turns = async () =>
      metricValue(await metrics(), 'spp_chat_turns_total', { channel: 'web', outcome: 'answered' });
    socket.emit('message', { text: 'hello' });
    await eventually(async () => expect(await turns()).toBe(1));
    socket.emit('message', { text: 'what is the capital of mongolia' });
    await eventually(async () => expect(await turns()).toBe(2));
    await eventually(() => expect(replies.length).toBeGreaterThanOrEqual(2));
    socket.close();
    await eventually(async () =>
      expect(metricValue(await metrics(), 'spp_chat_turn_duration_seconds_count', { channel: 'web' })).toBe(
        2,
      ),
    );
    const text = await metrics();
    expect(metricValue(text, 'spp_nlu_fallbacks_total', { locale: 'en' })).toBe(1);
  });

  it('counts sensor messages and dead letters, and reports the MQTT connection', async () => {
    const broker = Object.fromEntries(platform.banner)['MQTT broker']!.split(' ')[0]!;
    const client = await mqttClient({ url: broker, protocolVersion: 4 });
    await client.publishAsync('parking/KXC/A-001/occupancy', 'not json', { qos: 1 });
    await client.endAsync();
    await eventually(async () => {
      const text = await (await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).text();
      expect(metricValue(text, 'spp_sensor_messages_total', { outcome: 'rejected' })).toBeGreaterThanOrEqual(
        1,
      );
      expect(metricValue(text, 'spp_mqtt_connected')).toBe(1);
    });
  });

  it('gives every request an id, keeps a caller’s, and logs it', async () => {
    const fresh = await get('/api/v1/bookings/not-a-uuid');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await get('/api/v1/nowhere', { ...auth, 'x-request-id': 'trace-abc.123' });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc.123');
    const forged = await get('/healthz', { 'x-request-id': 'bad id\twith spaces' });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/); // replaced, not echoed
    await eventually(() =>
      expect(
        lines.some(
          (l) => l['requestId'] === 'trace-abc.123' && (l['res'] as { status: number })?.status === 404,
        ),
      ).toBe(true),
    );
    expect(JSON.stringify(lines)).not.toContain(OPS_API_KEY);
  });

  it('reports the database, Redis and the MQTT broker in /readyz', async () => {
    const r = await get('/readyz', {});
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', mqtt: 'ok', ...(TEST_REDIS_URL ? { redis: 'ok' } : {}) },
    });
  });
});
