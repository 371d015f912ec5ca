import { describe, expect, it } from 'vitest';
import { passedTime, sameDayRange } from './time-sense.ts';

const Z = 'Europe/London';
const at = (iso: string) => new Date(iso);

describe('time sense', () => {
  it('keeps a bare range read across midnight on one day', () => {
    // "10 to 12" read at 11:30 as 22:00 today – 12:00 tomorrow
    const e = sameDayRange(
      { time: { start: at('2030-06-03T21:00:00Z'), end: at('2030-06-04T11:00:00Z') } },
      '10 to 12',
      Z,
    );
    expect(e.time?.start?.toISOString()).toBe('2030-06-03T09:00:00.000Z');
    expect(e.time?.end?.toISOString()).toBe('2030-06-03T11:00:00.000Z');
  });

  it('reads a small-hours bare range as the afternoon, unless am or pm was said', () => {
    const night = { time: { start: at('2030-06-04T01:00:00Z'), end: at('2030-06-04T04:00:00Z') } };
    expect(sameDayRange(night, 'tmrw 2 til 5', Z).time?.start?.toISOString()).toBe(
      '2030-06-04T13:00:00.000Z',
    );
    expect(sameDayRange(night, 'tmrw 2am til 5am', Z)).toBe(night);
  });

  it('says a start has passed, proposing from now and the same time tomorrow', () => {
    const now = at('2030-06-03T10:00:00Z'); // 11:00 in London
    const p = passedTime(
      { start: at('2030-06-03T08:00:00Z'), end: at('2030-06-03T10:00:00Z') },
      'today at 9',
      now,
      Z,
    );
    expect(p?.asked.toISOString()).toBe('2030-06-03T08:00:00.000Z');
    expect(p?.proposals.map((w) => [w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2030-06-03T10:00:00.000Z', '2030-06-03T12:00:00.000Z'],
      ['2030-06-04T08:00:00.000Z', '2030-06-04T10:00:00.000Z'],
    ]);
  });

  it('does not let "this afternoon" said in the evening become tomorrow silently', () => {
    const now = at('2030-06-03T17:00:00Z'); // 18:00
    const p = passedTime({ start: at('2030-06-04T14:00:00Z') }, 'near the london eye this afternoon', now, Z);
    expect(p?.asked.toISOString()).toBe('2030-06-03T14:00:00.000Z');
  });

  it('leaves a future start alone', () => {
    const now = at('2030-06-03T08:00:00Z');
    expect(passedTime({ start: at('2030-06-04T08:00:00Z') }, 'tomorrow at 9', now, Z)).toBeNull();
    expect(passedTime({ start: now }, 'now', now, Z)).toBeNull();
  });
});
