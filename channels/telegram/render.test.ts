import { describe, expect, it } from 'vitest';
import { BOOKING_SUMMARY, FACILITY_LIST } from '../../bot/index.ts';
import { parseTelegramHtml } from '../../test/support/telegram-api.ts';
import { MAX_CALLBACK_BYTES, MAX_MESSAGE_CHARS, renderActivity, type TelegramMessage } from './render.ts';

const postBacks = (...pairs: Array<[string, string]>) => ({
  to: [],
  actions: pairs.map(([title, value]) => ({ type: 'postBack', title, value })),
});
/** What the driver sees, parsed the way the Bot API parses HTML (throws where Telegram would refuse). */
const visible = (m: TelegramMessage) => {
  const parsed = parseTelegramHtml(m.text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.text;
};
const inline = (m?: TelegramMessage) =>
  m?.reply_markup && 'inline_keyboard' in m.reply_markup ? m.reply_markup.inline_keyboard.flat() : [];

const booking = {
  contentType: BOOKING_SUMMARY,
  content: {
    title: 'Your booking',
    reference: 'PK-7Q2X',
    status: 'confirmed',
    statusLabel: 'Confirmed',
    facilityName: 'King’s Cross <Central> & Co',
    spaceCode: 'B12',
    spaceKind: 'EV charging',
    plate: '<b>AB12 CDE',
    when: 'Tue 26 Nov, 09:00–11:00',
    price: '£13.00',
    note: 'Pay at the gate & keep the ticket',
  },
};

describe('rendering bot activities for Telegram', () => {
  it('sends text as HTML with every character escaped, and suggested actions as an inline keyboard', () => {
    const { messages } = renderActivity({
      type: 'message',
      text: 'Book for plate <AB12> & go?',
      suggestedActions: postBacks(
        ['Book it', 'confirm:yes'],
        ['Change', 'confirm:no'],
        ['Talk to a person please', 'intent:human_agent'],
      ),
    });
    expect(messages).toHaveLength(1);
    expect(visible(messages[0]!)).toBe('Book for plate <AB12> & go?');
    expect(messages[0]!.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Book it', callback_data: 'confirm:yes' },
          { text: 'Change', callback_data: 'confirm:no' },
        ],
        [{ text: 'Talk to a person please', callback_data: 'intent:human_agent' }],
      ],
    });
  });

  it('shows a car-park list with its free counts and a "Book here" button per car park', () => {
    const facilities = ['King’s Cross', 'St Pancras'].map((name, i) => ({
      facilityId: `f${i}`,
      name,
      address: `${i + 1} Euston Rd`,
      distanceKm: 0.35 + i,
      free: i === 0 ? 42 : 0,
      total: 120,
      price: '£6.50/h',
      hoursToday: '07:00–24:00',
      action: { title: 'Book here', value: `facility:f${i}` },
    }));
    const { messages } = renderActivity({
      type: 'message',
      text: 'Here is what I found:',
      attachments: [{ contentType: FACILITY_LIST, content: { title: 'Near you', facilities } }],
      suggestedActions: postBacks(['Share my location', 'location:ask']),
    });
    const text = visible(messages[0]!);
    expect(text).toContain(
      '1. King’s Cross\n1 Euston Rd · 350 m\n42 of 120 free · £6.50/h · today 07:00–24:00',
    );
    expect(text).toContain('2. St Pancras\n2 Euston Rd · 1.4 km\nFull (120 spaces)');
    expect(inline(messages[0])).toEqual([
      { text: 'Book here: King’s Cross', callback_data: 'facility:f0' },
      { text: 'Book here: St Pancras', callback_data: 'facility:f1' },
    ]);
    // the location request is a one-time reply keyboard, under a message of its own
    expect(messages[1]?.reply_markup).toEqual({
      keyboard: [[{ text: 'Share my location', request_location: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
  });

  it('formats a booking summary, escaping every driver-supplied string, in the driver’s language', () => {
    const [en] = renderActivity({ type: 'message', attachments: [booking] }).messages;
    expect(visible(en!)).toBe(
      [
        'Your booking',
        'Reference: PK-7Q2X',
        'Status: Confirmed',
        'Car park: King’s Cross <Central> & Co',
        'Space: B12 · EV charging',
        'Plate: <b>AB12 CDE',
        'When: Tue 26 Nov, 09:00–11:00',
        'Price: £13.00',
        'Pay at the gate & keep the ticket',
      ].join('\n'),
    );
    const [es] = renderActivity({ type: 'message', attachments: [booking] }, { locale: 'es' }).messages;
    expect(visible(es!)).toContain('Referencia: PK-7Q2X\nEstado: Confirmed\nAparcamiento:');
  });

  it('asks for a location with a request_location keyboard when that is the only action', () => {
    const actions = [{ type: 'requestLocation', title: '📍 Share location', value: '' }];
    const { messages } = renderActivity({
      type: 'message',
      text: 'Where are you?',
      suggestedActions: { to: [], actions },
    });
    expect(messages).toEqual([
      {
        text: 'Where are you?',
        reply_markup: {
          keyboard: [[{ text: '📍 Share location', request_location: true }]],
          one_time_keyboard: true,
          resize_keyboard: true,
        },
      },
    ]);
  });

  it('shows a link as a URL button, and what Telegram cannot show as buttons as text', () => {
    const actions = [
      { type: 'openUrl', title: 'Pay £13.00', value: 'https://pay.example/c/123?x=1&y=2' },
      { type: 'openUrl', title: 'Local page', value: 'javascript:alert(1)' },
      { type: 'call', title: 'Call us', value: '+44 20 7946 0000' },
    ];
    const { messages } = renderActivity({
      type: 'message',
      text: 'Pay here',
      suggestedActions: { to: [], actions },
    });
    expect(inline(messages[0])).toEqual([{ text: 'Pay £13.00', url: 'https://pay.example/c/123?x=1&y=2' }]);
    expect(visible(messages[0]!)).toBe(
      'Pay here\n\nLocal page: javascript:alert(1)\nCall us: +44 20 7946 0000',
    );
  });

  it('keeps callback data within 64 bytes, mapping longer values through tokens', () => {
    const long = `book:${'ü'.repeat(40)}`;
    const { messages, tokens } = renderActivity({
      type: 'message',
      text: 'Pick',
      suggestedActions: postBacks(['Long', long], ['Short', 'intent:help'], ['Tilde', '~x']),
    });
    const data = inline(messages[0]).map((b) => ('callback_data' in b ? b.callback_data : ''));
    for (const d of data) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
    expect(data[1]).toBe('intent:help');
    expect(tokens[data[0]!]).toBe(long);
    expect(tokens[data[2]!]).toBe('~x'); // a value that looks like a token is never taken for one
    expect(
      renderActivity({ type: 'message', text: 'Pick', suggestedActions: postBacks(['Long', long]) }).tokens,
    ).toEqual({
      [data[0]!]: long,
    });
  });

  it('splits text over 4,096 characters into several messages, keyboard under the last', () => {
    const paragraph = 'Rates & rules <apply>. '.repeat(40).trim();
    const text = Array.from({ length: 12 }, () => paragraph).join('\n\n') + '\n' + 'x'.repeat(5000);
    const { messages } = renderActivity({
      type: 'message',
      text,
      suggestedActions: postBacks(['OK', 'intent:affirm']),
    });
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(messages.map(visible).join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    expect(messages.slice(0, -1).every((m) => !m.reply_markup)).toBe(true);
    expect(inline(messages.at(-1))).toHaveLength(1);
  });

  it('turns unknown cards and malformed known ones into readable text, never into nothing', () => {
    const { messages } = renderActivity({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: { title: 'Welcome <3', text: 'Park smarter' },
        },
        { contentType: 'image/png', contentUrl: 'https://cdn.example/map.png', name: 'map.png' },
        { contentType: BOOKING_SUMMARY, content: { title: 'Broken' } },
        { contentType: 'application/x-mystery' },
      ],
    });
    expect(visible(messages[0]!)).toBe(
      'Welcome <3\nPark smarter\n\nmap.png: https://cdn.example/map.png\n\nBroken\n\n[application/x-mystery]',
    );
  });

  it('names the agent on an agent’s message, and renders nothing for non-message activities', () => {
    const [m] = renderActivity(
      { type: 'message', text: 'I can help' },
      { sender: { role: 'agent', name: 'Sam <ops>' }, locale: 'es' },
    ).messages;
    expect(visible(m!)).toBe('Sam <ops> (Agente de soporte)\n\nI can help');
    expect(renderActivity({ type: 'typing' }).messages).toEqual([]);
    expect(
      renderActivity({ type: 'message', suggestedActions: postBacks(['Yes', 'intent:affirm']) }).messages[0]
        ?.text,
    ).toBeTruthy();
  });
});
