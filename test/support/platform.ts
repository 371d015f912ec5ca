import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseKind } from '../../booking-core/index.ts';
import { loadConfig } from '../../app/config.ts';
import { createLogger } from '../../app/logger.ts';
import { startPlatform, type Platform, type PlatformOptions } from '../../app/platform.ts';
import { freshDatabase, type TestDatabase } from './databases.ts';

export const TEST_API_KEY = 'test-key-0123456789abcdef';
/** the support console's first administrator in test platforms */
export const TEST_ADMIN = { email: 'admin@parking.test', password: 'admin-password-0123' } as const;

export interface RunningPlatform extends Platform {
  /** fetch relative to the platform, with the API key unless `auth: false` */
  api(path: string, init?: RequestInit & { auth?: boolean; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Starts the whole platform on a random port, on a fresh database of the given kind — or, for
 * several instances of one platform, on the PostgreSQL database `env.DATABASE_URL` names (left
 * in place on stop).
 */
export async function startTestPlatform(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  options: PlatformOptions = {},
): Promise<RunningPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spp-'));
  let database: TestDatabase | undefined;
  if (kind === 'postgres' && !env['DATABASE_URL']) database = await freshDatabase('postgres');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    API_KEYS: TEST_API_KEY,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'silent',
    // the embedded MQTT broker on a random port: 1883 may be taken (Mosquitto), and tests run side by side
    MQTT_BROKER_PORT: '0',
    AGENT_ADMIN_EMAIL: TEST_ADMIN.email,
    AGENT_ADMIN_PASSWORD: TEST_ADMIN.password,
    // the bot's "typing…" at once, as tests of channels look for it (the runtime's tests cover the delay)
    TYPING_DELAY_MS: '0',
    ...(database?.url ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const platform = await startPlatform(config, createLogger('silent'), options);
  return {
    ...platform,
    api: (path, init = {}) => {
      const { auth = true, json, headers, ...rest } = init;
      return fetch(platform.url + path, {
        ...rest,
        headers: {
          ...(auth ? { authorization: `Bearer ${TEST_API_KEY}` } : {}),
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(headers as Record<string, string> | undefined),
        },
        ...(json !== undefined ? { body: typeof json === 'string' ? json : JSON.stringify(json) } : {}),
      });
    },
    stop: async () => {
      await platform.close();
      await database?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Pays at the embedded test checkout as a driver does: opens the Pay link, checks it is the
 * labelled test page for the booking, and submits its Pay form (following the redirect to the
 * page that shows the result). Returns that page's HTML.
 */
export async function payAtTestCheckout(url: string, reference?: string): Promise<string> {
  const page = await fetch(url);
  if (page.status !== 200) throw new Error(`the checkout page answered ${page.status}`);
  const html = await page.text();
  if (!html.includes('TEST PAYMENT')) throw new Error('not the embedded test checkout page');
  if (reference && !html.includes(reference)) throw new Error(`the checkout page does not name ${reference}`);
  const action = /<form method="post" action="([^"]+\/pay)">/.exec(html)?.[1];
  if (!action) throw new Error('the checkout page has no Pay form');
  const paid = await fetch(new URL(action.replace(/&amp;/g, '&'), url), { method: 'POST' });
  if (paid.status !== 200) throw new Error(`paying answered ${paid.status}`);
  return paid.text();
}
