/**
 * The server side of `npm run bench:turns`, run in its own process so that its CPU time is the
 * server's alone (the load generator's socket.io clients run in the parent). `argv[2]` is
 * `platform` (the whole platform on a fresh PostgreSQL database, Redis unless BENCH_REDIS_URL=none)
 * or `echo` (a bare socket.io server that answers each message at once).
 *
 * Talks to the parent over IPC: sends `{ url }` when listening; answers `'cpu'` with
 * `{ cpu: process.cpuUsage() }`; `'profile-start'` and `'profile-stop'` record a CPU profile of
 * just the measured phases into BENCH_CPU_PROF (a directory; answered with `{ profile: path }`);
 * on `'stop'` closes everything and exits.
 */
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { startPlatform } from '../app/platform.ts';
import { freshDatabase } from '../test/support/databases.ts';

const PG = process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS =
  process.env['BENCH_REDIS_URL'] === 'none'
    ? null
    : (process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const DEBUG = Boolean(process.env['BENCH_DEBUG']);

async function startEcho(): Promise<{ url: string; close: () => Promise<void> }> {
  const http = createServer();
  const server = new Server(http);
  server
    .of('/chat')
    .on('connection', (socket) =>
      socket.on('message', (m) => socket.emit('activity', { text: `echo ${JSON.stringify(m)}` })),
    );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function startBenchPlatform(): Promise<{ url: string; close: () => Promise<void> }> {
  const database = await freshDatabase('postgres', { adminUrl: PG, poolSize: 2 });
  const dataDir = await mkdtemp(join(tmpdir(), 'spp-bench-'));
  const platform = await startPlatform(
    loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url ?? '',
      DATABASE_POOL_SIZE: '20',
      ...(REDIS ? { REDIS_URL: REDIS } : {}),
      SEED_DEMO: 'true',
      API_KEYS: 'bench-key-0123456789abcdef',
      MESSAGES_PER_MINUTE: '600',
      MQTT_BROKER_PORT: '0',
      LOG_LEVEL: DEBUG ? 'info' : 'warn',
    }),
    createLogger(DEBUG ? 'info' : 'warn'),
  );
  return {
    url: platform.url,
    close: async () => {
      await platform.close();
      await rm(dataDir, { recursive: true, force: true });
      await database.close();
    },
  };
}

/** The V8 profiler of this process, for the measured phases only (not start-up or NLU training). */
const profiler = {
  session: null as Session | null,
  async start() {
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.start');
  },
  async stop(dir: string): Promise<string> {
    if (!this.session) throw new Error('the profiler was not started');
    const { profile } = await this.session.post('Profiler.stop');
    this.session.disconnect();
    this.session = null;
    await mkdir(dir, { recursive: true });
    const path = join(dir, `turns-${process.argv[2]}-${Date.now()}.cpuprofile`);
    await writeFile(path, JSON.stringify(profile));
    return path;
  },
};

const server = process.argv[2] === 'echo' ? await startEcho() : await startBenchPlatform();
process.on('message', (m) => {
  if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (m === 'profile-start') void profiler.start().then(() => process.send?.({ profiling: true }));
  if (m === 'profile-stop')
    void profiler
      .stop(process.env['BENCH_CPU_PROF'] ?? tmpdir())
      .then((path) => process.send?.({ profile: path }));
  if (m === 'stop') {
    void server.close().finally(() => process.exit(0));
  }
});
process.send?.({ url: server.url });
