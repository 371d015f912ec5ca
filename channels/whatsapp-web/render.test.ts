import { describe, expect, it } from 'vitest';
import { FACILITY_LIST } from '../../bot/index.ts';
import { webMessage } from '../../test/support/whatsapp-web.ts';
import { pickChoice } from '../whatsapp/choices.ts';
import { readMessage } from './inbound.ts';
import { renderText, renderTexts } from './render.ts';

const chat = '447700900123@c.us';

describe('WhatsApp Web: inbound messages', () => {
  it('reads a text with the chat as conversation and the number as phone', () => {
    const m = webMessage({}, chat, { body: 'any space at Camden tonight?', notifyName: 'Ana' });
    expect(readMessage(m)).toEqual({
      supported: true,
      inbound: {
        channel: 'whatsapp-web',
        conversationId: chat,
        user: { id: chat, phone: '+447700900123', name: 'Ana' },
        messageId: m.id._serialized,
        text: 'any space at Camden tonight?',
        address: { chatId: chat },
      },
    });
  });

  it('a shared location is the value the widget sends; a photo is not understood', () => {
    expect(
      readMessage(webMessage({}, chat, { type: 'location', lat: 51.54, lng: -0.14 }))?.inbound.value,
    ).toBe('location:51.54,-0.14');
    expect(readMessage(webMessage({}, chat, { type: 'image' }))?.supported).toBe(false);
  });

  it('ignores our own messages, groups and status updates', () => {
    expect(readMessage(webMessage({}, chat, { body: 'hi', fromMe: true }))).toBeNull();
    expect(readMessage(webMessage({}, '1203630@g.us', { body: 'hi' }))).toBeNull();
    expect(readMessage(webMessage({}, 'status@broadcast', { body: 'hi' }))).toBeNull();
  });
});

describe('WhatsApp Web: numbered choices', () => {
  const confirm = {
    type: 'message',
    text: 'Book space B12 at Camden, 9–11, £13.00?',
    suggestedActions: {
      to: [],
      actions: [
        { type: 'postBack', title: 'Book it', value: 'confirm:yes' },
        { type: 'postBack', title: 'No thanks', value: 'confirm:no' },
      ],
    },
  };

  it('choices go out as numbered lines; a number or the words pick them', () => {
    const { texts, choices } = renderText(confirm);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('1. Book it\n2. No thanks');
    expect(pickChoice('2', choices, true)?.value).toBe('confirm:no');
    expect(pickChoice('book it', choices, true)?.value).toBe('confirm:yes');
  });

  it('car parks are numbered with free counts, and buttons continue the count', () => {
    const { texts, choices } = renderText({
      type: 'message',
      text: 'Where would you like to park?',
      suggestedActions: {
        to: [],
        actions: [
          { type: 'postBack', title: 'Show all', value: 'intent:find' },
          { type: 'postBack', title: 'Share my location', value: 'location:ask' },
        ],
      },
      attachments: [
        {
          contentType: FACILITY_LIST,
          content: {
            title: 'Car parks',
            facilities: [
              {
                facilityId: 'a',
                name: 'Camden Market',
                address: '',
                free: 4,
                total: 80,
                price: '£5/h',
                action: { title: 'Book here', value: 'facility:a' },
              },
              {
                facilityId: 'b',
                name: 'Euston Square',
                address: '',
                free: 0,
                total: 60,
                price: '£6/h',
                action: { title: 'Book here', value: 'facility:b' },
              },
            ],
          },
        },
      ],
    });
    const text = texts.join('\n');
    expect(text).toContain('1. Camden Market — 4/80 free · £5/h');
    expect(text).toContain('2. Euston Square — 0/60 free · £6/h');
    expect(text).toContain('3. Show all');
    expect(text).toMatch(/share your location/i);
    expect(choices.map((c) => c.value)).toEqual(['facility:a', 'facility:b', 'intent:find']);
    expect(pickChoice('euston square', choices, true)?.value).toBe('facility:b');
  });

  it('a payment link is spelt out; a batch keeps the last choices', () => {
    const { texts } = renderText({
      type: 'message',
      text: 'Pay to confirm',
      suggestedActions: {
        to: [],
        actions: [{ type: 'openUrl', title: 'Pay now', value: 'https://pay.example/1' }],
      },
    });
    expect(texts[0]).toBe('Pay to confirm\n\nPay now: https://pay.example/1');
    expect(renderTexts([confirm, { type: 'message', text: 'ok' }]).choices).toHaveLength(2);
  });
});
