import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatActivity, Session } from '../channels/web/protocol.ts';
import { addAgent } from '../test/support/console.ts';
import { metricValue } from '../test/ops/harness.ts';
import { startTestPlatform, type RunningPlatform } from '../test/support/platform.ts';

/** The handoff as a driver in the widget lives it, with agents acting over the REST API. */
describe('handoff from the driver’s side (widget channel)', () => {
  let p: RunningPlatform;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    p = await startTestPlatform('pglite');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await p?.stop();
  });

  const driver = async () => {
    const s = io(`${p.url}/chat`, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(s);
    const seen: ChatActivity[] = [];
    s.on('activity', (a: ChatActivity) => seen.push(a));
    const session = await new Promise<Session>((resolve, reject) => {
      s.once('session', resolve);
      s.once('connect_error', reject);
    });
    const waitFor = async (pattern: RegExp) => {
      await expect.poll(() => seen.some((a) => pattern.test(a.text ?? '')), { timeout: 15_000 }).toBe(true);
      return seen.find((a) => pattern.test(a.text ?? ''))!;
    };
    return {
      seen,
      session,
      waitFor,
      say: (text: string) => s.emit('message', { text }),
      press: (value: string) => s.emit('message', { value }),
    };
  };
  const handoffOf = async (externalId: string) =>
    p.db.prisma.handoffRequest.findFirstOrThrow({
      where: { conversation: { externalId } },
      orderBy: { createdAt: 'desc' },
    });

  it('nobody online: told honestly, leaves a message, an agent answers later, then a rating', async () => {
    const d = await driver();
    d.say('I want to talk to a person');
    await d.waitFor(/asked a person to join/);
    const honest = await d.waitFor(/Nobody from our team is online/);
    expect(honest.suggestedActions?.map((a) => ('value' in a ? a.value : ''))).toEqual([
      'handoff:leave',
      'handoff:message',
    ]);
    d.press('handoff:message');
    await d.waitFor(/Write your message here/);
    const before = d.seen.length;
    d.say('Please call me back about my refund');
    await new Promise((r) => setTimeout(r, 1500));
    expect(d.seen.length).toBe(before); // the bot stays quiet while the request waits
    const h = await handoffOf(d.session.conversationId);
    expect(h.status).toBe('waiting');
    expect(h.summary).toMatch(/Asked for a person/);

    const zoe = await addAgent(p, 'agent', 'Zoe');
    expect(
      (await p.api(`/api/v1/handoffs/${h.id}/claim`, { method: 'POST', json: { agent: zoe.email } })).status,
    ).toBe(200);
    await d.waitFor(/Zoe from our team has joined/);
    await p.api(`/api/v1/handoffs/${h.id}/messages`, {
      method: 'POST',
      json: { text: 'Hi, Zoe here — refund is on its way.' },
    });
    const reply = await d.waitFor(/refund is on its way/);
    expect(reply).toMatchObject({ from: 'agent', name: 'Zoe' });
    await p.api(`/api/v1/handoffs/${h.id}/close`, { method: 'POST', json: { resolution: 'refunded' } });
    const ask = await d.waitFor(/How did we do/);
    expect(ask.suggestedActions?.map((a) => ('value' in a ? a.value : ''))).toEqual(
      [1, 2, 3, 4, 5].map((n) => `handoff:rate:${n}`),
    );
    d.press('handoff:rate:4');
    await d.waitFor(/Thanks for letting us know/);
    expect((await handoffOf(d.session.conversationId)).rating).toBe(4);
    d.say('hello');
    await d.waitFor(/parking assistant/);
  });

  const handoffsCounted = async (labels: Record<string, string>) =>
    metricValue(await (await fetch(`${p.url}/metrics`)).text(), 'spp_handoffs_total', {
      channel: 'web',
      ...labels,
    }) ?? 0;

  it('"back to the bot" leaves the queue and the bot answers again (counted as withdrawn)', async () => {
    const counted = {
      button: await handoffsCounted({ event: 'requested', reason: 'button' }),
      withdrawn: await handoffsCounted({ event: 'withdrawn' }),
    };
    const d = await driver();
    d.press('intent:human_agent'); // the "Talk to a person" button
    await d.waitFor(/asked a person to join/);
    d.say('back to the bot');
    await d.waitFor(/back with the assistant/);
    expect(await handoffOf(d.session.conversationId)).toMatchObject({
      status: 'closed',
      resolution: 'withdrawn',
    });
    expect({
      button: (await handoffsCounted({ event: 'requested', reason: 'button' })) - counted.button,
      withdrawn: (await handoffsCounted({ event: 'withdrawn' })) - counted.withdrawn,
    }).toEqual({ button: 1, withdrawn: 1 });
    d.say('hello');
    await d.waitFor(/parking assistant/);
  });
});
