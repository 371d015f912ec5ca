import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type RunningPlatform } from '../../test/support/platform.ts';
import type { ChatActivity, Session } from './protocol.ts';

describe('web chat channel (/chat) on the running platform', () => {
  let p: RunningPlatform;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    p = await startTestPlatform('pglite', { WIDGET_ORIGINS: 'https://shop.example' });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await p?.stop();
  });

  const open = (auth: { token?: string } = {}, origin?: string) => {
    const s = io(`${p.url}/chat`, {
      transports: ['websocket'],
      auth,
      forceNew: true,
      reconnection: false,
      ...(origin ? { extraHeaders: { origin } } : {}),
    });
    sockets.push(s);
    const activities: ChatActivity[] = [];
    const notices: string[] = [];
    s.on('activity', (a: ChatActivity) => activities.push(a));
    s.on('notice', (n: { code: string }) => notices.push(n.code));
    const session = new Promise<Session>((resolve, reject) => {
      s.once('session', resolve);
      s.once('connect_error', reject);
    });
    const history = new Promise<ChatActivity[]>((resolve) =>
      s.once('history', (h: { activities: ChatActivity[] }) => resolve(h.activities)),
    );
    const reply = (count: number) =>
      new Promise<ChatActivity[]>((resolve) => {
        const check = () =>
          activities.length >= count ? resolve(activities.slice(0, count)) : setTimeout(check, 20);
        check();
      });
    return { s, session, history, activities, notices, reply };
  };

  it('starts a session, answers in the conversation, and resumes it (with history) from the token', async () => {
    const first = open();
    const { token, conversationId } = await first.session;
    first.s.emit('message', { text: 'hello' });
    const [greeting] = await first.reply(1);
    expect(greeting?.text).toMatch(/parking assistant/);
    expect(greeting?.suggestedActions?.length).toBeGreaterThan(0);
    first.s.close();

    const again = open({ token });
    expect((await again.session).conversationId).toBe(conversationId);
    const history = await again.history;
    expect(history.map((a) => [a.from, a.text?.slice(0, 5)])).toEqual([
      ['driver', 'hello'],
      ['bot', 'Hi! I'],
    ]);
  });

  it('replaces a forged or garbled token with a new session', async () => {
    const real = await open().session;
    const [h, payload] = real.token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'someone-else', cid: real.conversationId, aud: 'web-chat' })).toString('base64url')}.${real.token.split('.')[2]}`;
    for (const token of [forged, 'garbage', `${h}.${payload}.`]) {
      const s = await open({ token }).session;
      expect(s.conversationId).not.toBe(real.conversationId);
    }
  });

  it('refuses pages from origins not allowed to embed the widget', async () => {
    await expect(open({}, 'https://evil.example').session).rejects.toThrow(/may not embed/);
    await expect(open({}, 'https://shop.example').session).resolves.toMatchObject({
      conversationId: expect.any(String),
    });
    await expect(open({}, p.url).session).resolves.toMatchObject({ conversationId: expect.any(String) }); // its own demo page
  });

  it('answers malformed messages with a notice and records nothing', async () => {
    const c = open();
    const { conversationId } = await c.session;
    for (const bad of [
      {},
      { text: '' },
      { text: 42 },
      { value: 'x', text: 'y' },
      'hello',
      { text: 'x'.repeat(10_001) },
    ]) {
      c.s.emit('message', bad);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(c.notices).toEqual(Array(6).fill('MESSAGE.INVALID'));
    expect(c.activities).toEqual([]);
    expect(await p.db.prisma.conversation.count({ where: { externalId: conversationId } })).toBe(0);
  });

  it('reads only the first 2,000 characters of a long message, and says so', async () => {
    const c = open();
    await c.session;
    c.s.emit('message', { text: 'I need a parking space near the stadium please. '.repeat(100) });
    const replies = await c.reply(2);
    expect(replies[0]?.text).toMatch(/only read the first 2000 characters/);
  });
});
