/**
 * npm run bench:turns — many concurrent widget clients (socket.io-client), each running whole
 * booking conversations against the platform on real PostgreSQL and Redis; beside it, in the same
 * run, a bare socket.io echo server's round trip with as many clients.
 *
 *   BENCH_CLIENTS=40 BENCH_CONVERSATIONS=3 npm run bench:turns
 *   BENCH_CLIENTS=40,200,500 npm run bench:turns          # each count in turn, one platform
 *   BENCH_CPU_PROF=/tmp/prof npm run bench:turns          # a .cpuprofile of the platform's measured phases
 *   BENCH_NODE_ARGS=--perf-basic-prof npm run bench:turns # extra node flags for the platform (e.g. for `perf record`)
 *   BENCH_BASELINE_DIR=../old npm run bench:turns         # also an older checkout's platform, in the same run
 *
 * The platform and the echo server each run in a child process (bench/turns-server.ts), so the
 * CPU time reported per turn is the server's alone — the clients' socket.io work stays in this
 * process. It is the child's `process.cpuUsage()` (user + system; the system part is printed too:
 * the kernel's share of socket round trips) over the measured phase divided
 * by the turns of that phase; it includes everything the platform does meanwhile (periodic work,
 * the lock's and state's Redis traffic), but not PostgreSQL's or Redis's own processes.
 *
 * Per client count it prints turns/s, p50/p95/p99 latency, CPU ms per turn, and turns/s ÷ the
 * echo server's msgs/s at the same client count (the share of a bare socket.io round trip the
 * platform keeps: less noisy on a shared machine than turns/s alone). Sockets connect in batches of
 * BENCH_CONNECT_BATCH (50) so that 500 can connect at once; a warm-up (up to 40 clients, one
 * conversation each) runs first. With BENCH_BASELINE_DIR (another checkout of this repository, its
 * dependencies installed — e.g. `git worktree add ../old <commit> && (cd ../old && npm ci)`), that
 * checkout's platform runs beside this one on its own fresh database and is measured right after
 * it at every client count: before → after from one run, on a machine whose load drifts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import { startFlags } from '../scripts/start-flags.ts';

const COUNTS = (process.env['BENCH_CLIENTS'] ?? '40').split(',').map((n) => {
  const count = Number(n);
  if (!Number.isInteger(count) || count < 1 || count > 500)
    throw new Error(`BENCH_CLIENTS takes client counts from 1 to 500 (e.g. 40,200,500), not "${n}"`);
  return count;
});
const CONVERSATIONS = Number(process.env['BENCH_CONVERSATIONS'] ?? 3);
/** another checkout (with its node_modules), measured in the same run right after this one's platform */
const BASELINE_DIR = process.env['BENCH_BASELINE_DIR'];
const CONNECT_BATCH = Number(process.env['BENCH_CONNECT_BATCH'] ?? 50);
const TURN_TIMEOUT_MS = Number(process.env['BENCH_TURN_TIMEOUT_MS'] ?? 30_000);
const FACILITIES = ["King's Cross", 'Wembley', 'Westfield', 'Paddington', 'Southbank'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** A server in a child process: its URL, its CPU time so far (ms), and a way to stop it. */
interface ServerProcess {
  readonly url: string;
  /** user + system CPU ms so far, and the system part alone (kernel work: sockets, syscalls) */
  cpuMs(): Promise<{ total: number; system: number }>;
  /** asks the server to start (`'profile-start'`) or stop and write (`'profile-stop'`) a CPU profile */
  profile(command: 'profile-start' | 'profile-stop'): Promise<unknown>;
  stop(): Promise<void>;
}

/** `kind` from this checkout's bench/turns-server.ts, or from another checkout's (`dir`) */
async function startServer(kind: 'platform' | 'echo', dir?: string): Promise<ServerProcess> {
  const script = dir
    ? join(resolve(dir), 'bench', 'turns-server.ts')
    : fileURLToPath(new URL('./turns-server.ts', import.meta.url));
  const child: ChildProcess = fork(script, [kind], {
    ...(dir ? { cwd: resolve(dir) } : {}),
    execArgv: [
      '--import',
      'tsx',
      // each checkout's platform runs with the node flags of its own `npm start`
      ...(kind === 'platform' ? startFlags(dir) : ['--disable-warning=PINODEP008']),
      ...(process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(pick: (m: Record<string, unknown>) => T | undefined) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: unknown) => {
        const v = pick(m as Record<string, unknown>);
        if (v === undefined) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(v);
      };
      const onExit = (code: number | null) => reject(new Error(`the ${kind} server exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const url = await next((m) => m['url'] as string | undefined);
  return {
    url,
    cpuMs: async () => {
      const cpu = next((m) => m['cpu'] as NodeJS.CpuUsage | undefined);
      child.send('cpu');
      const { user, system } = await cpu;
      return { total: (user + system) / 1000, system: system / 1000 };
    },
    profile: (command) => {
      const done = next((m) => m['profile'] ?? m['profiling']);
      child.send(command);
      return done;
    },
    stop: async () => {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.send('stop');
      await exited;
    },
  };
}

/** Sends one message and resolves when a reply matching `until` arrives; returns the latency. */
function turn(socket: Socket, message: object, until: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let typing = false;
    socket.once('typing', () => (typing = true));
    const timer = setTimeout(() => {
      const e = new Error(
        `no reply matching ${until} to ${JSON.stringify(message)} (typing seen: ${typing})`,
      );
      console.error(e.message);
      reject(e);
    }, TURN_TIMEOUT_MS);
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

/** `count` sockets to `url`'s chat namespace, connected `CONNECT_BATCH` at a time. */
async function connectAll(url: string, count: number, readyEvent: 'session' | 'connect'): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - i) }, () => {
      const s = connect(`${url}/chat`, { transports: ['websocket'], auth: {}, forceNew: true });
      return new Promise<Socket>((resolve, reject) => {
        s.once(readyEvent, () => resolve(s));
        s.once('connect_error', reject);
      });
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

interface Phase {
  readonly latencies: number[];
  readonly seconds: number;
  readonly cpuMs: number;
  readonly systemMs: number;
  readonly booked: number;
}

/** Runs `script` on every socket at once; times it and the server's CPU over exactly that phase. */
async function measured(
  server: ServerProcess,
  sockets: Socket[],
  script: (s: Socket, i: number, latencies: number[]) => Promise<number>,
): Promise<Phase> {
  const latencies: number[] = [];
  const cpuBefore = await server.cpuMs();
  const started = performance.now();
  const booked = await Promise.all(sockets.map((s, i) => script(s, i, latencies)));
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = await server.cpuMs();
  const cpuMs = cpuAfter.total - cpuBefore.total;
  const systemMs = cpuAfter.system - cpuBefore.system;
  for (const s of sockets) s.close();
  return { latencies, seconds, cpuMs, systemMs, booked: booked.reduce((a, b) => a + b, 0) };
}

/** Whole booking conversations (three turns each), `conversations` per client, one after another. */
const bookingConversations =
  (clients: number, conversations: number, offset: number) =>
  async (s: Socket, i: number, latencies: number[]): Promise<number> => {
    let booked = 0;
    for (let c = 0; c < conversations; c++) {
      const hour = 7 + ((i + c * clients) % 12);
      const facility = FACILITIES[(i + c) % FACILITIES.length];
      const plate = `BN${String((offset + i * conversations + c) % 1000).padStart(3, '0')}AA`;
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
    return booked;
  };

const echoes = async (s: Socket, _i: number, latencies: number[]): Promise<number> => {
  for (let i = 0; i < CONVERSATIONS * 3; i++) latencies.push(await turn(s, { text: 'hello' }, /echo/));
  return 0;
};

const platform = await startServer('platform');
const baseline = BASELINE_DIR ? await startServer('platform', BASELINE_DIR) : null;
const echo = await startServer('echo');
const results: Record<string, number>[] = [];

/** Warms a platform up: up to 40 clients, one booking conversation each. */
const warmUp = async (server: ServerProcess) => {
  const clients = Math.min(40, Math.max(...COUNTS));
  await measured(
    server,
    await connectAll(server.url, clients, 'session'),
    bookingConversations(clients, 1, 1000),
  ).catch((e: unknown) => {
    throw new Error(`warm-up failed: ${String(e)}`);
  });
};

const line = (label: string, p: Phase) => {
  const turns = p.latencies.length / p.seconds;
  return `${label.padEnd(10)} ${turns.toFixed(0).padStart(6)} turns/s   p50 ${ms(pct(p.latencies, 50))}   p95 ${ms(pct(p.latencies, 95))}   p99 ${ms(pct(p.latencies, 99))}   CPU ${(p.cpuMs / p.latencies.length).toFixed(2)} ms/turn (system ${(p.systemMs / p.latencies.length).toFixed(2)})   (${p.booked} bookings)`;
};

try {
  await warmUp(platform);
  if (baseline) await warmUp(baseline);
  let offset = 2000;
  const profiling = Boolean(process.env['BENCH_CPU_PROF']);
  if (profiling) await platform.profile('profile-start');
  for (const clients of COUNTS) {
    const chat = await measured(
      platform,
      await connectAll(platform.url, clients, 'session'),
      bookingConversations(clients, CONVERSATIONS, offset),
    );
    offset += clients;
    if (profiling && clients === COUNTS.at(-1))
      console.log(`\nCPU profile of the platform: ${String(await platform.profile('profile-stop'))}`);
    const before = baseline
      ? await measured(
          baseline,
          await connectAll(baseline.url, clients, 'session'),
          bookingConversations(clients, CONVERSATIONS, offset),
        )
      : null;
    const bare = await measured(echo, await connectAll(echo.url, clients, 'connect'), echoes);
    const turns = chat.latencies.length / chat.seconds;
    const msgs = bare.latencies.length / bare.seconds;
    const cpuPerTurn = chat.cpuMs / chat.latencies.length;
    const systemPerTurn = chat.systemMs / chat.latencies.length;
    console.log(
      `\nbench:turns — ${clients} concurrent widget clients × ${CONVERSATIONS} booking conversations (3 turns each), PostgreSQL + Redis`,
    );
    console.log(line('platform', chat));
    if (before) console.log(line('baseline', before));
    console.log(
      `bare echo  ${msgs.toFixed(0).padStart(6)} msgs/s    p50 ${ms(pct(bare.latencies, 50))}   p95 ${ms(pct(bare.latencies, 95))}   p99 ${ms(pct(bare.latencies, 99))}   CPU ${(bare.cpuMs / bare.latencies.length).toFixed(2)} ms/msg`,
    );
    console.log(`platform ÷ echo  ${(turns / msgs).toFixed(3)} (turns/s per echo msg/s)`);
    const beforeTurns = before ? before.latencies.length / before.seconds : NaN;
    if (before)
      console.log(
        `platform ÷ baseline  ${(turns / beforeTurns).toFixed(2)}× turns/s, ${(before.cpuMs / before.latencies.length / cpuPerTurn).toFixed(2)}× less CPU per turn`,
      );
    results.push({
      clients,
      turnsPerSec: Math.round(turns),
      p50: +pct(chat.latencies, 50).toFixed(1),
      p95: +pct(chat.latencies, 95).toFixed(1),
      p99: +pct(chat.latencies, 99).toFixed(1),
      cpuMsPerTurn: +cpuPerTurn.toFixed(2),
      systemMsPerTurn: +systemPerTurn.toFixed(2),
      echoMsgsPerSec: Math.round(msgs),
      ratioToEcho: +(turns / msgs).toFixed(4),
      echoP50: +pct(bare.latencies, 50).toFixed(2),
      echoP99: +pct(bare.latencies, 99).toFixed(2),
      ...(before
        ? {
            baselineTurnsPerSec: Math.round(beforeTurns),
            baselineP95: +pct(before.latencies, 95).toFixed(1),
            baselineCpuMsPerTurn: +(before.cpuMs / before.latencies.length).toFixed(2),
          }
        : {}),
    });
  }
  console.log();
  for (const r of results) console.log(JSON.stringify(r));
} finally {
  await Promise.allSettled([platform.stop(), echo.stop(), ...(baseline ? [baseline.stop()] : [])]);
}
