/**
 * npm run soak — two platform instances on loopback sharing PostgreSQL, Redis and an MQTT broker,
 * driven for SOAK_SECONDS by widget conversations (alternating instances, some reconnecting to the
 * other one mid-conversation), sensor traffic and REST API calls. Reports errors, p95 latencies,
 * memory growth per instance and leaked handles; exits non-zero when anything went wrong.
 *
 *   SOAK_SECONDS=600 npm run soak
 *
 * Settings: SOAK_SECONDS (60), SOAK_DRIVERS (8 concurrent conversations), SOAK_SENSOR_RATE (50 msg/s),
 * SOAK_API_RATE (10 req/s), SOAK_DATABASE_URL (a PostgreSQL user who may create databases; default
 * postgresql://postgres@127.0.0.1:5432/postgres — a throw-away database is made and dropped),
 * SOAK_REDIS_URL (redis://127.0.0.1:6379), SOAK_MQTT_URL (default: a private mosquitto on a free port).
 */
import mqtt from 'mqtt';
import { DEMO_CITY, DEMO_SENSORS } from '../prisma/seed.ts';
import { metricValue, startInstance, type Instance } from './soak/instances.ts';
import { startThrowAwayMosquitto, throwAwayDatabase } from './soak/services.ts';
import { WidgetDriver } from './soak/widget-driver.ts';

const env = process.env;
const SECONDS = Number(env['SOAK_SECONDS'] ?? 60);
const DRIVERS = Number(env['SOAK_DRIVERS'] ?? 8);
const SENSOR_RATE = Number(env['SOAK_SENSOR_RATE'] ?? 50);
const API_RATE = Number(env['SOAK_API_RATE'] ?? 10);
const DATABASE = env['SOAK_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS = env['SOAK_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
for (const [name, v] of Object.entries({ SECONDS, DRIVERS, SENSOR_RATE, API_RATE }))
  if (!Number.isFinite(v) || v <= 0) throw new Error(`SOAK_${name} must be a positive number`);

const errors = new Map<string, number>();
const firstError = new Map<string, string>();
const fail = (kind: string, detail: unknown) => {
  errors.set(kind, (errors.get(kind) ?? 0) + 1);
  if (!firstError.has(kind)) firstError.set(kind, detail instanceof Error ? detail.message : String(detail));
};
const turnMs: number[] = [];
const apiMs: number[] = [];
const counts = { conversations: 0, reconnects: 0, bookings: 0, sensorMessages: 0, apiCalls: 0 };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the platform: two instances on one database, one Redis, one broker
const database = await throwAwayDatabase(DATABASE, 'spp_soak');
const broker = env['SOAK_MQTT_URL'] ? null : await startThrowAwayMosquitto();
const mqttUrl = env['SOAK_MQTT_URL'] ?? broker!.url;
const shared = {
  DATABASE_URL: database.url,
  REDIS_URL: REDIS,
  MQTT_URL: mqttUrl,
  MQTT_SHARED_GROUP: 'soak',
  SEED_DEMO: 'true',
  LOG_LEVEL: 'warn',
};
console.log(`soak: ${SECONDS}s, ${DRIVERS} drivers, ${SENSOR_RATE} sensor msg/s, ${API_RATE} API req/s`);
const first = await startInstance(shared, 'soak-a');
const instances: Instance[] = [first, await startInstance(shared, 'soak-b')];

interface Sample {
  rss: number;
  heap: number;
  /** active handles (sockets, timers, servers) beyond the database pool's connections, which come and go with load */
  handles: number;
}
const sample = async (i: Instance): Promise<Sample> => {
  const text = await (await i.api('/metrics')).text();
  return {
    rss: metricValue(text, 'process_resident_memory_bytes') ?? NaN,
    heap: metricValue(text, 'nodejs_heap_size_used_bytes') ?? NaN,
    handles:
      (metricValue(text, 'nodejs_active_handles_total') ?? NaN) -
      (metricValue(text, 'spp_db_pool_connections', { state: 'total' }) ?? 0),
  };
};

// ---- load
const deadline = Date.now() + SECONDS * 1000;
const running = () => Date.now() < deadline;
const PLACES = ["King's Cross", 'Wembley', 'Westfield', 'Paddington', 'Southbank'];

async function conversation(n: number): Promise<void> {
  const home = instances[n % 2]!;
  const other = instances[(n + 1) % 2]!;
  let driver = await WidgetDriver.connect(home.url);
  try {
    const hour = 7 + (n % 12);
    const place = PLACES[n % PLACES.length]!;
    const plate = `SK${String(n % 100).padStart(2, '0')}${String.fromCharCode(65 + (n % 26))}AA`;
    const asked = await driver.say(
      `book a space at ${place} tomorrow ${hour} to ${hour + 1}, plate ${plate}`,
      /Shall I book it|no free|full|closed|Sorry/i,
    );
    turnMs.push(asked.ms);
    if (n % 3 === 0) {
      // the widget's socket drops and it reconnects — to the other instance
      driver.close();
      driver = await WidgetDriver.connect(other.url, driver.token);
      counts.reconnects++;
      if (!driver.history.length) fail('reconnect-without-history', `conversation ${n}`);
    }
    if (asked.replies.some((r) => /Shall I book it/.test(r.text ?? ''))) {
      // "Book it" holds the space with a Pay link to the test checkout; paying confirms it
      const held = await driver.press('confirm:yes', /holding the space|Sorry|no free space|taken/i);
      turnMs.push(held.ms);
      if (held.replies.some((r) => /holding the space/i.test(r.text ?? ''))) {
        await driver.pay(held.replies, /Payment received — booking confirmed/);
        counts.bookings++;
      }
    }
    turnMs.push((await driver.say('thanks!', /welcome|pleasure|anything else/i)).ms);
    for (const notice of driver.notices) fail(`notice:${notice.code}`, notice.message);
    counts.conversations++;
  } finally {
    driver.close();
  }
}

async function drivers(slot: number): Promise<void> {
  for (let n = slot; running(); n += DRIVERS) {
    await conversation(n).catch((e: unknown) => fail('conversation', e));
  }
}

async function sensors(): Promise<void> {
  const client = await mqtt.connectAsync(mqttUrl, { protocolVersion: 5 });
  const bays = DEMO_CITY.flatMap((f) =>
    Array.from({ length: 20 }, (_, i) => `${f.code}/${f.levels[0]}-${String(i + 1).padStart(3, '0')}`),
  );
  let k = 0;
  const tick = 100;
  while (running()) {
    const started = Date.now();
    const burst = Math.max(1, Math.round((SENSOR_RATE * tick) / 1000));
    for (let i = 0; i < burst; i++, k++) {
      const bay =
        k % 17 === 0
          ? `${DEMO_SENSORS[k % DEMO_SENSORS.length]!.facilityCode}/${DEMO_SENSORS[k % DEMO_SENSORS.length]!.spaceCode}`
          : bays[k % bays.length]!;
      const body =
        k % 50 === 0 ? 'garbage' : JSON.stringify({ occupied: k % 3 !== 0, ts: new Date().toISOString() });
      client.publish(`parking/${bay}/occupancy`, body, { qos: 0 });
      counts.sensorMessages++;
    }
    await sleep(Math.max(0, tick - (Date.now() - started)));
  }
  await client.endAsync();
}

async function api(): Promise<void> {
  const list = (await (await first.api('/api/v1/facilities')).json()) as {
    facilities: Array<{ id: string }>;
  };
  const ids = list.facilities.map((f) => f.id);
  let k = 0;
  while (running()) {
    const started = Date.now();
    const target = instances[k % 2]!;
    const id = ids[k % ids.length]!;
    const from = new Date(Date.now() + (30 + (k % 40)) * 86_400_000);
    from.setUTCHours(10, 0, 0, 0);
    const to = new Date(from.getTime() + 3_600_000);
    const calls: Array<[string, RequestInit & { json?: unknown }]> = [
      ['/api/v1/facilities?near=51.5316,-0.1236&radiusKm=5', {}],
      [`/api/v1/facilities/${id}/availability?from=${from.toISOString()}&to=${to.toISOString()}`, {}],
      ['/api/v1/quotes', { method: 'POST', json: { facilityId: id, from, to } }],
    ];
    const [path, init] = calls[k % calls.length]!;
    const t0 = performance.now();
    try {
      const r = await target.api(path, init);
      await r.arrayBuffer();
      apiMs.push(performance.now() - t0);
      counts.apiCalls++;
      if (r.status >= 500) fail(`api-${r.status}`, path);
      else if (r.status >= 400) fail(`api-${r.status}`, path);
    } catch (e) {
      fail('api-network', e);
    }
    k++;
    await sleep(Math.max(0, 1000 / API_RATE - (Date.now() - started)));
  }
}

const baseline = await Promise.all(instances.map(sample));
const timeline: Sample[][] = [];
const sampler = (async () => {
  while (running()) {
    await sleep(Math.min(30_000, (SECONDS * 1000) / 10));
    timeline.push(await Promise.all(instances.map(sample)).catch(() => []));
  }
})();
const warm = (async () => {
  await sleep(Math.min(60_000, SECONDS * 200));
  return Promise.all(instances.map(sample));
})();
await Promise.all([...Array.from({ length: DRIVERS }, (_, i) => drivers(i)), sensors(), api(), sampler]);
const warmed = await warm;

// ---- after the load: let sockets close and idle pool connections time out, then look for what stayed behind
await sleep(12_000);
const after = await Promise.all(instances.map(sample));
const stops = await Promise.all(
  instances.map(async (i) => {
    const t0 = performance.now();
    const code = await i.stop();
    return { code, ms: Math.round(performance.now() - t0) };
  }),
);
await database.drop();
await broker?.close();

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
console.log(`\nsoak finished after ${SECONDS}s`);
console.log(
  `  conversations ${counts.conversations} (reconnected to the other instance: ${counts.reconnects}), bookings confirmed ${counts.bookings}`,
);
console.log(`  sensor messages ${counts.sensorMessages}, API calls ${counts.apiCalls}`);
console.log(
  `  chat turn latency p50 ${pct(turnMs, 50).toFixed(0)} ms, p95 ${pct(turnMs, 95).toFixed(0)} ms (${turnMs.length} turns)`,
);
console.log(`  API latency p50 ${pct(apiMs, 50).toFixed(1)} ms, p95 ${pct(apiMs, 95).toFixed(1)} ms`);
let leaks = 0;
instances.forEach((_, n) => {
  const b = baseline[n]!;
  const w = warmed[n]!;
  const a = after[n]!;
  const leaked = a.handles - b.handles;
  if (leaked > 2) leaks++;
  console.log(
    `  instance ${n + 1}: RSS ${mb(b.rss)} idle → ${mb(w.rss)} warmed → ${mb(a.rss)} at the end (growth after warm-up ${mb(a.rss - w.rss)}); ` +
      `heap ${mb(w.heap)} → ${mb(a.heap)}; active handles idle ${b.handles} → after load ${a.handles}; ` +
      `SIGTERM exit ${stops[n]!.code} in ${stops[n]!.ms} ms`,
  );
});
const totalErrors = [...errors.values()].reduce((x, y) => x + y, 0);
console.log(`  errors: ${totalErrors}${totalErrors ? '' : ' (none)'}`);
for (const [kind, n] of errors) console.log(`    ${kind}: ${n} — first: ${firstError.get(kind)}`);
console.log(
  JSON.stringify({
    seconds: SECONDS,
    ...counts,
    errors: Object.fromEntries(errors),
    turnP95Ms: Math.round(pct(turnMs, 95)),
    apiP95Ms: Number(pct(apiMs, 95).toFixed(1)),
    instances: instances.map((_, n) => ({
      rssIdleMb: Number(mb(baseline[n]!.rss).split(' ')[0]),
      rssWarmMb: Number(mb(warmed[n]!.rss).split(' ')[0]),
      rssEndMb: Number(mb(after[n]!.rss).split(' ')[0]),
      handlesIdle: baseline[n]!.handles,
      handlesEnd: after[n]!.handles,
      exit: stops[n]!.code,
    })),
    timelineRssMb: timeline.map((s) => s.map((x) => Math.round(x.rss / 1048576))),
  }),
);
process.exit(totalErrors || leaks || stops.some((s) => s.code !== 0) ? 1 : 0);
