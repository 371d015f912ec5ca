/**
 * Two platform instances on one PostgreSQL database and one Redis, as behind a load balancer: a
 * driver's messages reaching both at once still get one turn after the other, and a message can
 * be delivered to a widget from the instance that does not hold its socket.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { startTestPlatform, type RunningPlatform } from '../../test/support/platform.ts';
import { TEST_REDIS_URL } from '../../test/support/redis.ts';
import type { ChatActivity, Session } from '../web/protocol.ts';

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)('two instances on one Redis and one database', () => {
  let database: TestDatabase;
  let one: RunningPlatform;
  let two: RunningPlatform;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    const env = {
      DATABASE_URL: database.url ?? '',
      REDIS_URL: TEST_REDIS_URL ?? '',
      WIDGET_SECRET: 'two-instances-share-this-widget-secret-0123456789',
    };
    one = await startTestPlatform('postgres', env);
    two = await startTestPlatform('postgres', env);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await one?.stop();
    await two?.stop();
    await database?.close();
  });

  /** A widget client on one instance; `token` resumes a session (the same conversation). */
  function client(p: RunningPlatform, token?: string) {
    const s = io(`${p.url}/chat`, {
      transports: ['websocket'],
      auth: token ? { token } : {},
      forceNew: true,
      reconnection: false,
    });
    sockets.push(s);
    const seen: ChatActivity[] = [];
    s.on('activity', (a: ChatActivity) => seen.push(a));
    const session = new Promise<Session>((resolve, reject) => {
      s.once('session', resolve);
      s.once('connect_error', reject);
    });
    const bot = () => seen.filter((a) => a.from !== 'driver');
    const until = (test: (texts: string[]) => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (test(bot().map((a) => a.text ?? '')) ? resolve() : setTimeout(check, 25));
        check();
      });
    return { s, session, seen, bot, until };
  }

  const transcript = async (conversationId: string) =>
    (
      await one.db.prisma.transcriptMessage.findMany({
        where: { conversation: { channel: 'web', externalId: conversationId } },
        orderBy: { id: 'asc' },
        select: { sender: true, text: true, payload: true },
      })
    ).map((e) => ({ ...e, payload: e.payload as Record<string, unknown> | null }));

  it("runs a driver's messages reaching both instances at once one after the other, replies in order", async () => {
    const a = client(one);
    const { token, conversationId } = await a.session;
    const b = client(two, token); // the driver's second tab, routed to the other instance
    expect((await b.session).conversationId).toBe(conversationId);

    a.s.emit('message', { text: 'book a space at Paddington tomorrow 9 to 11' });
    await a.until((t) => t.some((x) => /licence plate/.test(x)));
    const before = a.bot().length;

    a.s.emit('message', { text: 'RS12 TRT' });
    b.s.emit('message', { text: 'thanks!' });
    await a.until(
      (t) => t.slice(before).some((x) => /welcome/i.test(x)) && t.some((x) => /Shall I book it/.test(x)),
    );
    await b.until((t) => t.length >= a.bot().length);

    // One turn after the other: each driver's message is followed by its own replies.
    const entries = await transcript(conversationId);
    const senders = entries.map((e) => e.sender).join(' ');
    expect(senders).not.toMatch(/driver driver/);
    expect(entries.filter((e) => e.sender === 'driver').map((e) => e.text)).toEqual([
      'book a space at Paddington tomorrow 9 to 11',
      expect.stringMatching(/^(RS12 TRT|thanks!)$/),
      expect.stringMatching(/^(RS12 TRT|thanks!)$/),
    ]);
    // Both tabs, on different instances, saw the same replies in the same order.
    expect(b.bot().map((x) => x.id)).toEqual(a.bot().map((x) => x.id));

    // No lost state: the plate given during the race is in the booking the driver confirms.
    b.s.emit('message', { value: 'confirm:yes' });
    await a.until((t) => t.some((x) => /holding the space/.test(x)));
    const booking = await one.db.prisma.booking.findFirst({
      where: { plate: 'RS12TRT' },
      select: { status: true },
    });
    expect(booking?.status).toBe('held'); // held until paid (the embedded test checkout)
  });

  it('delivers a message from the instance that does not hold the socket', async () => {
    const a = client(one);
    const { conversationId } = await a.session;
    a.s.emit('message', { text: 'hello' });
    await a.until((t) => t.length >= 1);

    const result = await two.runtime.deliver(
      { channel: 'web', externalId: conversationId },
      [{ type: 'message', text: 'Ana from support here. How can I help?' }],
      { role: 'agent', name: 'Ana' },
    );
    expect(result.delivered).toBe(true);
    await a.until((t) => t.includes('Ana from support here. How can I help?'));
    expect(a.seen.at(-1)).toMatchObject({ from: 'agent', text: 'Ana from support here. How can I help?' });
    expect((await transcript(conversationId)).at(-1)).toMatchObject({
      sender: 'agent',
      text: 'Ana from support here. How can I help?',
      payload: { senderName: 'Ana' },
    });
  });
});
