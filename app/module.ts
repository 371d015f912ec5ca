import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Server as SocketServer } from 'socket.io';
import type { BookingCore, Database, OccupancyView } from '../booking-core/index.ts';
import type { ChannelStatusRegistry, ConversationRuntime } from '../channels/index.ts';
import type { Config } from './config.ts';
import type { RouteDef } from './http/route.ts';
import type { Authenticator } from './http/server.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** What every part of the platform gets when it is built. */
export interface PlatformContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly core: BookingCore;
  /** a new Redis connection (each subscriber needs its own), or null without REDIS_URL */
  /**
   * A Redis connection of its own (null without REDIS_URL). A `subscriber` connection only
   * listens; every other one pipelines the commands issued in one event-loop tick into one write.
   */
  readonly redis: (purpose: string, options?: { subscriber?: boolean }) => Redis | null;
  /** "something about this facility's free spaces changed" — bookings or sensors; live views listen */
  readonly facilityChanges: FacilityChanges;
  /** the platform's public base URL (PUBLIC_URL, or where it listens once it does) */
  readonly publicUrl: () => string;
  /**
   * The conversation runtime, built once by the chat module. Modules listed after it in `MODULES`
   * (Telegram, WhatsApp, payments, the handoff console) use it:
   *
   *   ctx.runtime.get().registerChannel(outlet);
   *   await ctx.runtime.get().deliver({ id }, [reply('Paid, thanks!')], { role: 'system' });
   */
  readonly runtime: RuntimeSlot;
  /** every channel's state and message counts, for `GET /api/v1/channels` */
  readonly channels: ChannelStatusRegistry;
  /** Prometheus metrics: shared counters (chat turns, handoffs, payments…) and factories for more */
  readonly metrics: Metrics;
}

/** Holds the conversation runtime once the chat module has built it. */
export class RuntimeSlot {
  private value: ConversationRuntime | null = null;
  /** `onSet` sees the runtime before any channel registers (the channel status registry counts them) */
  constructor(private readonly onSet?: (runtime: ConversationRuntime) => void) {}
  set(runtime: ConversationRuntime): void {
    this.value = runtime;
    this.onSet?.(runtime);
  }
  /** the runtime; throws when asked before the chat module was built (a module order mistake) */
  get(): ConversationRuntime {
    if (!this.value)
      throw new Error('the conversation runtime is built by the chat module: list yours after it');
    return this.value;
  }
}

/** A tiny fan-out of facility ids whose availability may have changed. */
export class FacilityChanges {
  private readonly listeners = new Set<(facilityId: string) => void>();
  notify(facilityId: string): void {
    for (const l of this.listeners) l(facilityId);
  }
  subscribe(listener: (facilityId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * A part of the platform (sensors, chat, …): the REST routes it adds, the HTTP it serves, the
 * socket.io namespaces it owns, and how it starts and stops. `app/platform.ts` wires them all.
 */
export interface PlatformModule {
  readonly name: string;
  readonly routes?: readonly RouteDef[];
  /** another credential the REST API accepts besides API keys (the console's session cookie) */
  readonly authenticate?: Authenticator;
  /** extra HTTP handlers (static files, webhooks), mounted before the 404 handler */
  mount?(app: Express): void;
  /** socket.io namespaces, after the HTTP server listens */
  attach?(io: SocketServer): void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** readiness details for `/readyz`, e.g. `{ mqtt: 'ok' }`; reported, never a reason to refuse traffic */
  checks?(): Promise<Record<string, string>>;
  /** lines for the start-up banner, after start: `[label, where]`, e.g. `['MQTT broker', 'mqtt://…']` */
  banner?(): ReadonlyArray<readonly [label: string, value: string]>;
}

/**
 * Booking-core is built before the sensors that feed it; this view forwards to whichever
 * occupancy source is plugged in later (none until then).
 */
export class OccupancyRelay implements OccupancyView {
  private source: OccupancyView | null = null;
  plug(source: OccupancyView): void {
    this.source = source;
  }
  unavailableNow(facilityId: string): Promise<ReadonlySet<string>> {
    return this.source ? this.source.unavailableNow(facilityId) : Promise.resolve(new Set<string>());
  }
}
