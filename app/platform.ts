import { readFileSync } from 'node:fs';
import {
  applyMigrations,
  createBookingCore,
  openDatabase,
  pendingMigrations,
  type BookingCore,
  type Clock,
  type Database,
} from '../booking-core/index.ts';
import { seedDemoCity } from '../prisma/seed.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { apiKeys, resolveApiKeys } from './http/api-keys.ts';
import { bookingRoutes } from './http/bookings.routes.ts';
import { facilityRoutes } from './http/facilities.routes.ts';
import { createHttpApp, listen } from './http/server.ts';
import { redactUrl, type Logger } from './logger.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface Platform {
  /** the base URL it listens on, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly db: Database;
  readonly core: BookingCore;
  /** graceful: stop accepting, finish in-flight requests, stop periodic work, close the database */
  close(): Promise<void>;
}

export interface PlatformOptions {
  readonly clock?: Clock;
  /** told the generated API key once, on first start (default: printed to stdout) */
  readonly onGeneratedApiKey?: (key: string, file: string) => void;
}

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

    const migrated = await applyMigrations(db.sql);
    if (migrated.applied.length) logger.info({ applied: migrated.applied }, 'database migrated');
    if (config.SEED_DEMO === 'true' || (config.SEED_DEMO === 'auto' && db.kind === 'pglite')) {
      const seed = await seedDemoCity(db.prisma);
      if (seed.seeded) logger.info(seed, 'seeded the demo city');
    }

    const core = createBookingCore({
      db,
      holdMinutes: config.HOLD_MINUTES,
      ...(options.clock ? { clock: options.clock } : {}),
      onError: (e) => logger.error({ err: e }, 'booking-core background error'),
    });
    core.lifecycle.start(config.LIFECYCLE_INTERVAL_SECONDS * 1000);
    cleanups.push(() => core.lifecycle.stop());

    const keys = await resolveApiKeys(config.API_KEYS, config.DATA_DIR);
    if (keys.generated && keys.file) {
      (options.onGeneratedApiKey ?? printGeneratedKey)(keys.generated, keys.file);
    } else if (keys.file) {
      logger.info({ file: keys.file }, 'API key is in the data directory');
    }

    const routes = [...facilityRoutes(core), ...bookingRoutes(core)];
    const { app, finish } = createHttpApp({
      routes,
      apiKeys: apiKeys(keys.keys),
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
    finish();
    const http = await listen(app, config.PORT, config.HOST).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EADDRINUSE'
        ? new Error(
            `port ${config.PORT} on ${config.HOST} is already in use; stop the other process or set PORT`,
          )
        : e;
    });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    cleanups.push(() => http.close(config.SHUTDOWN_GRACE_SECONDS * 1000));
    logger.info({ url, version: VERSION }, 'smart-parking-platform is running');
    return { url, db, core, close: cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

function printGeneratedKey(key: string, file: string) {
  // Shown once, on the console only (never through the logger); it stays in `file`.
  process.stdout.write(
    `\n  A new API key was generated for this installation (kept in ${file}):\n\n    ${key}\n\n` +
      `  Use it as: curl -H "Authorization: Bearer ${key}" http://localhost:3000/api/v1/facilities\n\n`,
  );
}
