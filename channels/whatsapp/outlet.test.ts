import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraphApi, GRAPH_ERRORS } from '../../test/support/whatsapp-graph.ts';
import { DeliveryError, type ConversationAddress } from '../runtime/index.ts';
import { MemoryChoiceMemory } from './choices.ts';
import { GraphClient } from './graph-client.ts';
import { WhatsAppOutlet, templateText } from './outlet.ts';

const waId = '447700900555';
const address = (hoursAgo: number): ConversationAddress => ({
  channel: 'whatsapp',
  conversationId: waId,
  address: { waId, lastInboundAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() },
});
const reminder = {
  type: 'message' as const,
  id: 'act-1',
  text: 'Reminder:\nyour booking at Camden starts at 09:00',
  locale: 'es',
};

describe('WhatsApp outlet: the 24-hour window and templates', () => {
  const graph = new FakeGraphApi();
  let client: GraphClient;
  const outlet = (templates = {}) =>
    new WhatsAppOutlet({
      graph: client,
      choices: new MemoryChoiceMemory(),
      templates,
      templateLanguage: 'en',
    });
  beforeAll(async () => {
    await graph.start();
    client = new GraphClient({ graphUrl: graph.url, token: graph.token, phoneNumberId: '1', retryBaseMs: 1 });
  });
  afterAll(() => graph.stop());

  it('inside the window sends free-form, tagged with the activity id for status callbacks', async () => {
    await outlet().send(address(2), [reminder], { role: 'system' });
    expect(graph.calls.at(-1)?.body).toMatchObject({ type: 'text', biz_opaque_callback_data: 'act-1' });
  });

  it("shows typing… by marking the driver's last message read with a typing indicator, inside the window only", async () => {
    const last = (hoursAgo: number): ConversationAddress => {
      const a = address(hoursAgo);
      return { ...a, address: { ...a.address, lastMessageId: 'wamid.last' } };
    };
    await outlet().typing(last(1));
    expect(graph.calls.at(-1)?.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.last',
      typing_indicator: { type: 'text' },
    });
    const before = graph.calls.length;
    await outlet().typing(last(25)); // the driver could not be answered anyway
    await outlet().typing(address(1)); // no message of theirs to mark
    expect(graph.calls.length).toBe(before);
  });

  it('outside the window, without a template, refuses with window-closed and sends nothing', async () => {
    const before = graph.calls.length;
    const e = await outlet()
      .send(address(25), [reminder], { role: 'system' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeliveryError);
    expect(e).toMatchObject({ kind: 'window-closed' });
    expect(graph.calls.length).toBe(before);
  });

  it("outside the window sends the notice template in the driver's language, the text as one line", async () => {
    await outlet({ notice: 'parking_notice' }).send(address(25), [reminder], { role: 'system' });
    expect(graph.calls.at(-1)?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'parking_notice',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [{ type: 'text', text: 'Reminder: · your booking at Camden starts at 09:00' }],
          },
        ],
      },
    });
  });

  it("an agent's late reply uses the agent template, with their name", async () => {
    await outlet({ notice: 'parking_notice', agent: 'agent_reply' }).send(
      address(30),
      [{ type: 'message', id: 'a2', text: 'Sorry for the wait' }],
      { role: 'agent', name: 'Maria' },
    );
    const t = graph.calls.at(-1)?.body['template'] as {
      name: string;
      components: Array<{ parameters: Array<{ text: string }> }>;
    };
    expect(t.name).toBe('agent_reply');
    expect(t.components[0]!.parameters[0]!.text).toBe('*Maria* · Sorry for the wait');
  });

  it('falls back to the template when WhatsApp says the window closed (our clock thought it open)', async () => {
    graph.failNext(GRAPH_ERRORS.windowClosed());
    await outlet({ notice: 'parking_notice' }).send(address(23.5), [reminder], { role: 'system' });
    expect(graph.calls.at(-1)?.body.type).toBe('template');
  });

  it('template parameters never carry line breaks, tabs or long runs of spaces', () => {
    expect(templateText({ text: 'a\n\n\tb     c' })).toBe('a · b c');
  });
});
