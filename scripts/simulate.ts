/**
 * npm run simulate — realistic sensor traffic for the demo city, published to the broker the
 * platform uses: arrivals and departures following a daily curve, heartbeats, a few sensors with
 * low batteries and a few that go silent. Most bays speak our JSON format; the demo's The Things
 * Stack devices send Bosch uplinks.
 *
 *   npm run simulate                                  # 20 messages/s until Ctrl-C
 *   npm run simulate -- --rate 200 --duration 10m     # faster, for ten minutes
 *   npm run simulate -- --speed 240 --url mqtt://broker.example:1883
 *
 * Broker: --url, else MQTT_URL, else the embedded broker of a running `npm start` (its address is
 * in DATA_DIR/mqtt-url, since it takes another port when 1883 is taken), else 127.0.0.1:1883.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { DEMO_CITY, DEMO_SENSORS } from '../prisma/seed.ts';
import { targetOccupancy } from './demand-curve.ts';
import { mulberry32 } from './mulberry32.ts';

const USAGE = `usage: npm run simulate -- [--rate <msgs/s>] [--duration <90s|10m|1h>] [--speed <sim×>] [--url <mqtt://…>] [--seed <n>]`;
const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '20' },
    duration: { type: 'string' },
    speed: { type: 'string', default: '60' },
    url: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
function duration(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v);
  if (!m) fail(`--duration must look like 90s, 10m or 1h, not "${v}"`);
  return Number(m[1]) * UNIT_MS[m[2] ?? 's']!;
}
function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, not "${v}"`);
  return n;
}
function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const rate = positive('rate', args.rate);
const runFor = duration(args.duration);
/** simulated seconds per real second: 60 plays a day in 24 minutes */
const speed = positive('speed', args.speed);
const embeddedBroker = () => {
  try {
    return readFileSync(join(process.env['DATA_DIR'] || './.data', 'mqtt-url'), 'utf8').trim() || null;
  } catch {
    return null;
  }
};
const url =
  args.url ??
  process.env['MQTT_URL'] ??
  (process.env['MQTT_BROKER_PORT'] ? `mqtt://127.0.0.1:${process.env['MQTT_BROKER_PORT']}` : null) ??
  embeddedBroker() ??
  'mqtt://127.0.0.1:1883';

// Seeded, so that --seed replays the same traffic.
const random = mulberry32(Number(args.seed ?? Date.now()));

interface SimSensor {
  readonly facilityCode: string;
  readonly spaceCode: string;
  /** set for The Things Stack devices */
  readonly ttnDeviceId: string | null;
  occupied: boolean;
  battery: number;
  readonly rssi: number;
  /** real ms after which it stops publishing; Infinity for most */
  readonly silentAfter: number;
  introduced: boolean;
  /** real ms of its last change; a real bay does not change every few seconds (that would be flapping) */
  lastChangeAt: number;
}

const MIN_DWELL_MS = 60_000;

const ttnByBay = new Map(DEMO_SENSORS.map((d) => [`${d.facilityCode}/${d.spaceCode}`, d.deviceId]));
const simStart = Date.now();
const silentWindow = runFor ?? 10 * 60_000;
const sensors: SimSensor[] = DEMO_CITY.flatMap((f) =>
  Array.from({ length: f.levels.length * f.perLevel }, (_, i): SimSensor => {
    // The same codes as prisma/seed.ts gives the bays.
    const level = f.levels[Math.floor(i / f.perLevel)]!;
    const spaceCode = `${level}-${String((i % f.perLevel) + 1).padStart(3, '0')}`;
    const lowBattery = random() < 0.03;
    return {
      facilityCode: f.code,
      spaceCode,
      ttnDeviceId: ttnByBay.get(`${f.code}/${spaceCode}`) ?? null,
      occupied: random() < targetOccupancy(f.code, new Date()),
      battery: lowBattery ? 5 + Math.floor(random() * 12) : 60 + Math.floor(random() * 41),
      rssi: -55 - Math.floor(random() * 50),
      silentAfter: random() < 0.02 ? silentWindow * (0.1 + random() * 0.4) : Infinity,
      introduced: false,
      lastChangeAt: Date.now() - random() * MIN_DWELL_MS,
    };
  }),
);

const jsonTopic = (s: SimSensor, what: 'occupancy' | 'heartbeat') =>
  `parking/${s.facilityCode}/${s.spaceCode}/${what}`;

function ttnUplink(s: SimSensor, fPort: number, bytes: number[]): [string, string] {
  const now = new Date().toISOString();
  const body = {
    end_device_ids: { device_id: s.ttnDeviceId, application_ids: { application_id: 'parking-demo' } },
    received_at: now,
    uplink_message: {
      f_port: fPort,
      frm_payload: Buffer.from(bytes).toString('base64'),
      rx_metadata: [{ gateway_ids: { gateway_id: 'demo-gw' }, rssi: s.rssi, snr: 7 }],
      received_at: now,
    },
  };
  return [`v3/parking-demo@ttn/devices/${s.ttnDeviceId}/up`, JSON.stringify(body)];
}

/** The next message from one sensor: an arrival/departure when the curve says so, else a heartbeat. */
function nextMessage(s: SimSensor, simulated: Date): [string, string] {
  const p = targetOccupancy(s.facilityCode, simulated);
  const before = s.occupied;
  const first = !s.introduced;
  s.introduced = true;
  // Arrive with probability p, stay with probability p: occupancy drifts towards the curve.
  if (!first && Date.now() - s.lastChangeAt >= MIN_DWELL_MS) s.occupied = random() < p;
  const changed = before !== s.occupied;
  if (changed) s.lastChangeAt = Date.now();
  s.battery = Math.max(1, s.battery - (random() < 0.01 ? 1 : 0));
  const ts = new Date().toISOString();
  if (s.ttnDeviceId) {
    const bit = s.occupied ? 1 : 0;
    // Bosch ports: 3 start-up (firmware 0.29.2, reset cause "power on"), 1 parking status, 2 heartbeat (+18 °C).
    if (first) return ttnUplink(s, 3, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 29, 2, 2, bit]);
    return changed ? ttnUplink(s, 1, [bit]) : ttnUplink(s, 2, [bit, 18]);
  }
  const reading = { occupied: s.occupied, ts, battery: s.battery, rssi: s.rssi };
  return changed
    ? [jsonTopic(s, 'occupancy'), JSON.stringify(reading)]
    : [jsonTopic(s, 'heartbeat'), JSON.stringify(reading)];
}

const client = mqtt.connect(url, { clientId: `spp-simulator-${process.pid}`, reconnectPeriod: 1000 });
client.on('error', (e) =>
  process.stderr.write(`\nMQTT: ${e.message} (is the platform running? broker ${url})\n`),
);
await new Promise<void>((resolve) => client.once('connect', () => resolve()));
console.log(
  `publishing to ${url}: ${sensors.length} bays in ${DEMO_CITY.length} car parks, ${rate} msg/s, ` +
    `a simulated day every ${(86_400 / speed / 60).toFixed(0)} min${runFor ? `, for ${args.duration}` : ''}. Ctrl-C stops.`,
);

let sent = 0;
let cursor = 0;
let stopping = false;
const tty = process.stdout.isTTY;
let lastLine = 0;

function progress(final = false) {
  const elapsed = (Date.now() - simStart) / 1000;
  const simulated = new Date(simStart + elapsed * 1000 * speed);
  const silent = sensors.filter((s) => Date.now() - simStart > s.silentAfter).length;
  const line =
    `[${new Date(elapsed * 1000).toISOString().slice(11, 19)}] sent ${sent} (${(sent / Math.max(elapsed, 0.001)).toFixed(1)}/s)` +
    ` · simulated ${simulated.toTimeString().slice(0, 5)}` +
    ` · occupied ${sensors.filter((s) => s.occupied).length}/${sensors.length}` +
    ` · silent ${silent} · low battery ${sensors.filter((s) => s.battery < 20).length}`;
  if (tty) process.stdout.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
  else if (final || Date.now() - lastLine >= 10_000) {
    console.log(line);
    lastLine = Date.now();
  }
}

// Publish in small batches every 10 ms, so high rates do not need one timer per message.
const TICK_MS = 10;
let owed = 0;
const ticker = setInterval(() => {
  if (stopping) return;
  const simulated = new Date(simStart + (Date.now() - simStart) * speed);
  owed += (rate * TICK_MS) / 1000;
  for (; owed >= 1; owed -= 1) {
    // First every bay once (so the platform knows them all), then random bays.
    const s = cursor < sensors.length ? sensors[cursor++]! : sensors[Math.floor(random() * sensors.length)]!;
    if (Date.now() - simStart > s.silentAfter) continue;
    const [topic, payload] = nextMessage(s, simulated);
    client.publish(topic, payload, { qos: 0 });
    sent += 1;
  }
}, TICK_MS);
const progressTimer = setInterval(() => progress(), tty ? 500 : 1000);

async function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  clearInterval(progressTimer);
  progress(true);
  await client.endAsync();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
if (runFor) setTimeout(() => void stop(), runFor);
