import { describe, expect, it } from 'vitest';
import { findTime } from './time.ts';

// Tuesday 10 June 2025, 14:00 in London (BST, UTC+1).
const NOW = new Date('2025-06-10T13:00:00Z');
const LONDON = 'Europe/London';

const iso = (date?: Date) => date?.toISOString().slice(0, 16);

function times(text: string, locale: 'en' | 'es' = 'en', now = NOW, zone = LONDON, duration?: number) {
  const found = findTime(text, locale, now, zone, duration);
  return { start: iso(found?.start), end: iso(found?.end), dateOnly: found?.dateOnly ?? false };
}

describe('findTime (English)', () => {
  it.each([
    ['tomorrow 9 to 11', '2025-06-11T08:00', '2025-06-11T10:00'],
    ['this Friday 8am till 6pm', '2025-06-13T07:00', '2025-06-13T17:00'],
    ['book a spot tmrw 9-11 near the stadium', '2025-06-11T08:00', '2025-06-11T10:00'],
    ['sat 10-4', '2025-06-14T09:00', '2025-06-14T15:00'],
    ['tomorrow, 9 till 5', '2025-06-11T08:00', '2025-06-11T16:00'],
    ['friday 8pm to saturday 10am', '2025-06-13T19:00', '2025-06-14T09:00'],
    ['on the 14th at 10', '2025-06-14T09:00', undefined],
    ['the day after tomorrow at noon', '2025-06-12T11:00', undefined],
  ])('%s', (text, start, end) => {
    expect(times(text)).toMatchObject({ start, end });
  });

  it('turns "from 3pm for 2 hours" into a start and an end', () => {
    expect(times('from 3pm for 2 hours', 'en', NOW, LONDON, 120)).toMatchObject({
      start: '2025-06-10T14:00',
      end: '2025-06-10T16:00',
    });
  });

  it('reads "until half past six" as an end only, in the evening when it is afternoon now', () => {
    expect(times('until half past six')).toEqual({
      start: undefined,
      end: '2025-06-10T17:30',
      dateOnly: false,
    });
  });

  it('puts "tonight" in this evening', () => {
    const { start } = times('tonight');
    expect(start?.startsWith('2025-06-10T')).toBe(true);
    expect(Number(start?.slice(11, 13))).toBeGreaterThanOrEqual(17);
  });

  it('marks a day without a time as date-only, starting at local midnight', () => {
    expect(times('tomorrow')).toEqual({ start: '2025-06-10T23:00', end: undefined, dateOnly: true });
  });

  it('finds nothing in a message without a time, or with only a length of stay', () => {
    expect(findTime('cancel my booking please', 'en', NOW, LONDON)).toBeUndefined();
    expect(findTime('one hour', 'en', NOW, LONDON)).toBeUndefined();
    expect(findTime('reserva una plaza', 'es', NOW, LONDON)).toBeUndefined();
  });

  it('reads "in an hour" as a start', () => {
    expect(times('in an hour').start).toBe('2025-06-10T14:00');
  });
});

describe('findTime (Spanish)', () => {
  it.each([
    ['mañana de 9 a 11', '2025-06-11T08:00', '2025-06-11T10:00'],
    ['este viernes de 8 a 18', '2025-06-13T07:00', '2025-06-13T17:00'],
    ['hasta las seis y media', undefined, '2025-06-10T17:30'],
    ['mañana a las 10', '2025-06-11T09:00', undefined],
    ['pasado mañana a mediodía', '2025-06-12T11:00', undefined],
    ['el sábado de 10 a 2', '2025-06-14T09:00', '2025-06-14T13:00'],
  ])('%s', (text, start, end) => {
    expect(times(text, 'es')).toMatchObject({ start, end });
  });

  it('adds "durante 2 horas" to "desde las 3"', () => {
    expect(times('desde las 3 durante 2 horas', 'es', NOW, LONDON, 120)).toMatchObject({
      start: '2025-06-10T14:00',
      end: '2025-06-10T16:00',
    });
  });
});

describe('findTime across time zones and midnight', () => {
  it('counts "tomorrow" from the driver\'s local date, not UTC\'s', () => {
    // 00:30 UTC on the 11th is still 20:30 on the 10th in New York: tomorrow is the 11th there.
    const now = new Date('2025-06-11T00:30:00Z');
    expect(times('tomorrow at 9am', 'en', now, 'America/New_York').start).toBe('2025-06-11T13:00');
    // …but in Madrid it is already 02:30 on the 11th: tomorrow is the 12th.
    expect(times('tomorrow at 9am', 'en', now, 'Europe/Madrid').start).toBe('2025-06-12T07:00');
  });

  it('handles "tomorrow" said a minute before midnight', () => {
    const now = new Date('2025-06-10T22:59:00Z'); // 23:59 in London
    expect(times('tomorrow 8am', 'en', now).start).toBe('2025-06-11T07:00');
  });

  it('uses the offset of the target day across a daylight-saving change', () => {
    // Saturday 29 March 2025, noon GMT; clocks go forward overnight, so Sunday 9am is 08:00 UTC.
    const now = new Date('2025-03-29T12:00:00Z');
    expect(times('tomorrow at 9am', 'en', now).start).toBe('2025-03-30T08:00');
  });

  it('moves a time already past today to the evening or the next day', () => {
    expect(times('at 9').start).toBe('2025-06-10T20:00'); // 9 → 21:00 when it is 14:00
    expect(times('at 9am').start).toBe('2025-06-11T08:00'); // am said: tomorrow morning
  });
});

describe('findTime: a range without a day is on the reference day', () => {
  const ELEVEN = new Date('2025-06-10T10:00:00Z'); // 11:00 in London
  const EVENING = new Date('2025-06-10T17:00:00Z'); // 18:00 in London

  it.each([
    ['actually make it 10 to 12', 'en'],
    ['10-12', 'en'],
    ['mejor de 10 a 12', 'es'],
  ] as const)(
    '"%s" said at 11:00 is today 10:00–12:00, marked as passed, never 22:00 to noon',
    (text, locale) => {
      const found = findTime(text, locale, ELEVEN, LONDON);
      expect({ start: iso(found?.start), end: iso(found?.end) }).toEqual({
        start: '2025-06-10T09:00',
        end: '2025-06-10T11:00',
      });
      expect(found).toMatchObject({ noDay: true, passed: true });
    },
  );

  it('keeps a day that was said: "tomorrow 10 to 12" at 11:00', () => {
    const found = findTime('tomorrow 10 to 12', 'en', ELEVEN, LONDON);
    expect(iso(found?.start)).toBe('2025-06-11T09:00');
    expect(found?.noDay).toBeUndefined();
    expect(found?.passed).toBeUndefined();
  });

  it('reads small hours without am/pm as the afternoon: "2 to 5", "mañana de 3 a 6"', () => {
    expect(times('2 to 5', 'en', ELEVEN)).toMatchObject({
      start: '2025-06-10T13:00',
      end: '2025-06-10T16:00',
    });
    expect(times('mañana de 3 a 6', 'es', ELEVEN)).toMatchObject({
      start: '2025-06-11T14:00',
      end: '2025-06-11T17:00',
    });
    expect(times('tomorrow 2am to 5am', 'en', ELEVEN).start).toBe('2025-06-11T01:00');
  });

  it('says "this afternoon" at 18:00 is today and has passed, instead of moving it to tomorrow', () => {
    const found = findTime('near the london eye this afternoon', 'en', EVENING, LONDON);
    expect(iso(found?.start)).toBe('2025-06-10T14:00');
    expect(found?.passed).toBe(true);
  });

  it('marks a single time without a day, which still moves on to its next occurrence', () => {
    const found = findTime('at 9', 'en', NOW, LONDON);
    expect(found).toMatchObject({ noDay: true });
    expect(found?.passed).toBeUndefined();
  });
});
