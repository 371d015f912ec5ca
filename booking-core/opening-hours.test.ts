import { describe, expect, it } from 'vitest';
import { describeDay, isOpenThroughout, isOpeningTime } from './opening-hours.ts';
import type { OpeningHours } from './types.ts';

const at = (iso: string) => new Date(iso);
const w = (from: string, to: string) => ({ from: at(from), to: at(to) });

const weekdays: OpeningHours = {
  mon: [['07:00', '22:00']],
  tue: [['07:00', '22:00']],
  wed: [
    ['07:00', '12:00'],
    ['13:00', '22:00'],
  ],
  sat: [['00:00', '24:00']],
  sun: [['00:00', '06:00']],
};

describe('opening hours', () => {
  it('accepts a window inside one day, in the facility zone', () => {
    // 2026-06-01 is a Monday; London is UTC+1 in June, so 07:00 local = 06:00Z.
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-06-01T06:00:00Z', '2026-06-01T21:00:00Z')),
    ).toBe(true);
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-06-01T05:59:00Z', '2026-06-01T08:00:00Z')),
    ).toBe(false);
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-06-01T20:00:00Z', '2026-06-01T21:01:00Z')),
    ).toBe(false);
  });

  it('refuses a window spanning a midday closure', () => {
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-06-03T09:00:00Z', '2026-06-03T12:30:00Z')),
    ).toBe(false);
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-06-03T12:00:00Z', '2026-06-03T15:00:00Z')),
    ).toBe(true);
  });

  it('joins adjacent days for overnight stays (Sat all day + Sun until 06:00)', () => {
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-06-06T20:00:00Z', '2026-06-07T05:00:00Z')),
    ).toBe(true);
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-06-06T20:00:00Z', '2026-06-07T05:30:00Z')),
    ).toBe(false);
  });

  it('treats a missing day as closed', () => {
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-06-04T10:00:00Z', '2026-06-04T11:00:00Z')),
    ).toBe(false);
  });

  it('follows daylight saving time in the facility zone', () => {
    // Winter: London = UTC, so 07:00 local = 07:00Z. 2026-11-30 is a Monday.
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-11-30T06:30:00Z', '2026-11-30T08:00:00Z')),
    ).toBe(false);
    expect(
      isOpenThroughout(weekdays, 'Europe/London', w('2026-11-30T07:00:00Z', '2026-11-30T08:00:00Z')),
    ).toBe(true);
    // New York, 07:00 EST = 12:00Z
    expect(
      isOpenThroughout(weekdays, 'America/New_York', w('2026-11-30T12:00:00Z', '2026-11-30T13:00:00Z')),
    ).toBe(true);
    expect(
      isOpenThroughout(weekdays, 'America/New_York', w('2026-11-30T11:00:00Z', '2026-11-30T13:00:00Z')),
    ).toBe(false);
  });

  it('validates and describes times', () => {
    expect(isOpeningTime('07:30')).toBe(true);
    expect(isOpeningTime('24:00')).toBe(true);
    expect(isOpeningTime('24:01')).toBe(false);
    expect(isOpeningTime('7:30')).toBe(false);
    expect(describeDay(weekdays, 'sat')).toBe('open 24 hours');
    expect(describeDay(weekdays, 'thu')).toBe('closed');
    expect(describeDay(weekdays, 'wed')).toBe('07:00–12:00, 13:00–22:00');
  });
});
