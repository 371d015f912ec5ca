import { DateTime } from 'luxon';
import { localTime } from '../../booking-core/index.ts';
import type { Understood } from '../ports.ts';

type Entities = Understood['entities'];
type Window = { readonly start: Date; readonly end: Date };

/** Words that make a clock time afternoon or evening, or morning, whatever its number. */
const HALF_OF_DAY =
  /\b(\d\s*(am|pm|a\.m\.|p\.m\.|h)|am|pm|morning|afternoon|evening|night|tonight|noon|midday|midnight|ma[nñ]ana|tarde|noche|madrugada|mediod[ií]a)\b|\d{1,2}:\d{2}|\b(1[3-9]|2[0-3])\b/i;

/**
 * A bare range ("10 to 12", "2 til 5") as a driver means it: on one day, and in parking hours.
 * Read literally at 11:30 "10 to 12" is 22:00 to noon tomorrow and "2 til 5" is 2 to 5 at night;
 * both are almost always daytime on one day. Ranges with am/pm, a 24-hour time or a part of the
 * day are left as they are.
 */
export function sameDayRange(e: Entities, text: string, timeZone: string): Entities {
  const t = e.time;
  if (!t?.start || !t.end || t.dateOnly || HALF_OF_DAY.test(stripDays(text))) return e;
  // most ranges need no change: tell so by arithmetic (luxon's zone work costs far more)
  const a = localTime(t.start, timeZone);
  const b = localTime(t.end, timeZone);
  const wraps = a.day !== b.day && a.hour >= 12 && b.hour <= 12 && a.hour - 12 < b.hour;
  const atNight = a.day === b.day && b.hour <= 7 && a.hour < b.hour && a.hour >= 1;
  if (!wraps && !atNight) return { ...e, time: { start: new Date(t.start), end: new Date(t.end) } };
  let start = DateTime.fromJSDate(t.start, { zone: timeZone });
  let end = DateTime.fromJSDate(t.end, { zone: timeZone });
  if (!start.hasSame(end, 'day') && start.hour >= 12 && end.hour <= 12 && start.hour - 12 < end.hour) {
    start = start.minus({ hours: 12 });
    end = end.minus({ days: 1 });
  }
  if (start.hasSame(end, 'day') && end.hour <= 7 && start.hour < end.hour && start.hour >= 1) {
    start = start.plus({ hours: 12 });
    end = end.plus({ hours: 12 });
  }
  return { ...e, time: { start: start.toJSDate(), end: end.toJSDate() } };
}

// "mañana" is also "tomorrow": don't let it pass for "morning" when it names the day.
const stripDays = (text: string) => text.replace(/\b(pasado )?ma[nñ]ana(?! por)/gi, ' ');

/** Whether a message pins its clock times to a half of the day (am/pm, "tarde", 24-hour, 14:30). */
export const saysHalfOfDay = (text: string) => HALF_OF_DAY.test(stripDays(text));

/**
 * The hour a driver means by a bare clock number on a day already chosen: parking hours, so
 * 7–12 as said and 1–6 in the afternoon; an understanding that moved "9" on to 21:00 (the next
 * nine o'clock after 10:30) is taken back to 09:00.
 */
export const daytimeHour = (hour: number) =>
  hour >= 19 ? hour - 12 : hour >= 1 && hour <= 6 ? hour + 12 : hour;

const SAID_TODAY =
  /\b(today|this (morning|afternoon|evening)|tonight|now|right now|hoy|esta (ma[nñ]ana|tarde|noche)|ahora)\b/i;

/** Parts of today by name: [said, the hour it is over, the hour it usually means]. */
const PARTS: ReadonlyArray<readonly [RegExp, number, number]> = [
  [/\b(this morning|esta ma[nñ]ana)\b/i, 12, 9],
  [/\b(this afternoon|esta tarde)\b/i, 18, 15],
  [/\b(this evening|tonight|esta noche)\b/i, 23, 19],
];

/** How far before now a start is still "now" (the driver took a moment to type). */
const GRACE_MS = 5 * 60_000;

export interface PassedTime {
  /** the start the driver asked for, which has passed */
  readonly asked: Date;
  /** next sensible windows of the same length: from now, and the same time the next day */
  readonly proposals: readonly Window[];
}

/**
 * A stay whose start has passed, or that the understanding moved to tomorrow although the driver
 * said today ("this afternoon" at 18:00). Returns what to propose instead, or null when the time
 * is fine. Never books tomorrow silently.
 */
export function passedTime(
  w: { start?: Date; end?: Date },
  text: string,
  now: Date,
  timeZone: string,
): PassedTime | null {
  if (!w.start) return null;
  // the usual answer (a time to come, as said) by arithmetic; luxon only to build proposals
  const part = PARTS.find(([re]) => re.test(text));
  const nowLocal = localTime(now, timeZone);
  const partOver = !!part && nowLocal.hour >= part[1];
  const saidToday = SAID_TODAY.test(text) && !/\b(now|ahora)\b/i.test(text);
  const rolled = saidToday && localTime(w.start, timeZone).day !== nowLocal.day;
  const past = w.start.getTime() < now.getTime() - GRACE_MS;
  if (!partOver && !rolled && !past) return null;
  const start = DateTime.fromJSDate(w.start, { zone: timeZone });
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  if (part && partOver) {
    // "this morning" said in the afternoon: whatever instant it was read as, that part of today is over.
    const minutes = w.end ? Math.round((w.end.getTime() - w.start.getTime()) / 60_000) : 120;
    const asked = today.startOf('day').set({ hour: part[2] });
    const fromNow = today.startOf('minute');
    return {
      asked: asked.toJSDate(),
      proposals: [
        { start: fromNow.toJSDate(), end: fromNow.plus({ minutes }).toJSDate() },
        { start: asked.plus({ days: 1 }).toJSDate(), end: asked.plus({ days: 1, minutes }).toJSDate() },
      ],
    };
  }
  const minutes = w.end ? Math.round((w.end.getTime() - w.start.getTime()) / 60_000) : 120;
  const asked = rolled ? start.minus({ days: 1 }) : start;
  const fromNow = DateTime.fromJSDate(now, { zone: timeZone }).startOf('minute');
  const nowEnd =
    w.end && !rolled && w.end.getTime() > now.getTime() + 30 * 60_000
      ? DateTime.fromJSDate(w.end, { zone: timeZone })
      : fromNow.plus({ minutes });
  const nextDay = asked.hasSame(today, 'day')
    ? asked.plus({ days: 1 })
    : today.plus({ days: 1 }).set({
        hour: asked.hour,
        minute: asked.minute,
      });
  return {
    asked: asked.toJSDate(),
    proposals: [
      { start: fromNow.toJSDate(), end: nowEnd.toJSDate() },
      { start: nextDay.toJSDate(), end: nextDay.plus({ minutes }).toJSDate() },
    ],
  };
}
