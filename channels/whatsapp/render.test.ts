import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { BOOKING_SUMMARY, FACILITY_LIST, type FacilityCardItem } from '../../bot/index.ts';
import { renderActivities, renderActivity } from './render.ts';
import type { Interactive } from './renderers/messages.ts';

const activity = (
  text: string,
  actions: Array<{ title: string; value: string; type?: string }> = [],
  attachments: Array<{ contentType: string; content: unknown }> = [],
  locale?: string,
): Partial<Activity> => ({
  type: 'message',
  text,
  ...(actions.length
    ? { suggestedActions: { to: [], actions: actions.map((a) => ({ type: 'postBack', ...a })) } }
    : {}),
  ...(attachments.length ? { attachments } : {}),
  ...(locale ? { locale } : {}),
});
const choices = (n: number, title = (i: number) => `Option ${i}`) =>
  Array.from({ length: n }, (_, i) => ({ title: title(i + 1), value: `pick:${i + 1}` }));
const interactive = (m: { type: string; interactive?: Interactive } | undefined) =>
  m?.interactive as Interactive;

const facility = (i: number, extra: Partial<FacilityCardItem> = {}): FacilityCardItem => ({
  facilityId: `f${i}`,
  name: `Car park number ${i} by the long river road`,
  address: `${i} High St`,
  free: 10 + i,
  total: 100,
  price: '£6.50/h',
  action: { title: 'Book here', value: `facility:f${i}` },
  ...extra,
});
const facilityCard = (n: number) => ({
  contentType: FACILITY_LIST,
  content: { title: 'Car parks near you', facilities: Array.from({ length: n }, (_, i) => facility(i + 1)) },
});

describe('WhatsApp rendering', () => {
  it('plain text is one text message, and offers no choices', () => {
    expect(renderActivity(activity('Hello there'))).toEqual({
      messages: [{ type: 'text', text: { body: 'Hello there' } }],
      choices: [],
    });
  });

  it('up to three choices become reply buttons carrying the text; titles cut to 20 characters', () => {
    const r = renderActivity(
      activity('Shall I book it?', [
        { title: 'Book it', value: 'confirm:yes' },
        { title: 'Change the time or the car park', value: 'confirm:change' },
      ]),
    );
    expect(r.messages).toHaveLength(1);
    const i = interactive(r.messages[0]);
    expect(i).toMatchObject({ type: 'button', body: { text: 'Shall I book it?' } });
    const buttons = i.type === 'button' ? i.action.buttons : [];
    expect(buttons.map((b) => b.reply.id)).toEqual(['confirm:yes', 'confirm:change']);
    expect(buttons[1]!.reply.title).toBe('Change the time or…');
    expect(buttons.every((b) => Array.from(b.reply.title).length <= 20)).toBe(true);
    expect(r.choices.map((c) => c.value)).toEqual(['confirm:yes', 'confirm:change']);
  });

  it('four to ten choices become a list; long row titles cut to 24 with the full title below', () => {
    for (const n of [4, 10]) {
      const r = renderActivity(
        activity(
          'Which booking?',
          choices(n, (i) => `Booking ABC${i} at Camden Market`),
        ),
      );
      const i = interactive(r.messages[0]);
      expect(i.type).toBe('list');
      const rows = i.type === 'list' ? i.action.sections.flatMap((s) => s.rows) : [];
      expect(rows).toHaveLength(n);
      expect(rows.every((row) => Array.from(row.title).length <= 24)).toBe(true);
      expect(rows[0]!.description).toBe('Booking ABC1 at Camden Market');
      expect(r.choices).toHaveLength(n);
    }
  });

  it('more than ten choices become numbered text', () => {
    const r = renderActivity(activity('Pick one', choices(12)));
    expect(r.messages).toHaveLength(1);
    const m = r.messages[0]!;
    expect(m.type).toBe('text');
    const body = m.type === 'text' ? m.text.body : '';
    expect(body).toContain('1. Option 1');
    expect(body).toContain('12. Option 12');
    expect(r.choices).toHaveLength(12);
  });

  it('car parks become a list with live free counts; the location button a location request', () => {
    const r = renderActivity(
      activity(
        'Where would you like to park?',
        [{ title: 'Share my location', value: 'location:ask' }],
        [facilityCard(3)],
      ),
    );
    expect(r.messages.map((m) => m.type === 'interactive' && m.interactive.type)).toEqual([
      'list',
      'location_request_message',
    ]);
    const list = interactive(r.messages[0]);
    expect(list.body.text).toBe('Where would you like to park?');
    const rows = list.type === 'list' ? list.action.sections[0]!.rows : [];
    expect(rows.map((x) => x.id)).toEqual(['facility:f1', 'facility:f2', 'facility:f3']);
    expect(rows[0]!.description).toBe('11/100 free · £6.50/h');
    expect(interactive(r.messages[1]).body.text).toBe('Share my location');
    // a typed number counts the car parks, not the location button
    expect(r.choices.map((c) => c.value)).toEqual(['facility:f1', 'facility:f2', 'facility:f3']);
  });

  it('more than ten car parks are numbered text with their counts', () => {
    const r = renderActivity(activity('', [], [facilityCard(11)], 'es'));
    const m = r.messages[0]!;
    const body = m.type === 'text' ? m.text.body : '';
    expect(body).toContain('11. Car park number 11 by the long river road — 21/100 libres');
    expect(r.choices).toHaveLength(11);
  });

  it('a payment link becomes a CTA URL button, and requestLocation a location request', () => {
    const r = renderActivity(
      activity('Pay to confirm', [
        { type: 'openUrl', title: 'Pay £13.00 securely now', value: 'https://pay.example/c/1' },
        { type: 'requestLocation', title: 'Send location', value: '' },
      ]),
    );
    expect(r.messages.map((m) => interactive(m))).toEqual([
      {
        type: 'cta_url',
        body: { text: 'Pay to confirm' },
        action: {
          name: 'cta_url',
          parameters: { display_text: 'Pay £13.00 securely…', url: 'https://pay.example/c/1' },
        },
      },
      {
        type: 'location_request_message',
        body: { text: 'Send location' },
        action: { name: 'send_location' },
      },
    ]);
    expect(r.choices).toEqual([]);
  });

  it('a booking summary is formatted text after the message', () => {
    const card = {
      contentType: BOOKING_SUMMARY,
      content: {
        title: 'Your booking',
        reference: 'PK-7QX2',
        status: 'held',
        statusLabel: 'Held',
        facilityName: "King's Cross Central",
        spaceCode: 'B12',
        spaceKind: 'EV',
        plate: 'AB12 CDE',
        when: 'Tue 9:00–11:00',
        price: '£13.00',
      },
    };
    const r = renderActivity(activity('Booked!', [], [card]));
    expect(r.messages).toHaveLength(1);
    const body = r.messages[0]!.type === 'text' ? r.messages[0]!.text.body : '';
    expect(body.startsWith('Booked!\n\n*Your booking* · PK-7QX2')).toBe(true);
    for (const part of ["King's Cross Central", 'B12', 'AB12 CDE', 'Tue 9:00–11:00', '£13.00'])
      expect(body).toContain(part);
  });

  it('texts over 4,096 characters are split at breaks, and a long text before buttons goes first', () => {
    const long = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const r = renderActivity(activity(long, [{ title: 'OK', value: 'ok' }]));
    const texts = r.messages
      .filter((m) => m.type === 'text')
      .map((m) => (m.type === 'text' ? m.text.body : ''));
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => Array.from(t).length <= 4096)).toBe(true);
    expect(texts.join(' ')).toBe(long);
    expect(interactive(r.messages.at(-1))).toMatchObject({
      type: 'button',
      body: { text: 'Please choose:' },
    });
  });

  it("a batch remembers the last activity's choices; one without choices clears them", () => {
    expect(renderActivities([activity('a', choices(2)), activity('b')]).choices).toHaveLength(2);
    expect(renderActivities([activity('a'), activity('b')]).choices).toEqual([]);
    expect(renderActivities([{ type: 'typing' }]).messages).toEqual([]);
  });
});
