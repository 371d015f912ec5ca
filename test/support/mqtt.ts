import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../sensors-bridge/index.ts';

/**
 * Mosquitto suites run when TEST_MQTT_URL is set (CI sets it; `.ci/run` makes sure Mosquitto
 * answers). Then an unreachable broker fails those suites; it never silently skips them. Without it,
 * the same suites run against the embedded broker only.
 */
export const TEST_MQTT_URL = process.env['TEST_MQTT_URL'] || undefined;

export type BrokerKind = 'embedded' | 'mosquitto';
export const BROKERS: BrokerKind[] = TEST_MQTT_URL ? ['embedded', 'mosquitto'] : ['embedded'];

if (!TEST_MQTT_URL)
  console.warn('TEST_MQTT_URL is not set: MQTT suites run against the embedded broker only');

export interface TestBroker {
  readonly kind: BrokerKind;
  readonly url: string;
  /** MQTT 5 where the broker speaks it (shared subscriptions need a broker that does) */
  readonly protocolVersion: 4 | 5;
  close(): Promise<void>;
}

/** The embedded broker on a random port, or the Mosquitto of TEST_MQTT_URL (left running). */
export async function startTestBroker(kind: BrokerKind): Promise<TestBroker> {
  if (kind === 'mosquitto') {
    if (!TEST_MQTT_URL) throw new Error('TEST_MQTT_URL is not set');
    return { kind, url: TEST_MQTT_URL, protocolVersion: 5, close: async () => {} };
  }
  const broker = await startEmbeddedBroker({ port: 0 });
  return { kind, url: broker.url, protocolVersion: 4, close: () => broker.close() };
}

/** A broker that can be stopped and started again on the same port, to test a broker restart. */
export interface RestartableBroker extends TestBroker {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A free TCP port on loopback (for a server that must come back on the same port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((r) => server.close(r));
  return port;
}

/** An embedded broker, or a private Mosquitto process (never the shared one), on a port of its own. */
export async function startRestartableBroker(kind: BrokerKind): Promise<RestartableBroker> {
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  if (kind === 'embedded') {
    let broker: EmbeddedBroker | null = await startEmbeddedBroker({ port });
    return {
      kind,
      url,
      protocolVersion: 4,
      stop: async () => {
        await broker?.close();
        broker = null;
      },
      start: async () => {
        broker = await startEmbeddedBroker({ port });
      },
      close: async () => {
        await broker?.close();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'spp-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
    await waitForPort(port);
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (c && c.exitCode === null) {
      c.kill('SIGTERM');
      await once(c, 'exit');
    }
  };
  await start();
  return {
    kind,
    url,
    protocolVersion: 5,
    start,
    stop,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A topic prefix of its own per test, so suites sharing one Mosquitto never see each other's traffic. */
export const testTopicPrefix = () => `spp-test/${randomBytes(4).toString('hex')}/`;

/** A plain MQTT client, connected. */
export async function mqttClient(broker: Pick<TestBroker, 'url' | 'protocolVersion'>): Promise<MqttClient> {
  return mqtt.connectAsync(broker.url, { protocolVersion: broker.protocolVersion, reconnectPeriod: 200 });
}

/** Everything published on a topic from now on. */
export async function collect(client: MqttClient, topic: string): Promise<Array<Record<string, unknown>>> {
  const got: Array<Record<string, unknown>> = [];
  client.on('message', (t, payload) => {
    if (t === topic) got.push(JSON.parse(payload.toString()) as Record<string, unknown>);
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return got;
}

/**
 * Waits until `check` passes (it throws or returns false until then), polling, up to `timeoutMs`.
 * For conditions with no event to wait on (a counter in another process reaching a number).
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await check();
      if (r !== false) return r;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An uplink as The Things Stack v3 publishes it, trimmed of fields the bridge does not read. */
export function ttnUplink(
  deviceId: string,
  up: {
    fPort?: number;
    bytes?: number[];
    decoded?: Record<string, unknown>;
    receivedAt?: string;
    rssi?: number[];
  },
) {
  return {
    end_device_ids: {
      device_id: deviceId,
      application_ids: { application_id: 'parking-app' },
      dev_eui: '70B3D5E75E000001',
    },
    correlation_ids: ['as:up:01H0000000000000000000000'],
    received_at: up.receivedAt ?? '2030-06-03T08:00:00.123456789Z',
    uplink_message: {
      session_key_id: 'AYc2Wc0G2nI=',
      f_port: up.fPort ?? 1,
      f_cnt: 42,
      ...(up.bytes ? { frm_payload: Buffer.from(up.bytes).toString('base64') } : {}),
      ...(up.decoded ? { decoded_payload: up.decoded } : {}),
      rx_metadata: (up.rssi ?? [-97]).map((rssi, i) => ({
        gateway_ids: { gateway_id: `gw-${i}` },
        rssi,
        channel_rssi: rssi,
        snr: 7.2,
      })),
      settings: { data_rate: { lora: { bandwidth: 125000, spreading_factor: 7 } }, frequency: '868100000' },
      received_at: up.receivedAt ?? '2030-06-03T08:00:00.100Z',
      consumed_airtime: '0.046336s',
    },
  };
}

/** Real Bosch Parking Lot Sensor payloads (the device codec's examples). */
export const BOSCH = {
  occupied: [0x01],
  free: [0x00],
  heartbeatOccupied: [0x01, 0xff],
  startup: [0x24, 3, 0, 0, 0x75, 3, 0, 0, 0, 0, 0, 0, 0, 29, 2, 3, 1],
} as const;
