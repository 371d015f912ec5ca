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
import type { ConversationRuntime } from '../channels/index.ts';
import { seedDemoCity } from '../prisma/seed.ts';
import { createNlu } from '../nlu/index.ts';
import { createChatModule } from './chat.module.ts';
import { createConsoleModule } from './console.module.ts';
import { createDashboardModule } from './dashboard.module.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { apiKeys, resolveApiKeys } from './http/api-keys.ts';
import { bookingRoutes } from './http/bookings.routes.ts';
import { facilityRoutes } from './http/facilities.routes.ts';
import { createHttpApp, listen } from './http/server.ts';
import { redactUrl, type Logger } from './logger.ts';
import {
  FacilityChanges,
  OccupancyRelay,
  RuntimeSlot,
  type PlatformContext,
  type PlatformModule,
} from './module.ts';
import { createRealtime } from './realtime.ts';
import { redisConnections } from './redis.ts';
import { createSensorsModule } from './sensors.module.ts';
import { createTelegramModule } from './telegram.module.ts';
import { createPaymentsModule, paymentOptions } from './payments.module.ts';

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
  (ctx) => createConsoleModule(ctx),
  createDashboardModule,
  createPaymentsModule,
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
  const cleanup = async () => {
    for (const c of cleanups.reverse())
      await c().catch((e: unknown) => logger.error({ err: e }, 'shutdown step failed'));
  };
  try {
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
      payments: paymentOptions(config, publicUrl),
      ...(options.clock ? { clock: options.clock } : {}),
      onError: (e) => logger.error({ err: e }, 'booking-core background error'),
    });
    const redis = config.REDIS_URL ? redisConnections(config.REDIS_URL, logger) : null;
    if (redis) cleanups.push(() => redis.closeAll());
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
    const ctx: PlatformContext = {
      config,
      logger,
      db,
      core,
      redis: (purpose) => redis?.connect(purpose) ?? null,
      facilityChanges,
      publicUrl,
      runtime: new RuntimeSlot(),
    };

    const modules: PlatformModule[] = [];
    for (const build of MODULES) {
      const m = await build(ctx, occupancy);
      modules.push(m);
      if (m.start) await m.start();
      if (m.stop) cleanups.push(m.stop.bind(m));
    }
    core.lifecycle.start(config.LIFECYCLE_INTERVAL_SECONDS * 1000);
    cleanups.push(() => core.lifecycle.stop());

    const keys = await resolveApiKeys(config.API_KEYS, config.DATA_DIR);
    if (keys.generated && keys.file)
      (options.onGeneratedApiKey ?? printGeneratedKey(config))(keys.generated, keys.file);
    else if (keys.file) logger.info({ file: keys.file }, 'API key is in the data directory');

    const { app, finish } = createHttpApp({
      routes: [...facilityRoutes(core), ...bookingRoutes(core), ...modules.flatMap((m) => m.routes ?? [])],
      apiKeys: apiKeys(keys.keys),
      authenticators: modules.flatMap((m) => (m.authenticate ? [m.authenticate] : [])),
      logger,
      version: VERSION,
      trustProxy: config.TRUST_PROXY,
      ready: async () => {
        await db.sql.query('SELECT 1');
        const pending = await pendingMigrations(db.sql);
        return {
          ok: pending.length === 0,
          checks: { database: 'ok', migrations: pending.length ? `pending: ${pending.join(', ')}` : 'ok' },
        };
      },
    });
    for (const m of modules) m.mount?.(app);
    finish();
    const http = await listen(app, config.PORT, config.HOST).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EADDRINUSE'
        ? new Error(
            `port ${config.PORT} on ${config.HOST} is already in use; stop the other process or set PORT`,
          )
        : e;
    });
    cleanups.push(() => http.close(config.SHUTDOWN_GRACE_SECONDS * 1000));
    const io = createRealtime(http.server, ctx);
    for (const m of modules) m.attach?.(io);
    // Realtime clients are told to go before the HTTP server waits for in-flight requests.
    cleanups.push(async () => {
      io.disconnectSockets(true);
      io.removeAllListeners();
    });

    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    listeningUrl = url;
    logger.info({ url, version: VERSION }, 'smart-parking-platform is running');
    return { url, db, core, io, runtime: ctx.runtime.get(), close: cleanup };
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

const printGeneratedKey = (config: Config) => (key: string, file: string) => {
  // Shown once, on the console only (never through the logger); it stays in `file`.
  const base = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
  process.stdout.write(
    `\n  A new API key was generated for this installation (kept in ${file}):\n\n    ${key}\n\n` +
      `  Use it as: curl -H "Authorization: Bearer ${key}" ${base}/api/v1/facilities\n\n`,
  );
};
