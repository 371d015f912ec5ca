import { describe, expect, it } from 'vitest';
import { wa, webhookBody } from '../../test/support/whatsapp-graph.ts';
import { readWebhook } from './inbound.ts';

const driver = '447700900123';

describe('WhatsApp webhook → inbound messages', () => {
  it('reads a text with the driver as user, phone and conversation', () => {
    const m = wa.text(driver, 'book King’s Cross tomorrow 9 to 11');
    const batch = readWebhook(webhookBody({ messages: [m], name: 'Sam' }, '555'))!;
    expect(batch.statuses).toEqual([]);
    const [{ inbound, supported, at }] = batch.messages as [(typeof batch.messages)[number]];
    expect(supported).toBe(true);
    expect(inbound).toMatchObject({
      channel: 'whatsapp',
      conversationId: driver,
      user: { id: driver, name: 'Sam', phone: `+${driver}` },
      messageId: m.id,
      text: 'book King’s Cross tomorrow 9 to 11',
      address: { waId: driver, phoneNumberId: '555', lastInboundAt: at.toISOString(), lastMessageId: m.id },
    });
    expect(inbound.value).toBeUndefined();
  });

  it('turns button and list replies into the postBack values the bot offered', () => {
    const batch = readWebhook(
      webhookBody({
        messages: [
          wa.buttonReply(driver, 'confirm:yes', 'Book it'),
          wa.listReply(driver, 'facility:f1', 'King’s Cross'),
        ],
      }),
    )!;
    expect(batch.messages.map((m) => m.inbound.value)).toEqual(['confirm:yes', 'facility:f1']);
    expect(batch.messages.every((m) => m.supported && m.inbound.text === undefined)).toBe(true);
  });

  it('turns a shared location into the value the widget sends', () => {
    const batch = readWebhook(webhookBody({ messages: [wa.location(driver, 51.5316, -0.1236)] }))!;
    expect(batch.messages[0]!.inbound.value).toBe('location:51.5316,-0.1236');
  });

  it('marks images, voice notes and stickers as not understood', () => {
    const voice = {
      ...wa.text(driver, ''),
      type: 'audio',
      text: undefined,
      audio: { id: '1', mime_type: 'audio/ogg' },
    };
    const batch = readWebhook(webhookBody({ messages: [wa.image(driver), voice] }))!;
    expect(batch.messages.map((m) => m.supported)).toEqual([false, false]);
  });

  it('reads status callbacks with their errors and ignores unknown statuses', () => {
    const batch = readWebhook(
      webhookBody({
        statuses: [
          wa.status('wamid.1', driver, 'delivered'),
          wa.status('wamid.2', driver, 'failed', [{ code: 131047, title: 'Re-engagement message' }]),
          { ...wa.status('wamid.3', driver, 'read'), status: 'deleted' },
        ],
      }),
    )!;
    expect(batch.messages).toEqual([]);
    expect(batch.statuses.map((s) => [s.messageId, s.status, s.errors.map((e) => e.code)])).toEqual([
      ['wamid.1', 'delivered', []],
      ['wamid.2', 'failed', [131047]],
    ]);
  });

  it('returns null for anything that is not a WhatsApp messages webhook', () => {
    for (const body of [
      null,
      {},
      { object: 'page', entry: [] },
      { object: 'whatsapp_business_account', entry: [{}] },
    ])
      expect(readWebhook(body)).toBeNull();
  });
});
