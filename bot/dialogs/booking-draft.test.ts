import { describe, expect, it } from 'vitest';
import { anchorToDraftDay, bareClockTime, mergeDetails, missingSlot } from './booking-draft.ts';

const at = (h: number, m = 0) => new Date(Date.UTC(2030, 5, 4, h, m));
const iso = (h: number, m = 0) => at(h, m).toISOString();

describe('booking draft', () => {
  it('asks for facility, start, end and plate in that order', () => {
    expect(missingSlot({})).toBe('facility');
    expect(missingSlot({ facilityId: 'f' })).toBe('start');
    expect(missingSlot({ facilityId: 'f', start: iso(9) })).toBe('end');
    expect(missingSlot({ facilityId: 'f', start: iso(9), end: iso(11) })).toBe('plate');
    expect(missingSlot({ facilityId: 'f', start: iso(9), end: iso(11), plate: 'AB12CDE' })).toBeNull();
  });

  it('takes everything one message says', () => {
    const { draft, changed } = mergeDetails(
      {},
      {
        facility: { id: 'f', name: 'Paddington' },
        time: { start: at(9), end: at(11) },
        spaceKind: 'ev',
        plate: 'AB12CDE',
      },
    );
    expect(draft).toEqual({
      facilityId: 'f',
      facilityName: 'Paddington',
      start: iso(9),
      end: iso(11),
      kind: 'ev',
      plate: 'AB12CDE',
    });
    expect(changed.sort()).toEqual(['end', 'facility', 'kind', 'plate', 'start']);
  });

  it('moves the whole stay when only a new start is given ("actually make it 3pm")', () => {
    const { draft, changed } = mergeDetails({ start: iso(9), end: iso(11) }, { time: { start: at(15) } });
    expect(draft).toMatchObject({ start: iso(15), end: iso(17) });
    expect(changed).toEqual(['start', 'end']);
  });

  it('sets the end from a duration, now or once the start is known', () => {
    expect(mergeDetails({ start: iso(9) }, { durationMinutes: 90 }).draft.end).toBe(iso(10, 30));
    const pending = mergeDetails({}, { durationMinutes: 120 }).draft;
    expect(pending).toEqual({ durationMinutes: 120 });
    expect(mergeDetails(pending, { time: { start: at(8) } }).draft).toEqual({ start: iso(8), end: iso(10) });
  });

  it('keeps an explicit new end, and drops an end that would fall before a new start', () => {
    expect(mergeDetails({ start: iso(9), end: iso(11) }, { time: { end: at(12) } }).draft.end).toBe(iso(12));
    expect(
      mergeDetails({ start: iso(9), end: iso(11) }, { time: { start: at(13), end: at(14) } }).draft,
    ).toMatchObject({ start: iso(13), end: iso(14) });
  });

  it('remembers a landmark until a facility is named', () => {
    const withPlace = mergeDetails({}, { place: 'the stadium' }).draft;
    expect(withPlace).toEqual({ place: 'the stadium' });
    expect(mergeDetails(withPlace, { facility: { id: 'w', name: 'Wembley' } }).draft).toEqual({
      facilityId: 'w',
      facilityName: 'Wembley',
    });
  });

  it('takes a bare day as the day to ask the time on, not a midnight arrival', () => {
    const { draft } = mergeDetails({}, { time: { start: at(0), dateOnly: true } });
    expect(draft).toEqual({ day: iso(0) });
    expect(missingSlot({ ...draft, facilityId: 'f' })).toBe('start');
  });

  it('takes a day with a length as that day and a length, never a midnight arrival', () => {
    const { draft } = mergeDetails(
      {},
      { time: { start: at(0), end: at(3), dateOnly: true }, durationMinutes: 180 },
    );
    expect(draft).toEqual({ day: iso(0), durationMinutes: 180 });
    expect(missingSlot({ ...draft, facilityId: 'f' })).toBe('start');
  });

  it('puts a bare clock time on the day already chosen, but not a time that names its own day', () => {
    const tomorrow9 = { start: iso(9), end: iso(11) }; // 4 June
    const today15 = new Date(Date.UTC(2030, 5, 3, 15));
    const moved = anchorToDraftDay({ time: { start: today15 } }, 'actually make it 3pm', tomorrow9, 'UTC');
    expect(moved.time?.start?.toISOString()).toBe(iso(15));
    const kept = anchorToDraftDay({ time: { start: today15 } }, 'today at 3pm', tomorrow9, 'UTC');
    expect(kept.time?.start?.toISOString()).toBe(today15.toISOString());
    const onDay = anchorToDraftDay({ time: { start: today15 } }, 'at 3pm', { day: iso(0) }, 'UTC');
    expect(onDay.time?.start?.toISOString()).toBe(iso(15));
  });
});

describe('bareClockTime', () => {
  const zone = 'Europe/London';
  const now = new Date('2030-06-03T09:30:00Z'); // 10:30 in London
  const tomorrow = { day: '2030-06-04T00:00:00.000+01:00' };

  it('reads a bare number answering "when" as that hour on the chosen day, in parking hours', () => {
    expect(bareClockTime('9', 'start', tomorrow, zone, now)?.start?.toISOString()).toBe(
      '2030-06-04T08:00:00.000Z',
    );
    expect(bareClockTime('a las 9:30', 'start', tomorrow, zone, now)?.start?.toISOString()).toBe(
      '2030-06-04T08:30:00.000Z',
    );
    // "5" until when: the afternoon
    expect(bareClockTime('5', 'end', tomorrow, zone, now)?.end?.toISOString()).toBe(
      '2030-06-04T16:00:00.000Z',
    );
    // no day chosen yet: today
    expect(bareClockTime('at 11', 'start', {}, zone, now)?.start?.toISOString()).toBe(
      '2030-06-03T10:00:00.000Z',
    );
  });

  it('leaves everything else alone', () => {
    expect(bareClockTime('9', 'plate', tomorrow, zone, now)).toBeUndefined();
    expect(bareClockTime('space 9', 'start', tomorrow, zone, now)).toBeUndefined();
    expect(bareClockTime('99', 'start', tomorrow, zone, now)).toBeUndefined();
    expect(bareClockTime('9:75', 'start', tomorrow, zone, now)).toBeUndefined();
  });
});

describe('anchorToDraftDay', () => {
  it('takes a bare hour the understanding moved to the evening back to the morning of the chosen day', () => {
    const draft = { day: '2030-06-04T00:00:00.000+01:00' };
    const heard = { time: { start: new Date('2030-06-03T20:00:00Z'), noDay: true, text: 'at 9' } }; // 21:00 today
    expect(anchorToDraftDay(heard, 'at 9', draft, 'Europe/London').time?.start?.toISOString()).toBe(
      '2030-06-04T08:00:00.000Z',
    );
    // said as the evening: kept
    expect(anchorToDraftDay(heard, 'at 9pm', draft, 'Europe/London').time?.start?.toISOString()).toBe(
      '2030-06-04T20:00:00.000Z',
    );
  });
});

describe('anchorToDraftDay in the evening', () => {
  it('reads "make it 8" on an evening stay as the evening', () => {
    const draft = { start: '2030-06-04T19:00:00.000Z', end: '2030-06-04T21:00:00.000Z' }; // 20:00–22:00 London
    const heard = { time: { start: new Date('2030-06-03T07:00:00Z'), noDay: true, text: 'at 8' } }; // 08:00 today
    expect(anchorToDraftDay(heard, 'make it 8', draft, 'Europe/London').time?.start?.toISOString()).toBe(
      '2030-06-04T19:00:00.000Z',
    );
    const morning = { start: '2030-06-04T07:00:00.000Z', end: '2030-06-04T09:00:00.000Z' }; // 08:00–10:00
    const nine = { time: { start: new Date('2030-06-03T20:00:00Z'), noDay: true, text: 'at 9' } }; // 21:00
    expect(anchorToDraftDay(nine, 'make it 9', morning, 'Europe/London').time?.start?.toISOString()).toBe(
      '2030-06-04T08:00:00.000Z',
    );
  });
});
