import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { hostname } from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';
import type { SensorsBridge } from '../bridge.ts';
import type { BridgeLogger } from '../dead-letters.ts';
import { subscriptionFilters } from '../payloads/topics.ts';

export interface BridgeMqttOptions {
  readonly url: string;
  /** 5 for real brokers (shared subscriptions); 4 (MQTT 3.1.1) for the embedded one */
  readonly protocolVersion?: 4 | 5;
  /** subscribe as `$share/<group>/…` so that instances split the traffic */
  readonly sharedGroup?: string;
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  /** how long to wait for the first connection before carrying on and retrying in the background (default 5 s) */
  readonly connectWaitMs?: number;
  readonly reconnectPeriodMs?: number;
}

/** The bridge's MQTT connection. */
export interface MqttLink {
  readonly client: MqttClient;
  /** resolves the next time the subscriptions are in place (after a connect or reconnect) */
  nextSubscribed(): Promise<void>;
  /** unsubscribes and disconnects; messages already received are still being handled by the bridge */
  close(): Promise<void>;
}

/**
 * Connects the bridge to a broker: subscribes to sensor topics again after every reconnect (a
 * broker restart loses subscriptions), hands each message to `bridge.ingest`, and publishes the
 * bridge's dead letters. Live state lives in the bridge, so a broker outage loses none of it.
 *
 *   const link = await connectBridge(bridge, { url: 'mqtt://127.0.0.1:1883', sharedGroup: 'parking' });
 */
export async function connectBridge(
  bridge: SensorsBridge,
  options: BridgeMqttOptions,
  logger: BridgeLogger,
): Promise<MqttLink> {
  const filters = subscriptionFilters(bridge.topicPrefix, options.sharedGroup);
  const client = mqtt.connect(options.url, {
    clientId: options.clientId ?? `spp-sensors-${hostname()}-${randomBytes(4).toString('hex')}`.slice(0, 64),
    protocolVersion: options.protocolVersion ?? 5,
    clean: true,
    // Subscriptions are renewed by hand on every connect, see below.
    resubscribe: false,
    reconnectPeriod: options.reconnectPeriodMs ?? 1000,
    connectTimeout: 10_000,
    ...(options.username ? { username: options.username } : {}),
    ...(options.password ? { password: options.password } : {}),
  });
  const signals = new EventEmitter();
  let outage = false;

  client.on('connect', () => {
    client.subscribe(filters, { qos: 1 }, (e, granted) => {
      const refused = (granted ?? []).filter((g) => g.qos > 2);
      if (e || refused.length) {
        logger.error(
          { err: e, refused: refused.map((g) => `${g.topic} (${g.qos})`) },
          'the MQTT broker refused the sensor subscriptions',
        );
        return;
      }
      if (outage) logger.info({ filters }, 'MQTT connection back; sensor subscriptions renewed');
      outage = false;
      signals.emit('subscribed');
    });
  });
  const failed = (e: unknown, topic: string) => logger.error({ err: e, topic }, 'sensor message failed');
  client.on('message', (topic, payload) => {
    // Most messages are applied right here; only those that wait (a lookup, Redis) give a promise.
    try {
      const outcome = bridge.receive(topic, payload);
      if (outcome instanceof Promise) outcome.catch((e: unknown) => failed(e, topic));
    } catch (e) {
      failed(e, topic);
    }
  });
  client.on('error', (e) => {
    if (!outage) logger.warn({ err: e.message }, 'MQTT connection problem; retrying');
    outage = true;
  });
  client.on('offline', () => {
    if (!outage) logger.warn({}, 'MQTT broker went away; reconnecting');
    outage = true;
  });
  bridge.deadLetters.publishWith((letter) => {
    // Dropped while disconnected rather than queued without bound; the counter still has it.
    if (client.connected) client.publish(bridge.deadLetterTopic, JSON.stringify(letter), { qos: 0 });
  });

  const nextSubscribed = async () => {
    await once(signals, 'subscribed');
  };
  const first = nextSubscribed();
  const waitMs = options.connectWaitMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    first.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), waitMs))),
  ]);
  clearTimeout(timer);
  if (timedOut)
    logger.warn({ waitedMs: waitMs }, 'MQTT broker not reachable yet; sensors stay unknown until it is');

  return {
    client,
    nextSubscribed,
    close: async () => {
      bridge.deadLetters.publishWith(null);
      if (client.connected) await client.unsubscribeAsync(filters).catch(() => {});
      await client.endAsync();
    },
  };
}
