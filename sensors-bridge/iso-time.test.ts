import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEarlier, isoString, parseIsoTime } from './iso-time.ts';

const FIRST = Date.parse('0000-01-01T00:00:00.000Z');
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('ISO times on the ingest path', () => {
  it('writes exactly what toISOString writes, for any time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(isoString(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
    const edges = [FIRST, FIRST - 1, LAST, LAST + 1, 0, -1, Date.UTC(2024, 1, 29), Date.UTC(2100, 2, 1) - 1];
    for (const ms of edges) expect(isoString(ms)).toBe(new Date(ms).toISOString());
    // consecutive times of one day, and back to an earlier day
    const day = Date.UTC(2030, 5, 3);
    for (const ms of [day, day + 59_999, day + 86_399_999, day - 1, day + 86_400_000])
      expect(isoString(ms)).toBe(new Date(ms).toISOString());
  });

  it('gives the right time when times repeat and alternate (it remembers the last two)', () => {
    const few = fc.constantFrom(0, 1, Date.UTC(2030, 5, 3), Date.UTC(2030, 5, 3, 8), -1, FIRST, LAST);
    fc.assert(
      fc.property(fc.array(few, { maxLength: 30 }), (times) => {
        for (const ms of times) expect(isoString(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an invalid time as toISOString does', () => {
    expect(() => isoString(NaN)).toThrow(RangeError);
    expect(() => isoString(NaN)).toThrow(RangeError);
    expect(() => isoString(8.64e15 + 1)).toThrow(RangeError);
  });

  it('orders ISO times as their instants, whatever their shape', () => {
    const iso = fc.integer({ min: -1e14, max: 4e14 }).map((ms) => new Date(ms).toISOString());
    const zoned = fc
      .tuple(fc.integer({ min: 0, max: 4e12 }), fc.constantFrom('+01:00', '-05:30', 'Z'))
      .map(([ms, zone]) => new Date(ms).toISOString().replace('Z', zone));
    const any = fc.oneof(iso, zoned);
    fc.assert(
      fc.property(any, any, (a, b) => {
        expect(isEarlier(a, b)).toBe(Date.parse(a) < Date.parse(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads ISO times exactly as Date.parse does, in the usual shape and any other', () => {
    const shapes = fc
      .tuple(fc.integer({ min: -1e14, max: 4e14 }), fc.constantFrom('Z', '+01:00', '-05:30'), fc.boolean())
      .map(([ms, zone, withMs]) => {
        const iso = new Date(ms).toISOString().replace('Z', zone);
        return withMs ? iso : iso.replace(/\.\d{3}/, '');
      });
    // Digits anywhere: impossible dates and times (Feb 30, hour 24, minute 60…) and years below 100.
    const digitsInShape = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 })
      .map((d) => {
        const [y, mo, da, h, mi, s, ms] = [
          [0, 4],
          [4, 6],
          [6, 8],
          [8, 10],
          [10, 12],
          [12, 14],
          [14, 17],
        ].map(([a, b]) => d.slice(a, b).join(''));
        return `${y}-${mo}-${da}T${h}:${mi}:${s}.${ms}Z`;
      });
    const any = fc.oneof(shapes, digitsInShape, fc.string({ maxLength: 26 }));
    fc.assert(
      fc.property(any, (s) => {
        expect(parseIsoTime(s)).toBe(Date.parse(s));
      }),
      { numRuns: 5000 },
    );
    for (const s of [
      '2024-02-29T23:59:59.999Z',
      '2023-02-29T00:00:00Z',
      '2030-06-03T24:00:00Z',
      '0099-01-01T00:00:00Z',
    ])
      expect(parseIsoTime(s)).toBe(Date.parse(s));
  });
});
