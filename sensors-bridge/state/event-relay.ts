import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { SENSOR_EVENT_NAMES, type SensorEventName, type SensorEvents } from '../events.ts';
import type { BridgeLogger } from '../dead-letters.ts';

type Deliver = <K extends SensorEventName>(name: K, payload: SensorEvents[K]) => void;

/** Carries the events one instance produces to every other instance. */
export interface EventRelay {
  publish<K extends SensorEventName>(name: K, payload: SensorEvents[K]): void;
  /** starts handing other instances' events to `deliver` (never this instance's own) */
  start(deliver: Deliver): Promise<void>;
  close(): Promise<void>;
}

interface Envelope {
  readonly origin: string;
  readonly name: SensorEventName;
  readonly payload: unknown;
}

/**
 * Events over Redis pub/sub: each instance publishes what it produced and delivers what the others
 * did to its own event bus, so every instance's listeners (and its socket.io clients) see them all.
 *
 *   const relay = new RedisEventRelay(redis('events-pub'), redis('events-sub'));
 */
export class RedisEventRelay implements EventRelay {
  private readonly channel: string;
  private readonly origin = randomUUID();

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly logger: BridgeLogger,
    options: { channel?: string } = {},
  ) {
    this.channel = options.channel ?? 'spp:sensors:events';
  }

  publish<K extends SensorEventName>(name: K, payload: SensorEvents[K]): void {
    const envelope: Envelope = { origin: this.origin, name, payload };
    this.pub.publish(this.channel, JSON.stringify(envelope)).catch((e: unknown) => {
      this.logger.warn({ err: e, event: name }, 'could not relay a sensor event to other instances');
    });
  }

  async start(deliver: Deliver): Promise<void> {
    this.sub.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      let envelope: Envelope;
      try {
        envelope = JSON.parse(message) as Envelope;
      } catch {
        return;
      }
      if (envelope.origin === this.origin || !SENSOR_EVENT_NAMES.includes(envelope.name)) return;
      deliver(envelope.name, envelope.payload as SensorEvents[typeof envelope.name]);
    });
    await this.sub.subscribe(this.channel);
  }

  async close(): Promise<void> {
    await this.sub.unsubscribe(this.channel).catch(() => {});
  }
}
