import { EventBus, systemClock, type Clock, type OccupancyView } from '../booking-core/index.ts';
import { DeadLetters, silentLogger, type BridgeLogger, type DeadLetter } from './dead-letters.ts';
import type { SensorEventName, SensorEvents } from './events.ts';
import { HistoryWriter, type HistoryOptions } from './history.ts';
import { isoString } from './iso-time.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { occupancyPicture, type FacilityOccupancy } from './occupancy-picture.ts';
import type { RejectionReason } from './payloads/parse-result.ts';
import { DEAD_LETTER_TOPIC, parseMessage } from './payloads/topics.ts';
import type { OccupancyHistoryRepository, SensorRepository, SpaceDirectoryRepository } from './ports.ts';
import { SensorRegistry, SpaceDirectory, jsonDeviceId } from './registry.ts';
import { restoreLiveState } from './restore.ts';
import { SensorAdmin } from './sensor-admin.ts';
import type { EventRelay } from './state/event-relay.ts';
import type { LiveStateStore, UpdateDecision } from './state/live-state.ts';
import { MemoryLiveState } from './state/memory-live-state.ts';
import {
  applyReading,
  blankRecord,
  DEFAULT_RULES,
  sweepRecord,
  type ApplyOutcome,
  type HealthRules,
  type Transition,
} from './tracker.ts';
import type { SensorAddress, SensorReading, SpaceRecord, SpaceRef } from './types.ts';

/** Messages larger than this are refused unread (a TTN uplink with many gateways is ~3 KB). */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

export interface SensorsBridgeDeps {
  readonly sensors: SensorRepository;
  readonly spaces: SpaceDirectoryRepository;
  readonly history: OccupancyHistoryRepository;
  /** live state; default in memory (one instance) */
  readonly store?: LiveStateStore;
  /** other instances' events (Redis); default none */
  readonly relay?: EventRelay;
  readonly clock?: Clock;
  readonly logger?: BridgeLogger;
  readonly rules?: Partial<HealthRules>;
  readonly historyOptions?: HistoryOptions;
  /** how often silent and settled sensors are checked; 0: never by itself (tests call `sweep()`) */
  readonly sweepEveryMs?: number;
  /** topics are `<prefix>parking/…` and `<prefix>v3/…`, for sharing a broker (default none) */
  readonly topicPrefix?: string;
}

export type IngestOutcome =
  | { readonly accepted: true; readonly record: SpaceRecord }
  | { readonly accepted: false; readonly reason: RejectionReason; readonly letter: DeadLetter };

export interface BridgeStats {
  readonly received: number;
  /** received and done with: accepted or rejected (the rest are still being applied) */
  readonly handled: number;
  readonly accepted: number;
  readonly rejected: Readonly<Record<RejectionReason, number>>;
  readonly history: { readonly written: number; readonly pending: number; readonly dropped: number };
}

/** The space a message is about and the device it came from. */
interface Target {
  readonly space: SpaceRef;
  readonly deviceId: string;
}
type Resolution = Target | { reason: RejectionReason; detail: string };

/**
 * Turns sensor messages into live occupancy and sensor health: validates, resolves the device to
 * its space, applies the rules of ./tracker.ts atomically in the live store, publishes
 * `occupancy.changed` / `sensor.health_changed`, and writes history in batches. Anything it cannot
 * use goes to the dead letters. It is also booking-core's view of what is occupied right now.
 *
 *   const bridge = createSensorsBridge({ db });
 *   await bridge.start();
 *   await bridge.ingest('parking/KXC/B1-004/occupancy', Buffer.from('{"occupied":true}'));
 */
export class SensorsBridge implements OccupancyView {
  readonly events: EventBus<SensorEvents>;
  readonly deadLetters: DeadLetters;
  readonly directory: SpaceDirectory;
  readonly registry: SensorRegistry;
  /** the device registry as operators manage it */
  readonly sensors: SensorAdmin;
  readonly rules: HealthRules;
  readonly store: LiveStateStore;
  readonly topicPrefix: string;
  readonly deadLetterTopic: string;
  private readonly clock: Clock;
  private readonly logger: BridgeLogger;
  private readonly writer: HistoryWriter;
  private readonly queue = new KeyedQueue();
  /**
   * Targets found in the caches, by the device id a topic names: one lookup per message instead of
   * two. Emptied whenever the registry or the directory changes (their versions only grow, so their
   * sum changes whenever either does).
   */
  private readonly targets = new Map<string, Target>();
  private targetsVersion = -1;
  private readonly counters = { received: 0, accepted: 0 };
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: SensorsBridgeDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.rules = { ...DEFAULT_RULES, ...deps.rules };
    this.store = deps.store ?? new MemoryLiveState();
    this.topicPrefix = deps.topicPrefix ?? '';
    this.deadLetterTopic = this.topicPrefix + DEAD_LETTER_TOPIC;
    this.events = new EventBus<SensorEvents>((event, e) =>
      this.logger.error({ err: e, event }, 'a sensor event listener failed'),
    );
    this.deadLetters = new DeadLetters(this.logger);
    this.directory = new SpaceDirectory(deps.spaces);
    this.registry = new SensorRegistry(deps.sensors, this.directory);
    this.sensors = new SensorAdmin(this);
    this.writer = new HistoryWriter(deps.history, deps.sensors, this.logger, deps.historyOptions);
  }

  /** Loads spaces and devices, rebuilds live state the store lacks, and starts the timers. */
  async start(): Promise<void> {
    await Promise.all([this.directory.load(), this.registry.load()]);
    await restoreLiveState(this, this.deps.history, this.clock.now());
    await this.deps.relay?.start((name, payload) => this.events.emit(name, payload));
    this.writer.start();
    const sweepEvery =
      this.deps.sweepEveryMs ?? Math.min(30_000, Math.max(1000, this.rules.offlineAfterMs / 4));
    const every = (ms: number, task: () => Promise<unknown>) =>
      this.timers.push(
        setInterval(() => {
          task().catch((e: unknown) => this.logger.error({ err: e }, 'sensors background task failed'));
        }, ms).unref(),
      );
    if (sweepEvery > 0) every(sweepEvery, () => this.sweep());
    every(60_000, () => Promise.all([this.registry.load(), this.directory.load()]));
  }

  /** Finishes messages in flight, writes the remaining history, stops the timers. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.queue.drain();
    await this.writer.stop();
    await this.deps.relay?.close();
  }

  /**
   * Handles one MQTT message. Never throws: whatever cannot be used is dead-lettered.
   *
   *   const r = await bridge.ingest(topic, payload); if (!r.accepted) console.log(r.reason)
   */
  async ingest(topic: string, payload: Buffer): Promise<IngestOutcome> {
    return this.receive(topic, payload);
  }

  /**
   * `ingest` for the MQTT connection: the outcome itself when the message could be applied at once
   * (its sensor cached, none of its messages still queued, live state in this process), else a
   * promise of it. Either way a sensor's messages are applied in the order they arrived.
   */
  receive(topic: string, payload: Buffer): IngestOutcome | Promise<IngestOutcome> {
    const receivedAt = this.clock.now();
    this.counters.received += 1;
    if (payload.length > MAX_PAYLOAD_BYTES) {
      const detail = `${payload.length} bytes; the limit is ${MAX_PAYLOAD_BYTES}`;
      return this.refuse('payload.too_large', detail, topic, payload, receivedAt);
    }
    const { key, result } = parseMessage(topic, payload, this.topicPrefix);
    if (!result.ok) return this.refuse(result.reason, result.detail, topic, payload, receivedAt);
    const { address, reading } = result;
    // The key is the device id the topic names (for our format, the one its space's sensor has).
    if (this.store.updateNow && !this.queue.has(key)) {
      const target = this.resolveCached(address, key);
      if (target) return this.applyNow(target, reading, topic, payload, receivedAt);
    }
    return this.queue.run(key, () => this.applyQueued(address, key, reading, topic, payload, receivedAt));
  }

  /** Time passing: silent sensors go offline, settled flapping ones are trusted again. */
  async sweep(now: Date = this.clock.now()): Promise<number> {
    let changed = 0;
    for (const facilityId of await this.store.facilityIds()) {
      for (const record of await this.store.facility(facilityId)) {
        if (!sweepRecord(record, now, this.rules)) continue;
        const t = await this.store.update(facilityId, record.spaceId, (current) => {
          const swept = current ? sweepRecord(current, now, this.rules) : null;
          return { next: swept?.record ?? null, result: swept };
        });
        if (t) {
          changed += 1;
          this.publish(t, now);
        }
      }
    }
    return changed;
  }

  /** booking-core's view: spaces whose sensor says occupied, or cannot tell. */
  async unavailableNow(facilityId: string): Promise<ReadonlySet<string>> {
    const records = await this.store.facility(facilityId);
    return new Set(records.filter((r) => r.state !== 'free').map((r) => r.spaceId));
  }

  /** The live picture of a facility, or null when there is no such facility. */
  async occupancy(facilityId: string): Promise<FacilityOccupancy | null> {
    const spaces = await this.directory.facility(facilityId);
    if (!spaces) return null;
    return occupancyPicture(
      facilityId,
      spaces,
      await this.store.facility(facilityId),
      this.clock.now(),
      this.rules,
    );
  }

  stats(): BridgeStats {
    const rejected = this.deadLetters.counted();
    return {
      ...this.counters,
      handled: this.counters.accepted + Object.values(rejected).reduce((a, b) => a + b, 0),
      rejected,
      history: { ...this.writer.counts, pending: this.writer.pending },
    };
  }

  /** Writes buffered history now (tests, shutdown). */
  flushHistory(): Promise<void> {
    return this.writer.flush();
  }

  /** Publishes an event here and, through the relay, on every other instance. */
  emit<K extends SensorEventName>(name: K, payload: SensorEvents[K]): void {
    this.events.emit(name, payload);
    this.deps.relay?.publish(name, payload);
  }

  now(): Date {
    return this.clock.now();
  }

  private publish(t: Transition, receivedAt: Date) {
    if (t.occupancy) {
      this.writer.recordChange({
        facilityId: t.occupancy.facilityId,
        spaceId: t.occupancy.spaceId,
        state: t.occupancy.state,
        at: t.occupancy.at,
        source: t.occupancy.source,
        receivedAt: isoString(receivedAt.getTime()),
      });
      this.emit('occupancy.changed', t.occupancy);
    }
    if (t.health) this.emit('sensor.health_changed', t.health);
  }

  /** The common case: a cached sensor, live state in this process, nothing to wait for. */
  private applyNow(
    target: Target,
    reading: SensorReading,
    topic: string,
    payload: Buffer,
    receivedAt: Date,
  ): IngestOutcome {
    try {
      const { space } = target;
      const outcome = this.store.updateNow!(space.facilityId, space.spaceId, (current) =>
        this.decide(current, target, reading, receivedAt),
      );
      return this.settle(outcome, target.deviceId, reading, topic, payload, receivedAt);
    } catch (e) {
      return this.failed(e, topic, payload, receivedAt);
    }
  }

  /** Behind the sensor's earlier messages: looks the sensor up if need be, and waits for the store. */
  private async applyQueued(
    address: SensorAddress,
    deviceKey: string,
    reading: SensorReading,
    topic: string,
    payload: Buffer,
    receivedAt: Date,
  ): Promise<IngestOutcome> {
    try {
      const target = this.resolveCached(address, deviceKey) ?? (await this.resolve(address, deviceKey));
      if ('reason' in target) return this.refuse(target.reason, target.detail, topic, payload, receivedAt);
      const { space } = target;
      const outcome = await this.store.update(space.facilityId, space.spaceId, (current) =>
        this.decide(current, target, reading, receivedAt),
      );
      return this.settle(outcome, target.deviceId, reading, topic, payload, receivedAt);
    } catch (e) {
      return this.failed(e, topic, payload, receivedAt);
    }
  }

  /** The store's update: the reading applied to the space's record (a fresh one for a new device). */
  private decide(
    current: SpaceRecord | null,
    { space, deviceId }: Target,
    reading: SensorReading,
    receivedAt: Date,
  ): UpdateDecision<ApplyOutcome> {
    const base = current?.deviceId === deviceId ? current : blankRecord(space, deviceId, receivedAt);
    const o = applyReading(base, reading, receivedAt, this.rules);
    return { next: o.kind === 'accepted' ? o.record : null, result: o };
  }

  /** Publishes what an applied reading changed, or dead-letters a refused one. */
  private settle(
    outcome: ApplyOutcome,
    deviceId: string,
    reading: SensorReading,
    topic: string,
    payload: Buffer,
    receivedAt: Date,
  ): IngestOutcome {
    if (outcome.kind === 'rejected')
      return this.refuse(outcome.reason, outcome.detail, topic, payload, receivedAt);
    this.publish(outcome, receivedAt);
    this.writer.recordSeen(deviceId, receivedAt.getTime(), reading.firmwareVersion ?? null);
    this.counters.accepted += 1;
    return { accepted: true, record: outcome.record };
  }

  private failed(e: unknown, topic: string, payload: Buffer, receivedAt: Date): IngestOutcome {
    this.logger.error({ err: e, topic }, 'sensor message failed unexpectedly');
    const detail = e instanceof Error ? e.message : String(e);
    return this.refuse('internal.error', detail, topic, payload, receivedAt);
  }

  private refuse(
    reason: RejectionReason,
    detail: string,
    topic: string,
    payload: Buffer,
    receivedAt: Date,
  ): IngestOutcome {
    return {
      accepted: false,
      reason,
      letter: this.deadLetters.reject(reason, detail, topic, payload, receivedAt),
    };
  }

  /**
   * The space and device from the caches alone; null when something must be looked up. `deviceKey`
   * is the device id the topic names (for our format `<facilityCode>/<spaceCode>`).
   */
  private resolveCached(address: SensorAddress, deviceKey: string): Target | null {
    const version = this.directory.version + this.registry.version;
    if (version !== this.targetsVersion) {
      this.targets.clear();
      this.targetsVersion = version;
    }
    const known = this.targets.get(deviceKey);
    if (known) return known;
    const target = this.lookUpCached(address, deviceKey);
    if (target) this.targets.set(deviceKey, target);
    return target;
  }

  private lookUpCached(address: SensorAddress, deviceKey: string): Target | null {
    if (address.format === 'ttn-bosch') {
      const sensor = this.registry.peekDevice(address.deviceId);
      const space = sensor?.format === 'ttn-bosch' ? this.directory.peekById(sensor.spaceId) : undefined;
      return space && sensor ? { space, deviceId: sensor.deviceId } : null;
    }
    const space = this.directory.peekByJsonDeviceId(deviceKey);
    const bound = space ? this.registry.bySpace(space.spaceId) : undefined;
    return space && bound?.deviceId === deviceKey ? { space, deviceId: bound.deviceId } : null;
  }

  private async resolve(address: SensorAddress, deviceKey: string): Promise<Resolution> {
    if (address.format === 'ttn-bosch') {
      const sensor = await this.registry.byDevice(address.deviceId);
      if (!sensor || sensor.format !== 'ttn-bosch')
        return { reason: 'device.unknown', detail: `device ${address.deviceId} is not registered` };
      const space = await this.directory.byId(sensor.spaceId);
      return space
        ? { space, deviceId: sensor.deviceId }
        : { reason: 'space.unknown', detail: 'its space is gone' };
    }
    const space = await this.directory.byJsonDeviceId(deviceKey);
    if (!space)
      return {
        reason: 'space.unknown',
        detail: `no space ${address.spaceCode} in facility ${address.facilityCode}`,
      };
    const deviceId = jsonDeviceId(space);
    const bound = this.registry.bySpace(space.spaceId) ?? (await this.registry.adoptJsonSensor(space));
    if (!bound || bound.deviceId !== deviceId)
      return {
        reason: 'space.other_sensor',
        detail: `space ${deviceId} reports through device ${bound?.deviceId ?? '?'}`,
      };
    return { space, deviceId };
  }
}
