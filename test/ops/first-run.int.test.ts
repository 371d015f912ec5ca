import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { formatBanner } from '../../app/banner.ts';
import { loadConfig } from '../../app/config.ts';
import { createLogger, isPretty } from '../../app/logger.ts';
import { startPlatform } from '../../app/platform.ts';
import { freePort } from '../support/mqtt.ts';

/** Holds a loopback port (or finds it already held by someone else, e.g. Mosquitto on 1883). */
async function holdPort(port: number): Promise<Server | null> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  const [event] = await Promise.race([once(server, 'listening').then(() => ['ok']), once(server, 'error')]);
  if (event === 'ok') return server;
  expect((event as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
  return null;
}

describe('a first run on a busy machine', () => {
  const dirs: string[] = [];
  const dataDir = async () => {
    const d = await mkdtemp(join(tmpdir(), 'spp-first-'));
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('moves the embedded MQTT broker to a free port when 1883 is taken and says where it listens', async () => {
    const held = await holdPort(1883); // Mosquitto usually has it already
    const dir = await dataDir();
    try {
      const p = await startPlatform(
        loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent' }),
        createLogger('silent'),
        { onGeneratedApiKey: () => {} },
      );
      try {
        const broker = Object.fromEntries(p.banner)['MQTT broker'];
        expect(broker).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+ \(embedded\)$/);
        expect(broker).not.toContain(':1883 ');
        // `npm run simulate` finds it through the data directory
        expect((await readFile(join(dir, 'mqtt-url'), 'utf8')).trim()).toBe(broker!.split(' ')[0]);
        const text = formatBanner(p.banner, { generatedKey: 'spk_example' });
        for (const part of ['/console', '/api/v1/openapi.json', broker!, 'spk_example'])
          expect(text).toContain(part);
        expect(text.match(/spk_example/g)).toHaveLength(1);
      } finally {
        await p.close();
      }
    } finally {
      held?.close();
    }
  }, 240_000); // a first start migrates a new embedded database and trains the NLU: 90 s on a busy 2-core machine

  it('stops with a message naming PORT when the HTTP port is taken', async () => {
    const port = await freePort();
    const held = (await holdPort(port))!;
    try {
      await expect(
        startPlatform(
          loadConfig({
            PORT: String(port),
            MQTT_BROKER_PORT: '0',
            DATA_DIR: await dataDir(),
            LOG_LEVEL: 'silent',
          }),
          createLogger('silent'),
          { onGeneratedApiKey: () => {} },
        ),
      ).rejects.toThrow(new RegExp(`^PORT ${port} on 127\\.0\\.0\\.1 is already in use.*PORT=${port + 1}`));
    } finally {
      held.close();
    }
  });
});

describe('log format', () => {
  const capture = () => {
    let out = '';
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    return { stream, text: () => out };
  };

  it('is readable lines on a terminal and JSON lines otherwise or when asked', () => {
    expect(isPretty('auto', true)).toBe(true);
    expect(isPretty('auto', false)).toBe(false);
    expect(isPretty('json', true)).toBe(false);
    expect(isPretty('pretty', false)).toBe(true);
    expect(loadConfig({}).LOG_FORMAT).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('writes JSON lines with secrets redacted', () => {
    const out = capture();
    const logger = createLogger('info', 'json', out.stream);
    logger.info({ req: { headers: { authorization: 'Bearer sekrit-123' } }, requestId: 'r-1' }, 'hello');
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'hello', requestId: 'r-1', service: 'smart-parking-platform' });
    expect(out.text()).not.toContain('sekrit-123');
  });
});
