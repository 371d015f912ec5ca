import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumClientFactory } from './client.ts';
import { WhatsAppWebSession } from './session.ts';

const CHROMIUM = '/usr/bin/chromium';
const chromiumsUsing = (dir: string) =>
  execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir) && /chrom/i.test(line));

// The real whatsapp-web.js on Debian's Chromium, with no internet: it must fail to start without
// harming anything, report it, and leave no browser behind when the platform stops.
describe.skipIf(!existsSync(CHROMIUM))('WhatsApp Web on real Chromium, offline', () => {
  it('cannot start, says why, and no Chromium outlives stop()', async () => {
    const sessionDir = await mkdtemp(join(tmpdir(), 'wa-web-'));
    const lease = { renew: async () => true, release: async () => undefined };
    const session = new WhatsAppWebSession({
      createClient: await chromiumClientFactory({ sessionDir, chromiumPath: CHROMIUM }),
      lock: { tryLease: async () => lease },
      leaseKey: 'wa-web',
      leaseTtlMs: 30_000,
      retryBaseMs: 60_000,
      retryMaxMs: 60_000,
      onMessage: () => undefined,
    });
    session.start();
    for (let i = 0; i < 600 && session.state !== 'disconnected'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(session.state).toBe('disconnected');
    expect(session.lastError).toMatch(/ERR_|net::|timeout/i);
    await session.stop();
    expect(chromiumsUsing(sessionDir)).toEqual([]);
    await rm(sessionDir, { recursive: true, force: true });
  });
});
