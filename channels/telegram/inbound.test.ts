import type { Update } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandValue, toInbound } from './inbound.ts';

const ana = { id: 42, is_bot: false, first_name: 'Ana', last_name: 'García', language_code: 'es-ES' };
const chat = { id: 42, type: 'private' as const, first_name: 'Ana' };
const message = (extra: Record<string, unknown>, update_id = 9001) =>
  ({
    update_id,
    message: { message_id: 7, from: ana, chat, date: 1_700_000_000, ...extra },
  }) as unknown as Update;

describe('Telegram updates as inbound messages', () => {
  it('turns typed text into the driver’s words, with identity, conversation, locale and update id', () => {
    expect(toInbound(message({ text: 'book King’s Cross tomorrow 9-11' }))).toEqual({
      kind: 'message',
      message: {
        channel: 'telegram',
        conversationId: '42',
        user: { id: '42', name: 'Ana García' },
        messageId: 'u9001',
        locale: 'es',
        text: 'book King’s Cross tomorrow 9-11',
        address: { chatId: 42 },
      },
    });
  });

  it('turns the commands into what the bot understands, with or without the bot’s name', () => {
    const valueOf = (text: string) => {
      const r = toInbound(
        message({ text, entities: [{ type: 'bot_command', offset: 0, length: text.length }] }),
      );
      return r.kind === 'message' ? (r.message.value ?? `text:${r.message.text}`) : r.kind;
    };
    expect(valueOf('/start')).toBe('intent:greet');
    expect(valueOf('/help@ParkingBot')).toBe('intent:help');
    expect(valueOf('/mybookings')).toBe('intent:my_bookings');
    expect(valueOf('/cancel')).toBe('intent:cancel_booking');
    expect(valueOf('/start campaign-42')).toBe('intent:greet');
    expect(valueOf('/prices')).toBe('text:prices');
    expect(Object.keys(COMMANDS)).toEqual(['start', 'help', 'mybookings', 'cancel']);
    expect(commandValue('/helpme')).toBeNull();
  });

  it('turns a shared location into the value the widget sends', () => {
    const r = toInbound(message({ location: { latitude: 51.531612345, longitude: -0.1236 } }));
    expect(r).toMatchObject({ kind: 'message', message: { value: 'location:51.53161,-0.12360' } });
    expect(r.kind === 'message' && r.message.text).toBeFalsy();
  });

  it('turns a pressed button into its postBack value, keyed by the keyboard’s message', () => {
    const r = toInbound({
      update_id: 9002,
      callback_query: {
        id: 'q1',
        from: ana,
        chat_instance: '-1',
        data: 'facility:3f1c',
        message: { message_id: 55, chat, date: 1, text: 'Which car park?' },
      },
    } as unknown as Update);
    expect(r).toEqual({
      kind: 'message',
      message: expect.objectContaining({
        conversationId: '42',
        value: 'facility:3f1c',
        messageId: 'kb42:55',
        locale: 'es',
      }),
      pressed: { queryId: 'q1', messageId: 55, data: 'facility:3f1c' },
    });
  });

  it('ignores groups, other bots and edits, but still reports a press so it can be answered', () => {
    expect(
      toInbound(message({ text: 'hi', chat: { id: -100, type: 'group', title: 'Car club' } })).kind,
    ).toBe('ignored');
    expect(toInbound(message({ text: 'hi', from: { ...ana, is_bot: true } })).kind).toBe('ignored');
    expect(toInbound({ update_id: 1, edited_message: {} } as unknown as Update).kind).toBe('ignored');
    const groupPress = toInbound({
      update_id: 3,
      callback_query: {
        id: 'q2',
        from: ana,
        chat_instance: '1',
        data: 'x',
        message: { message_id: 1, chat: { id: -5, type: 'group' }, date: 1 },
      },
    } as unknown as Update);
    expect(groupPress).toMatchObject({ kind: 'ignored', pressed: { queryId: 'q2' } });
  });

  it('passes a photo’s caption as text, and a sticker as an empty message the bot can answer', () => {
    expect(toInbound(message({ photo: [], caption: 'is this space free?' }))).toMatchObject({
      message: { text: 'is this space free?' },
    });
    expect(toInbound(message({ sticker: { file_id: 'x' } }))).toMatchObject({
      kind: 'message',
      message: { text: '' },
    });
  });

  it('leaves the locale out when Telegram does not say', () => {
    const { language_code: _, ...noLang } = ana;
    const r = toInbound(message({ text: 'hi', from: noLang }));
    expect(r.kind === 'message' && 'locale' in r.message).toBe(false);
  });
});
