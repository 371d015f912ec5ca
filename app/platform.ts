import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server as SocketServer } from 'socket.io';
import {
  applyMigrations,
  createBookingCore,
  openDatabase,
  pendingMigrations,
  type BookingCore,
  type Clock,
  type Database,
} from '../booking-core/index.ts';
import { ChannelStatusRegistry, type ConversationRuntime } from '../channels/index.ts';
import { seedDemoCity } from '../prisma/seed.ts';
import { createNlu } from '../nlu/index.ts';
import { createChatModule } from './chat.module.ts';
import { createConsoleModule } from './console.module.ts';
import { browsableHost, type BannerLine } from './banner.ts';
import { createDashboardModule } from './dashboard.module.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { apiKeys, resolveApiKeys } from './http/api-keys.ts';
import { bookingRoutes } from './http/bookings.routes.ts';
import { channelRoutes } from './http/channels.routes.ts';
import { facilityRoutes } from './http/facilities.routes.ts';
import { checkPortFree, createHttpApp, listen } from './http/server.ts';
import { redactUrl, type Logger } from './logger.ts';
import {
  FacilityChanges,
  OccupancyRelay,
  RuntimeSlot,
  type PlatformContext,
  type PlatformModule,
} from './module.ts';
import { createMetrics } from './metrics.ts';
import { observeBookingCore, observeConnections, within } from './observe.ts';
import { traceBookingCore } from './spans.ts';
import { createRealtime } from './realtime.ts';
import { redisConnections } from './redis.ts';
import { createSensorsModule } from './sensors.module.ts';
import { createTelegramModule } from './telegram.module.ts';
import { createPaymentsModule, paymentOptions } from './payments.module.ts';
import { createWhatsAppModule } from './whatsapp.module.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface Platform {
  /** the base URL it listens on, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly db: Database;
  readonly core: BookingCore;
  readonly io: SocketServer;
  /** the conversation runtime (deliver to any conversation, register channels) */
  readonly runtime: ConversationRuntime;
  /** what the start-up banner lists: pages, API docs, backends, where the API key is */
  readonly banner: readonly BannerLine[];
  /** graceful: stop accepting, finish in-flight requests, stop periodic work, close the database */
  close(): Promise<void>;
}

export interface PlatformOptions {
  readonly clock?: Clock;
  /** told the generated API key once, on first start (default: printed to stdout) */
  readonly onGeneratedApiKey?: (key: string, file: string) => void;
}

/** The platform's parts beyond booking-core, in start order. Each adds its routes, HTTP and sockets. */
const MODULES: ReadonlyArray<(ctx: PlatformContext, occupancy: OccupancyRelay) => Promise<PlatformModule>> = [
  createSensorsModule,
  async (ctx) => {
    const nlu = await createNlu({ cacheDir: join(ctx.config.DATA_DIR, 'nlu-cache') });
    ctx.logger.info(
      { ms: Math.round(nlu.training.ms), fromCache: nlu.training.fromCache },
      'language models ready',
    );
    return createChatModule(ctx, nlu);
  },
  createTelegramModule,
  createPaymentsModule,
  (ctx) => createConsoleModule(ctx),
  createWhatsAppModule,
  createDashboardModule,
];

/**
 * Builds every part from the configuration and starts serving.
 *
 *   const platform = await startPlatform(loadConfig(process.env), logger);
 */
export async function startPlatform(
  config: Config,
  logger: Logger,
  options: PlatformOptions = {},
): Promise<Platform> {
  const cleanups: Array<() => Promise<void>> = [];
  let draining = false;
  const cleanup = async () => {
    for (const c of cleanups.reverse())
      await c().catch((e: unknown) => logger.error({ err: e }, 'shutdown step failed'));
  };
  try {
    await checkPortFree(config.PORT, config.HOST).catch(portInUse(config));
    const db = await openConfiguredDatabase(config, logger, cleanups);
    const migrated = await applyMigrations(db.sql);
    if (migrated.applied.length) logger.info({ applied: migrated.applied }, 'database migrated');
    if (config.SEED_DEMO === 'true' || (config.SEED_DEMO === 'auto' && db.kind === 'pglite')) {
      const seed = await seedDemoCity(db.prisma);
      if (seed.seeded) logger.info(seed, 'seeded the demo city');
    }

    const occupancy = new OccupancyRelay();
    let listeningUrl = '';
    const publicUrl = () => config.PUBLIC_URL ?? listeningUrl;
    const core = createBookingCore({
      db,
      occupancy,
      holdMinutes: config.HOLD_MINUTES,
      retention: {
        transcriptsDays: config.RETENTION_TRANSCRIPTS_DAYS,
        occupancyDays: config.RETENTION_OCCUPANCY_DAYS,
        sensorEventsDays: config.RETENTION_SENSOR_EVENTS_DAYS,
        auditDays: config.RETENTION_AUDIT_DAYS,
        paymentsDays: config.RETENTION_PAYMENTS_DAYS,
      },
      payments: paymentOptions(config, publicUrl),
      ...(options.clock ? { clock: options.clock } : {}),
      onError: (e) => logger.error({ err: e }, 'booking-core background error'),
    });
    const redis = config.REDIS_URL ? redisConnections(config.REDIS_URL, logger) : null;
    if (redis) cleanups.push(() => redis.closeAll());
    const metrics = createMetrics();
    observeBookingCore(core, metrics, logger);
    traceBookingCore(core);
    observeConnections(metrics, db, redis);
    const readinessRedis = redis?.connect('readiness') ?? null;
    const facilityChanges = new FacilityChanges();
    const bookingChanges = [
      'held',
      'confirmed',
      'cancelled',
      'extended',
      'expired',
      'activated',
      'completed',
    ] as const;
    for (const change of bookingChanges) {
      core.events.on(`booking.${change}`, ({ booking }) => facilityChanges.notify(booking.facilityId));
    }
    const channels = new ChannelStatusRegistry();
    const ctx: PlatformContext = {
      config,
      logger,
      db,
      core,
      redis: (purpose, options) => redis?.connect(purpose, options) ?? null,
      facilityChanges,
      publicUrl,
      runtime: new RuntimeSlot((runtime) => channels.instrument(runtime)),
      channels,
      metrics,
    };

    const modules: PlatformModule[] = [];
    const moduleStops: Array<() => Promise<void>> = [];
    for (const build of MODULES) {
      const m = await build(ctx, occupancy);
      modules.push(m);
      if (m.start) await m.start();
      if (m.stop) {
        const stop = onlyOnce(m.stop.bind(m));
        moduleStops.push(stop);
        cleanups.push(stop);
      }
    }
    core.lifecycle.start(config.LIFECYCLE_INTERVAL_SECONDS * 1000);
    cleanups.push(() => core.lifecycle.stop());
    core.retention.start(config.ROLLUP_INTERVAL_SECONDS * 1000);
    cleanups.push(() => core.retention.stop());

    const keys = await resolveApiKeys(config.API_KEYS, config.DATA_DIR);
    if (keys.generated && keys.file)
      (options.onGeneratedApiKey ?? printGeneratedKey(config))(keys.generated, keys.file);
    else if (keys.file) logger.info({ file: keys.file }, 'API key is in the data directory');
    const apiKeyNote = keys.file ? `in ${keys.file}` : 'from API_KEYS';

    const { app, finish } = createHttpApp({
      routes: [
        ...facilityRoutes(core),
        ...bookingRoutes(core),
        ...channelRoutes(channels),
        ...modules.flatMap((m) => m.routes ?? []),
      ],
      apiKeys: apiKeys(keys.keys),
      authenticators: modules.flatMap((m) => (m.authenticate ? [m.authenticate] : [])),
      logger,
      version: VERSION,
      trustProxy: config.TRUST_PROXY,
      metrics,
      ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
      // Ready = database reachable and migrated, and Redis reachable when configured (conversations
      // need both). Module checks (the MQTT broker) are reported but never take an instance out of
      // rotation: chat and bookings go on without sensors.
      ready: async () => {
        if (draining) return { ok: false, checks: { instance: 'shutting down' } };
        const checks: Record<string, string> = {};
        let ok = true;
        const pending = await within(3000, 'the database', db.sql.query('SELECT 1'))
          .then(() => pendingMigrations(db.sql))
          .catch((e: unknown) => e as Error);
        if (pending instanceof Error) {
          ok = false;
          checks['database'] = `unavailable: ${pending.message}`;
        } else {
          checks['database'] = 'ok';
          checks['migrations'] = pending.length ? `pending: ${pending.join(', ')}` : 'ok';
          ok = pending.length === 0;
        }
        if (readinessRedis) {
          const pong = await within(2000, 'Redis', readinessRedis.ping()).catch((e: unknown) => e as Error);
          checks['redis'] = pong instanceof Error ? `unavailable: ${pong.message}` : 'ok';
          ok &&= !(pong instanceof Error);
        }
        for (const m of modules)
          Object.assign(checks, await m.checks?.().catch((e: unknown) => ({ [m.name]: String(e) })));
        return { ok, checks };
      },
    });
    for (const m of modules) m.mount?.(app);
    finish();
    const http = await listen(app, config.PORT, config.HOST).catch(portInUse(config));
    const io = createRealtime(http.server, ctx);
    for (const m of modules) m.attach?.(io);
    // Graceful shutdown, in this order: stop taking connections and report not ready; let the
    // periodic run under way finish; let each module finish its in-flight work (chat turns reply
    // on the sockets still open); then tell socket.io clients to go (they reconnect to another
    // instance and keep their conversation); then wait for in-flight HTTP requests and webhooks.
    // Each wait is bounded by SHUTDOWN_GRACE_SECONDS.
    const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
    cleanups.push(async () => {
      draining = true;
      const requestsDone = http.close(graceMs);
      await within(
        graceMs,
        'periodic work',
        Promise.all([core.lifecycle.stop(), core.retention.stop()]),
      ).catch((e: unknown) => logger.warn({ err: e }, 'shutdown: periodic work did not finish'));
      for (const stop of [...moduleStops].reverse())
        await within(graceMs, 'a module', stop()).catch((e: unknown) =>
          logger.warn({ err: e }, 'shutdown: a module did not finish its work'),
        );
      // Every namespace's connections, on this instance only (io.disconnectSockets would go through
      // the Redis adapter and disconnect every instance's clients).
      io.engine.close();
      io.removeAllListeners();
      await requestsDone;
    });

    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    listeningUrl = url;
    const site = `http://${browsableHost(config.HOST)}:${port}`;
    const banner: BannerLine[] = [
      ['Demo page', `${site}/`],
      ['Agent console', `${site}/console`],
      ['Dashboard', `${site}/dashboard`],
      ['API docs', `${site}/api/v1/openapi.json`],
      ['Metrics', `${site}/metrics`],
      [
        'Database',
        config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : `embedded PGlite in ${config.DATA_DIR}`,
      ],
      ['Redis', config.REDIS_URL ? redactUrl(config.REDIS_URL) : 'none (state in memory)'],
      ...modules.flatMap((m) => m.banner?.() ?? []),
      ['API key', apiKeyNote],
    ];
    logger.info({ url, version: VERSION }, 'smart-parking-platform is running');
    return { url, db, core, io, runtime: ctx.runtime.get(), banner, close: cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

async function openConfiguredDatabase(config: Config, logger: Logger, cleanups: Array<() => Promise<void>>) {
  let db: Database;
  if (config.DATABASE_URL) {
    logger.info({ database: redactUrl(config.DATABASE_URL) }, 'using PostgreSQL');
    db = await openDatabase({
      kind: 'postgres',
      url: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
    });
  } else {
    cleanups.push(await lockDataDir(config.DATA_DIR));
    logger.info(
      { dataDir: config.DATA_DIR },
      'using embedded PostgreSQL (PGlite); set DATABASE_URL for a real server',
    );
    db = await openDatabase({ kind: 'pglite', dataDir: config.DATA_DIR });
  }
  cleanups.push(() => db.close());
  return db;
}

/** Runs `fn` the first time only; later calls get the same promise. */
const onlyOnce = (fn: () => Promise<void>) => {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
};

/** A taken HTTP port, told plainly with the setting that moves it. */
const portInUse =
  (config: Config) =>
  (e: NodeJS.ErrnoException): never => {
    if (e.code !== 'EADDRINUSE') throw e;
    throw new Error(
      `PORT ${config.PORT} on ${config.HOST} is already in use (another copy of the platform, or another program); ` +
        `stop that process or choose another port, e.g. PORT=${config.PORT === 65535 ? 3000 : config.PORT + 1} npm start`,
    );
  };

const printGeneratedKey = (config: Config) => (key: string, file: string) => {
  // Shown once, on the console only (never through the logger); it stays in `file`.
  const base = `http://${browsableHost(config.HOST)}:${config.PORT}`;
  process.stdout.write(
    `\n  A new API key was generated for this installation (kept in ${file}):\n\n    ${key}\n\n` +
      `  Use it as: curl -H "Authorization: Bearer ${key}" ${base}/api/v1/facilities\n\n`,
  );
};
