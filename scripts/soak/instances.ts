import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { startFlags } from '../start-flags.ts';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

export const OPS_API_KEY = 'ops-test-key-0123456789abcdef';
export const OPS_WIDGET_SECRET = 'ops-widget-secret-0123456789abcdef0123456789';

/** One platform process, started as `npm start` would start it (JSON logs). */
export interface Instance {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** every log line so far, parsed */
  readonly logs: Array<Record<string, unknown>>;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** SIGTERM (graceful) and wait for exit; resolves the exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** resident memory of the process, from /metrics */
  rssBytes(): Promise<number>;
}

/**
 * Starts `app/main.ts` in its own process on a free port with the given settings (PostgreSQL, Redis,
 * MQTT URLs…), and waits until it answers /healthz.
 */
export async function startInstance(env: Record<string, string>, name = 'instance'): Promise<Instance> {
  const port = await freePort();
  const dataDir = env['DATA_DIR'] ?? (await mkdtemp(join(tmpdir(), `spp-${name}-`)));
  const child = spawn(process.execPath, [...startFlags(), '--import', 'tsx', 'app/main.ts'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      API_KEYS: OPS_API_KEY,
      WIDGET_SECRET: OPS_WIDGET_SECRET,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...env,
    },
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  let buffer = '';
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`${name} exited with ${code} before it was running:\n${stderr}`)),
    ),
  );
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  // Running = answering /healthz (the HTTP server listens last, once everything else has started).
  const running = (async () => {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  await Promise.race([running, exited]);
  exited.catch(() => {});
  const url = `http://127.0.0.1:${port}`;
  const api: Instance['api'] = (path, init = {}) => {
    const { json, headers, ...rest } = init;
    return fetch(url + path, {
      ...rest,
      headers: {
        authorization: `Bearer ${OPS_API_KEY}`,
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(headers as Record<string, string> | undefined),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  };
  return {
    url,
    port,
    process: child,
    logs,
    api,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      if (!env['DATA_DIR']) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
    rssBytes: async () => {
      const text = await (await api('/metrics')).text();
      return Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? NaN);
    },
  };
}

/** A metric's value from Prometheus text (the first sample matching name and labels). */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}
