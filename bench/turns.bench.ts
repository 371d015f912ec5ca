/**
 * npm run bench:turns — many concurrent widget clients (socket.io-client), each running whole
 * booking conversations against the platform on real PostgreSQL and Redis; beside it, in the same
 * run, a bare socket.io echo server's round trip. Prints turns/s and latency percentiles.
 *
 *   BENCH_CLIENTS=40 BENCH_CONVERSATIONS=3 npm run bench:turns
 */
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { startPlatform } from '../app/platform.ts';
import { freshDatabase } from '../test/support/databases.ts';

const PG = process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS =
  process.env['BENCH_REDIS_URL'] === 'none'
    ? null
    : (process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 40);
const CONVERSATIONS = Number(process.env['BENCH_CONVERSATIONS'] ?? 3);
const FACILITIES = ["King's Cross", 'Wembley', 'Westfield', 'Paddington', 'Southbank'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Sends one message and resolves when a reply matching `until` arrives; returns the latency. */
function turn(socket: Socket, message: object, until: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let typing = false;
    socket.once('typing', () => (typing = true));
    const timer = setTimeout(
      () => {
        const e = new Error(
          `no reply matching ${until} to ${JSON.stringify(message)} (typing seen: ${typing})`,
        );
        console.error(e.message);
        reject(e);
      },
      Number(process.env['BENCH_TURN_TIMEOUT_MS'] ?? 30_000),
    );
    const onActivity = (a: { text?: string }) => {
      if (process.env['BENCH_DEBUG']) console.log('  reply:', a.text);
      if (!until.test(a.text ?? '')) return;
      clearTimeout(timer);
      socket.off('activity', onActivity);
      resolve(performance.now() - started);
    };
    socket.on('activity', onActivity);
    socket.emit('message', message);
  });
}

async function conversations(url: string): Promise<{ latencies: number[]; seconds: number; booked: number }> {
  const latencies: number[] = [];
  let booked = 0;
  const sockets = await Promise.all(
    Array.from({ length: CLIENTS }, () => {
      const s = connect(`${url}/chat`, { transports: ['websocket'], auth: {} });
      return new Promise<Socket>((resolve) => s.once('session', () => resolve(s)));
    }),
  );
  const started = performance.now();
  await Promise.all(
    sockets.map(async (s, i) => {
      for (let c = 0; c < CONVERSATIONS; c++) {
        const hour = 7 + ((i + c * CLIENTS) % 12);
        const facility = FACILITIES[(i + c) % FACILITIES.length];
        const plate = `BN${String(i).padStart(2, '0')}${c}AA`;
        latencies.push(
          await turn(
            s,
            { text: `book a space at ${facility} tomorrow ${hour} to ${hour + 1}, plate ${plate}` },
            /Shall I book it|¿La reservo/,
          ),
        );
        latencies.push(
          await turn(s, { value: 'confirm:yes' }, /holding the space|confirmed|Sorry|no free space/),
        );
        booked++;
        latencies.push(await turn(s, { text: 'thanks!' }, /welcome/));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const s of sockets) s.close();
  return { latencies, seconds, booked };
}

async function echo(): Promise<{ latencies: number[]; seconds: number }> {
  const http = createServer();
  const server = new Server(http);
  server
    .of('/chat')
    .on('connection', (socket) =>
      socket.on('message', (m) => socket.emit('activity', { text: `echo ${JSON.stringify(m)}` })),
    );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as { port: number }).port;
  const sockets = await Promise.all(
    Array.from({ length: CLIENTS }, () => {
      const s = connect(`http://127.0.0.1:${port}/chat`, { transports: ['websocket'] });
      return new Promise<Socket>((resolve) => s.once('connect', () => resolve(s)));
    }),
  );
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    sockets.map(async (s) => {
      for (let i = 0; i < CONVERSATIONS * 3; i++) latencies.push(await turn(s, { text: 'hello' }, /echo/));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const s of sockets) s.close();
  await new Promise<void>((r) => server.close(() => r()));
  return { latencies, seconds };
}

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
    LOG_LEVEL: process.env['BENCH_DEBUG'] ? 'info' : 'warn',
  }),
  createLogger(process.env['BENCH_DEBUG'] ? 'info' : 'warn'),
);
try {
  const warm = await conversations(platform.url).catch((e: unknown) => {
    throw new Error(`warm-up failed: ${String(e)}`);
  });
  void warm;
  const chat = await conversations(platform.url);
  const bare = await echo();
  const turns = chat.latencies.length / chat.seconds;
  console.log(
    `\nbench:turns — ${CLIENTS} concurrent widget clients × ${CONVERSATIONS} booking conversations (3 turns each), PostgreSQL + Redis\n`,
  );
  console.log(
    `platform   ${turns.toFixed(0).padStart(6)} turns/s   p50 ${ms(pct(chat.latencies, 50))}   p95 ${ms(pct(chat.latencies, 95))}   p99 ${ms(pct(chat.latencies, 99))}   (${chat.booked} bookings)`,
  );
  console.log(
    `bare echo  ${(bare.latencies.length / bare.seconds).toFixed(0).padStart(6)} msgs/s    p50 ${ms(pct(bare.latencies, 50))}   p95 ${ms(pct(bare.latencies, 95))}   p99 ${ms(pct(bare.latencies, 99))}`,
  );
  console.log(
    JSON.stringify({
      clients: CLIENTS,
      turnsPerSec: Math.round(turns),
      p50: +pct(chat.latencies, 50).toFixed(1),
      p95: +pct(chat.latencies, 95).toFixed(1),
      p99: +pct(chat.latencies, 99).toFixed(1),
      echoP50: +pct(bare.latencies, 50).toFixed(2),
      echoP99: +pct(bare.latencies, 99).toFixed(2),
    }),
  );
} finally {
  await platform.close();
  await rm(dataDir, { recursive: true, force: true });
  await database.close();
}
