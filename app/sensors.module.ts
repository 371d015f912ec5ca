import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BrokerPortInUseError,
  connectBridge,
  createSensorsBridge,
  RedisEventRelay,
  RedisLiveState,
  startEmbeddedBroker,
  type EmbeddedBroker,
  type MqttLink,
  type SensorsBridge,
} from '../sensors-bridge/index.ts';
import { redactUrl } from './logger.ts';
import { sensorRoutes } from './http/sensors.routes.ts';
import type { Metrics } from './metrics.ts';
import type { OccupancyRelay, PlatformContext, PlatformModule } from './module.ts';
import { attachLive } from './sensors-live.ts';

/**
 * Sensors: the bridge (live occupancy, sensor health, history), its MQTT connection — to MQTT_URL,
 * or to an embedded broker on MQTT_BROKER_HOST:MQTT_BROKER_PORT — its REST routes and the `/live`
 * namespace. With REDIS_URL, live state and events are shared by every instance.
 */
export async function createSensorsModule(
  ctx: PlatformContext,
  occupancy: OccupancyRelay,
): Promise<PlatformModule> {
  const { config } = ctx;
  const logger = ctx.logger.child({ module: 'sensors' });
  if (config.MQTT_SHARED_GROUP && !config.MQTT_URL) {
    // Each instance would start its own broker; there would be nothing to share.
    throw new Error(
      'MQTT_SHARED_GROUP needs an external broker: set MQTT_URL (e.g. mqtt://127.0.0.1:1883 for Mosquitto); ' +
        'the embedded broker has no shared subscriptions',
    );
  }
  const stateRedis = ctx.redis('sensors-state');
  const eventsRedis = ctx.redis('sensors-events', { subscriber: true });
  const bridge = createSensorsBridge({
    db: ctx.db,
    logger,
    rules: { offlineAfterMs: config.SENSOR_OFFLINE_AFTER },
    ...(stateRedis && eventsRedis
      ? { store: new RedisLiveState(stateRedis), relay: new RedisEventRelay(stateRedis, eventsRedis, logger) }
      : {}),
  });
  occupancy.plug(bridge);
  observeSensors(ctx.metrics, bridge, () => link);
  // Live views (chat cards) recount free spaces; events relayed from other instances count too.
  bridge.events.on('occupancy.changed', (e) => ctx.facilityChanges.notify(e.facilityId));

  let broker: EmbeddedBroker | null = null;
  let link: MqttLink | null = null;
  let detach: (() => void) | null = null;
  const stop = async () => {
    detach?.();
    await link?.close();
    await bridge.stop();
    await broker?.close();
  };

  return {
    name: 'sensors',
    routes: sensorRoutes(bridge),
    attach: (io) => {
      detach = attachLive(io, bridge);
    },
    start: async () => {
      try {
        await bridge.start();
        if (!config.MQTT_URL) {
          broker = await startBroker(config.MQTT_BROKER_PORT, config.MQTT_BROKER_HOST, logger);
          logger.info({ broker: broker.url }, 'embedded MQTT broker listening; set MQTT_URL for a real one');
          // `npm run simulate` finds the embedded broker here, whatever port it got.
          await writeFile(join(config.DATA_DIR, 'mqtt-url'), `${broker.url}\n`).catch(() => {});
        }
        const url = config.MQTT_URL ?? broker!.url;
        link = await connectBridge(
          bridge,
          {
            url,
            // Shared subscriptions are an MQTT 5 feature; 3.1.1 otherwise, which every broker speaks.
            protocolVersion: config.MQTT_SHARED_GROUP ? 5 : 4,
            ...(config.MQTT_SHARED_GROUP ? { sharedGroup: config.MQTT_SHARED_GROUP } : {}),
          },
          logger,
        );
        logger.info(
          {
            broker: redactUrl(url),
            sharedGroup: config.MQTT_SHARED_GROUP ?? null,
            redis: Boolean(stateRedis),
          },
          'sensors bridge listening',
        );
      } catch (e) {
        await stop().catch(() => {});
        throw e;
      }
    },
    stop,
    checks: async () => ({
      mqtt: link?.client.connected ? 'ok' : 'disconnected (live occupancy paused until it returns)',
    }),
    banner: () => [
      [
        'MQTT broker',
        broker ? `${broker.url} (embedded)` : config.MQTT_URL ? redactUrl(config.MQTT_URL) : 'not connected',
      ],
    ],
  };
}

const DEFAULT_BROKER_PORT = 1883;

/**
 * The embedded broker on MQTT_BROKER_PORT when it is set (a taken port stops start-up with
 * BrokerPortInUseError), else on 1883 — or, when something (usually Mosquitto) already has 1883,
 * on any free port, so a first `npm start` works on any machine.
 */
async function startBroker(port: number | undefined, host: string, logger: PlatformContext['logger']) {
  if (port !== undefined) return startEmbeddedBroker({ port, host });
  try {
    return await startEmbeddedBroker({ port: DEFAULT_BROKER_PORT, host });
  } catch (e) {
    if (!(e instanceof BrokerPortInUseError)) throw e;
    logger.info(
      `port ${DEFAULT_BROKER_PORT} is taken (another MQTT broker?), so the embedded one takes a free port; ` +
        'set MQTT_URL to use that broker instead, or MQTT_BROKER_PORT to pin the port',
    );
    return startEmbeddedBroker({ port: 0, host });
  }
}

/** How often, at most, the sensor list is read for `spp_sensors` (a scrape may come every few seconds). */
const SENSOR_GAUGE_TTL_MS = 15_000;

/** Sensor traffic, dead letters, sensors by health and the MQTT connection, read at scrape time. */
function observeSensors(metrics: Metrics, bridge: SensorsBridge, link: () => MqttLink | null): void {
  metrics.counter({
    name: 'spp_sensor_messages_total',
    help: 'Sensor messages by outcome: accepted, or rejected (dead-lettered) with the reason',
    labelNames: ['outcome', 'reason'],
    collect() {
      const stats = bridge.stats();
      this.reset();
      this.inc({ outcome: 'accepted', reason: '' }, stats.accepted);
      for (const [reason, n] of Object.entries(stats.rejected))
        if (n) this.inc({ outcome: 'rejected', reason }, n);
    },
  });
  metrics.gauge({
    name: 'spp_mqtt_connected',
    help: '1 while the sensors bridge is connected to its MQTT broker',
    collect() {
      this.set(link()?.client.connected ? 1 : 0);
    },
  });
  let cached: { at: number; counts: Map<string, number> } | null = null;
  metrics.gauge({
    name: 'spp_sensors',
    help: 'Registered sensors by health status',
    labelNames: ['status'],
    async collect() {
      if (!cached || Date.now() - cached.at > SENSOR_GAUGE_TTL_MS) {
        const counts = new Map<string, number>();
        for (const s of await bridge.sensors.list().catch(() => [])) {
          const status = s.live?.status ?? 'unknown';
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }
        cached = { at: Date.now(), counts };
      }
      this.reset();
      for (const [status, n] of cached.counts) this.set({ status }, n);
    },
  });
}
