import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startPlatform } from './platform.ts';

describe('the platform on embedded defaults', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  // MQTT_BROKER_PORT 0: the embedded broker on a random port (1883 may be Mosquitto's)
  const config = (dataDir: string) =>
    loadConfig({ PORT: '0', MQTT_BROKER_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });

  it('generates an API key once, seeds once, and keeps all data across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'spp-restart-'));
    dirs.push(dataDir);
    const shown: string[] = [];
    const onGeneratedApiKey = (key: string) => void shown.push(key);

    const first = await startPlatform(config(dataDir), createLogger('silent'), { onGeneratedApiKey });
    expect(shown).toHaveLength(1);
    const key = shown[0]!;
    expect((await stat(join(dataDir, 'api-key'))).mode & 0o777).toBe(0o600);
    const auth = { authorization: `Bearer ${key}` };
    const facilities = (await (await fetch(`${first.url}/api/v1/facilities`, { headers: auth })).json()) as {
      facilities: Array<{ id: string }>;
    };
    expect(facilities.facilities.length).toBeGreaterThanOrEqual(5);
    const from = new Date(Date.now() + 86_400_000);
    from.setUTCHours(10, 0, 0, 0);
    const created = await fetch(`${first.url}/api/v1/bookings`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        facilityId: facilities.facilities[0]!.id,
        from: from.toISOString(),
        to: new Date(from.getTime() + 3_600_000).toISOString(),
        plate: 'KEEP 1',
      }),
    });
    expect(created.status).toBe(201);
    const booking = (await created.json()) as { id: string };
    await first.close();

    const second = await startPlatform(config(dataDir), createLogger('silent'), { onGeneratedApiKey });
    try {
      expect(shown).toHaveLength(1); // not generated again
      expect((await readFile(join(dataDir, 'api-key'), 'utf8')).trim()).toBe(key);
      const again = await fetch(`${second.url}/api/v1/bookings/${booking.id}`, { headers: auth });
      expect(again.status).toBe(200);
      expect(await second.db.prisma.facility.count()).toBe(facilities.facilities.length); // not seeded twice
    } finally {
      await second.close();
    }
  });

  it('refuses a second instance on the same data directory instead of corrupting it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'spp-lock-'));
    dirs.push(dataDir);
    const first = await startPlatform(config(dataDir), createLogger('silent'), {
      onGeneratedApiKey: () => {},
    });
    try {
      await expect(startPlatform(config(dataDir), createLogger('silent'))).rejects.toThrow(
        /in use by process/,
      );
    } finally {
      await first.close();
    }
  });

  it('stops accepting on close but lets a request already in flight finish', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'spp-close-'));
    dirs.push(dataDir);
    const p = await startPlatform(config(dataDir), createLogger('silent'), { onGeneratedApiKey: () => {} });
    const key = (await readFile(join(dataDir, 'api-key'), 'utf8')).trim();
    const inFlight = fetch(`${p.url}/api/v1/facilities`, { headers: { authorization: `Bearer ${key}` } });
    await new Promise((r) => setTimeout(r, 5)); // let the request reach the server
    const closing = p.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    await closing;
    await expect(fetch(`${p.url}/healthz`)).rejects.toThrow();
  });
});
