import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './instances.ts';

/** Waits until something accepts TCP connections on the loopback port. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A private server process (redis-server, mosquitto) that can be killed and started again on its port. */
export interface ThrowAwayServer {
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  /** SIGKILL: the server vanishes as in a crash */
  kill(): Promise<void>;
  close(): Promise<void>;
}

function throwAway(
  scheme: string,
  command: (port: number, dir: string) => Promise<[string, string[]]>,
): () => Promise<ThrowAwayServer> {
  return async () => {
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), `spp-${scheme}-`));
    const [cmd, args] = await command(port, dir);
    let child: ChildProcess | null = null;
    const kill = async () => {
      const c = child;
      child = null;
      if (c && c.exitCode === null && c.signalCode === null) {
        const exited = once(c, 'exit');
        c.kill('SIGKILL');
        await exited;
      }
    };
    const start = async () => {
      child = spawn(cmd, args, { stdio: 'ignore' });
      await waitForPort(port);
    };
    await start();
    return {
      url: `${scheme}://127.0.0.1:${port}`,
      port,
      start,
      kill,
      close: async () => {
        await kill();
        await rm(dir, { recursive: true, force: true });
      },
    };
  };
}

/** `redis-server` on a free port, no persistence. */
export const startThrowAwayRedis = throwAway('redis', async (port, dir) => [
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
]);

/** `mosquitto` on a free port (MQTT 3.1.1 and 5, shared subscriptions), no persistence. */
export const startThrowAwayMosquitto = throwAway('mqtt', async (port, dir) => {
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  return ['mosquitto', ['-c', conf]];
});

/** A database of its own on the PostgreSQL server of `adminUrl`; `drop()` removes it. */
export async function throwAwayDatabase(adminUrl: string, prefix = 'spp_ops') {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A TCP proxy in front of a server, to cut it off without touching it: `block()` drops every
 * connection through it and refuses new ones (as when the server dies), `unblock()` lets them in.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let blocked = false;
  const server = createServer((client) => {
    if (blocked) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    port,
    block: () => {
      blocked = true;
      for (const s of sockets) s.destroy();
    },
    unblock: () => {
      blocked = false;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
