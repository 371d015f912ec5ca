import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { instantAt, localTime } from './local-time.ts';
import { isOpenThroughout } from './opening-hours.ts';
import { WEEKDAYS, type OpeningHours } from './types.ts';

const ZONES = [
  'Europe/London',
  'Europe/Madrid',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'UTC',
];
// 2020–2035, with extra weight on the weeks around DST changes
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
  fc
    .constantFrom(
      Date.UTC(2026, 2, 29, 1),
      Date.UTC(2026, 9, 25, 1),
      Date.UTC(2026, 2, 8, 7),
      Date.UTC(2026, 10, 1, 6),
    )
    .chain((t) => fc.integer({ min: t - 3 * 3_600_000, max: t + 3 * 3_600_000 })),
);

describe('local time by arithmetic', () => {
  it('agrees with luxon on the wall clock of any instant in any zone', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        const t = DateTime.fromMillis(ms, { zone });
        const l = localTime(ms, zone);
        expect([l.hour, l.minute, l.weekday]).toEqual([t.hour, t.minute, t.weekday]);
        expect(l.day).toBe(
          Math.round(t.startOf('day').setZone('UTC', { keepLocalTime: true }).toMillis() / 86_400_000),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the instant of a local time as luxon does, in DST gaps and overlaps too', () => {
    // 01:30 does not exist in London on 29 March 2026 and happens twice on 25 October
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    for (const [date, hhmm] of [
      ['2026-03-29', '01:30'],
      ['2026-10-25', '01:30'],
      ['2026-06-01', '24:00'],
      ['2026-06-01', '07:15'],
    ] as const) {
      const luxon = DateTime.fromISO(date, { zone: 'Europe/London' });
      const expected =
        hhmm === '24:00'
          ? luxon.plus({ days: 1 }).startOf('day')
          : luxon.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)) });
      expect(instantAt('Europe/London', day(date), hhmm)).toBe(expected.toMillis());
    }
  });
});

/** The opening-hours check as it was written with luxon alone: the reference the fast one must match. */
function openThroughoutByLuxon(hours: OpeningHours, zone: string, from: Date, to: Date): boolean {
  const first = DateTime.fromJSDate(from, { zone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromJSDate(to, { zone }).startOf('day').plus({ days: 1 });
  const at = (day: DateTime, hhmm: string) =>
    hhmm === '24:00'
      ? day.plus({ days: 1 }).startOf('day')
      : day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)), second: 0, millisecond: 0 });
  const spans: Array<[number, number]> = [];
  for (let day = first; day <= last; day = day.plus({ days: 1 }))
    for (const [o, c] of hours[WEEKDAYS[day.weekday - 1]!] ?? [])
      spans.push([at(day, o).toMillis(), at(day, c).toMillis()]);
  spans.sort((a, b) => a[0] - b[0]);
  let cursor = from.getTime();
  for (const [o, c] of spans) {
    if (o > cursor) break;
    if (c > cursor) cursor = c;
    if (cursor >= to.getTime()) return true;
  }
  return cursor >= to.getTime();
}

describe('opening hours on the fast local time', () => {
  const HOURS: OpeningHours[] = [
    Object.fromEntries(WEEKDAYS.map((d) => [d, [['07:00', '22:00']]])) as OpeningHours,
    {
      mon: [['00:00', '24:00']],
      tue: [
        ['00:00', '06:00'],
        ['08:00', '20:00'],
      ],
      sat: [['10:00', '16:00']],
    } as OpeningHours,
    Object.fromEntries(
      WEEKDAYS.map((d) => [
        d,
        [
          ['01:00', '03:00'],
          ['05:30', '24:00'],
        ],
      ]),
    ) as OpeningHours,
  ];
  it('answers exactly as the luxon-only check did', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 15, max: 30 * 60 }),
        fc.constantFrom(...ZONES),
        fc.constantFrom(...HOURS),
        (ms, minutes, zone, hours) => {
          const from = new Date(ms);
          const to = new Date(ms + minutes * 60_000);
          expect(isOpenThroughout(hours, zone, { from, to })).toBe(
            openThroughoutByLuxon(hours, zone, from, to),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
