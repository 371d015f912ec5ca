import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffItem } from '../support/index.ts';
import { addAgent, agentSocket, signIn, type AgentBrowser } from '../test/support/console.ts';
import { metricValue } from '../test/ops/harness.ts';
import { startTelegramPlatform, type TelegramPlatform } from '../test/support/telegram-platform.ts';
import {
  FakeGraphApi,
  postWebhook,
  wa,
  webhookBody,
  type GraphCall,
} from '../test/support/whatsapp-graph.ts';

const APP_SECRET = 'whatsapp-app-secret-for-tests';
const METRICS_TOKEN = 'metrics-token-for-handoff-tests';

/** A driver on one channel, as the test sees them: what they type, what reaches their phone. */
interface ChannelDriver {
  readonly channel: 'telegram' | 'whatsapp';
  say(text: string): Promise<void>;
  /** every text the platform sent them, as they read it */
  received(): string[];
  /** how many times they were shown "typing…" */
  typingShown(): number;
  /** how an agent's reply looks on this channel: the name above the words */
  fromAgent(name: string, text: string): RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A support shift across channels: Telegram (through the Bot API stand-in) and WhatsApp (through
 * the Cloud API stand-in) drivers ask for a person; an agent signed in to the console sees each
 * arrive, claims it, is seen typing, replies — shown with their name — while the bot stays quiet,
 * then hands back and the bot answers again. Counted in `spp_handoffs_total`.
 */
describe('a support shift across Telegram and WhatsApp', () => {
  const graph = new FakeGraphApi();
  let t: TelegramPlatform;
  let ana: Awaited<ReturnType<typeof addAgent>>;
  let agent: AgentBrowser;
  let socket: Socket;
  const changes: Array<{ handoff: HandoffItem; change: string }> = [];
  const lines: Array<{ handoffId: string; line: { sender: string; text: string | null } }> = [];

  beforeAll(async () => {
    await graph.start();
    t = await startTelegramPlatform('polling', 'pglite', {
      METRICS_TOKEN,
      WHATSAPP_TOKEN: graph.token,
      WHATSAPP_PHONE_NUMBER_ID: '1234567890',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-me',
      WHATSAPP_GRAPH_URL: graph.url,
    });
    ana = await addAgent(t.p, 'agent', 'Ana');
    agent = await signIn(t.p, ana.email, ana.password);
    // Ana has the console open: online, hearing the queue and the conversations she watches
    socket = await agentSocket(t.p, agent.cookie);
    socket.on('handoff.changed', (e: { handoff: HandoffItem; change: string }) => changes.push(e));
    socket.on('handoff.message', (e: (typeof lines)[number]) => lines.push(e));
  });
  afterAll(async () => {
    socket?.close();
    await t?.stop();
    await graph.stop();
  });

  const telegramDriver = (): ChannelDriver => {
    const d = t.tg.driver({ id: 880_000 + Math.floor(Math.random() * 10_000), first_name: 'Tom' });
    return {
      channel: 'telegram',
      say: async (text) => void (await d.say(text)),
      received: () => t.tg.sentTo(d.chatId).map((m) => m.text),
      typingShown: () =>
        t.tg
          .callsOf('sendChatAction')
          .filter((c) => Number(c.params['chat_id']) === d.chatId && c.params['action'] === 'typing').length,
      fromAgent: (name, text) => new RegExp(`^${escape(name)} \\(Support agent\\)\\n+${escape(text)}$`),
    };
  };
  const whatsAppDriver = (): ChannelDriver => {
    const waId = `4477009${String(10_000 + Math.floor(Math.random() * 89_999))}`;
    const mine = new Set<string>();
    const textOf = (c: GraphCall) =>
      c.body.type === 'text'
        ? (c.body['text'] as { body: string }).body
        : ((c.body['interactive'] as { body?: { text: string } } | undefined)?.body?.text ?? '');
    return {
      channel: 'whatsapp',
      say: async (text) => {
        const m = wa.text(waId, text);
        mine.add(m.id);
        const r = await postWebhook(
          `${t.p.url}/channels/whatsapp/webhook`,
          webhookBody({ messages: [m] }),
          APP_SECRET,
        );
        expect(r.status).toBe(200);
      },
      received: () => graph.sent(waId).map(textOf),
      typingShown: () =>
        graph.calls.filter((c) => c.body['typing_indicator'] && mine.has(String(c.body['message_id'])))
          .length,
      fromAgent: (name, text) => new RegExp(`^\\*${escape(name)}\\*\\n${escape(text)}$`),
    };
  };

  const until = async <T>(check: () => T | undefined | false, what: string): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  /** The driver writes; resolves with what reached them, once something matching `pattern` did. */
  const said = async (d: ChannelDriver, text: string, pattern: RegExp) => {
    const before = d.received().length;
    await d.say(text);
    await until(
      () =>
        d
          .received()
          .slice(before)
          .some((r) => pattern.test(r)),
      `"${pattern.source}"`,
    );
    return d.received().slice(before);
  };
  const post = async (path: string, json: unknown = {}) => {
    const r = await agent.fetch(`/api/v1${path}`, { json });
    expect(r.ok, `${path}: ${r.status} ${await r.clone().text()}`).toBe(true);
    return r.json();
  };

  it.each([['telegram', telegramDriver] as const, ['whatsapp', whatsAppDriver] as const])(
    'a %s driver is served by the agent, then by the bot again',
    async (channel, makeDriver) => {
      const d = makeDriver();
      await said(d, 'hi', /./); // the bot greets them

      // the driver asks for a person and is told they are queued
      const queued = await said(d, 'can I talk to a human', /in the queue/);
      expect(queued.join('\n')).toMatch(/asked a person to join/);

      // the agent sees it arrive in the console
      const { handoff } = await until(
        () => changes.find((c) => c.change === 'requested' && c.handoff.channel === channel),
        'the handoff in the queue',
      );
      const waiting = (await (await agent.fetch('/api/v1/handoffs?status=waiting')).json()) as {
        handoffs: HandoffItem[];
      };
      expect(waiting.handoffs.map((h) => h.id)).toContain(handoff.id);
      socket.emit('handoff.watch', { handoffId: handoff.id });

      // claims it: the driver is told who joined
      const joined = d.received().length;
      await post(`/handoffs/${handoff.id}/claim`);
      expect(d.received().slice(joined)).toEqual(['Ana from our team has joined the conversation.']);

      // types: the driver sees "typing…" on their channel
      const typing = d.typingShown();
      socket.emit('typing', { handoffId: handoff.id });
      await until(() => d.typingShown() > typing, 'typing… shown to the driver');

      // replies (characters that mean something in Telegram's HTML arrive as typed)
      const reply = "Hi, I'm Ana <support> & I'll look at it.";
      const before = d.received().length;
      await post(`/handoffs/${handoff.id}/messages`, { text: reply });
      expect(d.received().slice(before)).toEqual([expect.stringMatching(d.fromAgent('Ana', reply))]);

      // the driver answers: it reaches the agent, and the bot stays quiet (no reply, no "typing…")
      const quiet = { received: d.received().length, typing: d.typingShown() };
      await d.say('my card was charged twice for PK123456');
      await until(
        () => lines.find((l) => l.handoffId === handoff.id && l.line.text?.includes('charged twice')),
        "the driver's words in the console",
      );
      expect(lines.find((l) => l.line.text?.includes('charged twice'))?.line.sender).toBe('driver');
      expect({ received: d.received().length, typing: d.typingShown() }).toEqual(quiet);
      const detail = (await (await agent.fetch(`/api/v1/handoffs/${handoff.id}`)).json()) as {
        transcript: Array<{ sender: string; text: string | null }>;
      };
      expect(detail.transcript.filter((l) => l.sender !== 'system').slice(-2)).toEqual([
        expect.objectContaining({ sender: 'agent', text: reply }),
        expect.objectContaining({ sender: 'driver', text: 'my card was charged twice for PK123456' }),
      ]);

      // hands back: the bot answers the driver's next message again
      await post(`/handoffs/${handoff.id}/release`);
      expect(d.received().at(-1)).toMatch(/Ana handed you back to the assistant/);
      const again = await said(d, 'how much is parking at Kings Cross?', /£/);
      expect(again.join('\n')).not.toMatch(/Support agent|\*Ana\*/);
    },
  );

  it('counts each handoff by channel: requested (the driver asked), claimed and released', async () => {
    const text = await (
      await fetch(`${t.p.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    for (const channel of ['telegram', 'whatsapp']) {
      expect(metricValue(text, 'spp_handoffs_total', { channel, event: 'requested', reason: 'asked' })).toBe(
        1,
      );
      expect(metricValue(text, 'spp_handoffs_total', { channel, event: 'claimed' })).toBe(1);
      expect(metricValue(text, 'spp_handoffs_total', { channel, event: 'released' })).toBe(1);
    }
  });
});
