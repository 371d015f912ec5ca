import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingCore } from '../../booking-core/index.ts';
import { createParkingBot } from '../../bot/index.ts';
import { seedDemoCity } from '../../prisma/seed.ts';
import { testNlu } from '../../test/support/bot.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { TEST_REDIS_URL, testRedis } from '../../test/support/redis.ts';
import { FakeWebClient } from '../../test/support/whatsapp-web.ts';
import { ConversationRuntime, MemoryKeyedLock, RedisKeyedLock, type KeyedLock } from '../runtime/index.ts';
import { MemoryChoiceMemory } from '../whatsapp/choices.ts';
import { WhatsAppWebChannel } from './adapter.ts';
import { whatsAppWebConfigSchema } from './config.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function until<T>(check: () => T | Promise<T>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('WhatsApp Web with the real bot, through a stand-in client', () => {
  let db: TestDatabase;
  let runtime: ConversationRuntime;
  const channels: WhatsAppWebChannel[] = [];

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    await seedDemoCity(db.prisma);
    const core = createBookingCore({ db });
    const parts = createParkingBot({
      db,
      core,
      understanding: await testNlu(),
      redis: null,
      defaultTimeZone: 'Europe/London',
      idleMinutes: 30,
      messagesPerMinute: 1000,
      onError: () => undefined,
    });
    await parts.directory.all();
    runtime = new ConversationRuntime({
      bot: parts.bot,
      middleware: parts.middleware,
      conversations: parts.conversations,
      lock: new MemoryKeyedLock(),
      logger: silent,
    });
  });
  afterAll(async () => {
    for (const c of channels) await c.stop();
    await runtime?.stop();
    await db?.close();
  });

  function channel(client: FakeWebClient, lock: KeyedLock = new MemoryKeyedLock(), leaseTtlMs = 30_000) {
    const c = new WhatsAppWebChannel({
      config: whatsAppWebConfigSchema.parse({
        sessionDir: '/nonexistent',
        leaseTtlMs,
        retryBaseMs: 20,
        retryMaxMs: 100,
      }),
      runtime,
      lock,
      createClient: () => client,
      choices: new MemoryChoiceMemory(),
      logger: silent,
    });
    runtime.registerChannel(c.outlet);
    channels.push(c);
    return c;
  }
  const ready = () => new FakeWebClient(async (c) => void c.emit('ready'));

  it('books by numbered choices: a number and the words of a choice both pick', async () => {
    const client = ready();
    const c = channel(client);
    c.start();
    await until(() => c.session.state === 'connected', 'connected');
    const chat = '447700900777@c.us';
    const said = async (text: string) => {
      const before = client.sent.length;
      client.receive(chat, { body: text, notifyName: 'Wanda' });
      await until(() => client.sent.length > before, `a reply to "${text}"`);
      await new Promise((r) => setTimeout(r, 100));
      return client.sent
        .slice(before)
        .map((s) => s.content)
        .join('\n');
    };
    const offer = await said('book an EV space at Paddington tomorrow 9-11, plate WB12 WEB');
    expect(offer).toMatch(/1\. .+\n2\. .+\n3\. /); // Book it / change / no, numbered
    expect(offer).not.toMatch(/\[|\{/); // plain text, no markup from buttons
    await said('1');
    const booking = await db.prisma.booking.findFirst({
      where: { plate: 'WB12WEB' },
      include: { driver: true },
    });
    expect(booking).toMatchObject({ status: 'confirmed' });
    expect(booking?.driver?.phone).toBe('+447700900777');

    const cancel = await said('cancel my booking');
    const yes = /(\d+)\. (Yes[^\n]*)/i.exec(cancel);
    expect(yes).not.toBeNull();
    await said(yes![2]!); // the choice's own words
    await until(
      async () =>
        (await db.prisma.booking.findFirst({ where: { plate: 'WB12WEB' } }))?.status === 'cancelled',
      'the booking cancelled',
    );
    expect(client.typing).toContain(chat); // "typing…" while the bot works on a reply
    const shown = client.typing.length;
    // an agent writing in the console: the driver sees "typing…" in the chat too
    expect(await runtime.typing({ channel: 'whatsapp-web', externalId: chat })).toBe(true);
    expect(client.typing.slice(shown)).toEqual([chat]);
  });

  it('a shared location and an unreadable voice note', async () => {
    const client = ready();
    const c = channel(client);
    c.start();
    await until(() => c.session.state === 'connected', 'connected');
    const chat = '447700900778@c.us';
    client.receive(chat, { type: 'location', lat: 51.5316, lng: -0.1236 });
    await until(
      () => client.sent.some((s) => /1\. .+ — \d+\/\d+ free/.test(s.content)),
      'numbered car parks',
    );
    const before = client.sent.length;
    client.receive(chat, { type: 'ptt' });
    await until(() => client.sent.length > before, 'the polite answer');
    expect(client.sent.at(-1)?.content).toMatch(/text, buttons and locations/);
  });

  it('reconnects after the phone disconnects, and delivers again', async () => {
    const first = ready();
    const second = ready();
    const clients = [first, second];
    const c = new WhatsAppWebChannel({
      config: whatsAppWebConfigSchema.parse({ sessionDir: '/nonexistent', retryBaseMs: 20, retryMaxMs: 100 }),
      runtime,
      lock: new MemoryKeyedLock(),
      createClient: () => clients.shift()!,
      choices: new MemoryChoiceMemory(),
      logger: silent,
    });
    channels.push(c);
    runtime.registerChannel(c.outlet);
    c.start();
    await until(() => c.session.state === 'connected', 'connected');
    first.emit('disconnected', 'NAVIGATION');
    await until(
      () => first.destroyed && c.session.state === 'connected' && second.initialized,
      'reconnected',
    );
    second.receive('447700900779@c.us', { body: 'help' });
    await until(() => second.sent.length > 0, 'a reply on the new connection');
  });
});

describe.skipIf(!TEST_REDIS_URL)('WhatsApp Web runs on one instance (real Redis)', () => {
  const redises: Redis[] = [];
  afterAll(async () => {
    for (const r of redises) r.disconnect();
  });

  it('the second instance stands by, and takes over when the first dies', async () => {
    const { redis: ra, prefix } = testRedis();
    const { redis: rb } = testRedis();
    redises.push(ra, rb);
    const make = (redis: Redis, client: FakeWebClient) =>
      new WhatsAppWebChannel({
        config: whatsAppWebConfigSchema.parse({
          sessionDir: '/x',
          leaseTtlMs: 1_000,
          retryBaseMs: 20,
          retryMaxMs: 100,
        }),
        runtime: { handle: async () => undefined } as unknown as ConversationRuntime,
        lock: new RedisKeyedLock(redis, { prefix }),
        createClient: () => client,
        choices: new MemoryChoiceMemory(),
        logger: silent,
      });
    const ca = new FakeWebClient(async (c) => void c.emit('ready'));
    const cb = new FakeWebClient(async (c) => void c.emit('ready'));
    const a = make(ra, ca);
    const b = make(rb, cb);
    a.start();
    await until(() => a.session.state === 'connected', 'a connected');
    b.start();
    await new Promise((r) => setTimeout(r, 700));
    expect(b.session.state).toBe('standby');
    expect(cb.initialized).toBe(false);
    // instance a "dies": its Redis connection goes, it can no longer renew, its lease lapses
    ra.disconnect();
    await until(() => b.session.state === 'connected', 'b took over', 10_000);
    await until(() => ca.destroyed, "a's browser closed");
    await a.stop();
    await b.stop();
  });
});
