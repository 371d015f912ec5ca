import * as chrono from 'chrono-node';
import { DateTime, type Zone } from 'luxon';
import type { Locale } from '../intents.ts';
import type { TimeEntity } from '../types.ts';
import { cachedZone } from './cached-zone.ts';
import { timeText } from './time-text.ts';

type Parsed = chrono.ParsedResult;
type Components = chrono.ParsedComponents;

// A time said without a day that is this far in the past means a later one ("at 9" said at 10).
const PAST_TOLERANCE_MINUTES = 15;
const PART_OF_DAY = /\b(morning|afternoon|evening|night|tonight|noon|midnight)\b/;
// "until" is split off and read by us: chrono's own "X until Y" ranges swap or copy their ends.
const UNTIL = /\buntil\b/;
// Today said in words: a time in it stays today even when it has passed (the caller says so).
const SAYS_TODAY = /\b(today|tonight|this (morning|afternoon|evening))\b/;
// chrono costs most of a classify call; a text with no digit and none of these word beginnings
// (days, months, parts of the day, units) has nothing it could read. Prefixes, so that a false
// alarm ("money", "decide") only costs a parse and never hides a time.
const TIME_CUE =
  /\d|\b(?:now|today|tonight|tom|tmr|yesterday|noon|midday|midnight|morning|afternoon|evening|night|weekend|week|wk|fortnight|month|year|yr|day|hour|hr|min|sec|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ago|later|eod|eom|eoy)/;
// Hours drivers mean in the afternoon when they leave out "pm": "2 to 5" is 14:00–17:00.
const AFTERNOON_HOURS = { from: 1, to: 6 };

interface Context {
  now: DateTime;
  zone: Zone;
}

interface Stay {
  start?: DateTime;
  end?: DateTime;
  dateOnly: boolean;
  /** No day was said: the times are on the reference day (single times may move on to a later one). */
  noDay?: boolean;
}

/**
 * Start and end of the stay a message describes, as UTC instants computed in `timeZone` relative
 * to `now`. `durationMinutes` (said separately: "for 2 hours") turns a start into an end.
 *
 * @example
 * findTime('tomorrow 9 to 11', 'en', new Date('2025-06-10T14:00:00Z'), 'Europe/London')
 * // { start: 2025-06-11T08:00Z, end: 2025-06-11T10:00Z, text: 'tomorrow from 9:00 to 11:00' }
 */
export function findTime(
  text: string,
  locale: Locale,
  now: Date,
  timeZone: string,
  durationMinutes?: number,
): TimeEntity | undefined {
  const english = timeText(text, locale);
  if (!TIME_CUE.test(english)) return undefined;
  const zone = cachedZone(timeZone);
  const context: Context = { now: DateTime.fromJSDate(now, { zone }), zone };
  const rewritten = withMonth(english, context.now);
  const until = UNTIL.exec(rewritten);
  const head = until ? rewritten.slice(0, until.index) : rewritten;
  const tail = until ? rewritten.slice(until.index + until[0].length) : '';
  const heads = parse(head, now, context);
  const ends = parse(tail, now, context);
  if (heads.length === 0 && ends.length === 0) return undefined;
  const stay = readStart(heads, context);
  const endResult = ends[0];
  if (endResult) stay.end = resolveEnd(endResult.start, stay.start ?? context.now, context, true);
  if (stay.start && !stay.end && durationMinutes !== undefined) {
    stay.end = stay.start.plus({ minutes: durationMinutes });
  }
  const pieces = [...heads.map((r) => [r.index, r.index + r.text.length])];
  if (endResult && until)
    pieces.push([until.index, until.index + until[0].length + endResult.index + endResult.text.length]);
  const from = Math.min(...pieces.map(([a]) => a ?? 0));
  const to = Math.max(...pieces.map(([, b]) => b ?? 0));
  const passed =
    stay.start && !stay.dateOnly && stay.start < context.now.minus({ minutes: PAST_TOLERANCE_MINUTES });
  return {
    ...(stay.start ? { start: stay.start.toUTC().toJSDate() } : {}),
    ...(stay.end ? { end: stay.end.toUTC().toJSDate() } : {}),
    ...(stay.dateOnly ? { dateOnly: true } : {}),
    ...(stay.noDay ? { noDay: true } : {}),
    ...(passed ? { passed: true } : {}),
    text: rewritten.slice(from, to).trim(),
  };
}

function parse(text: string, now: Date, context: Context): Parsed[] {
  if (!TIME_CUE.test(text)) return [];
  return (
    chrono.en.casual
      .parse(text, { instant: now, timezone: context.now.offset }, { forwardDate: true })
      // Lengths of stay ("for 2 hours", "one hour") are the duration's business; "in 2 hours" is a start.
      .filter((result) => !/^for\b/.test(result.text))
      .filter((result) => /^in\b/.test(result.text) || !/\b(minutes?|hours?|days?|weeks?)$/.test(result.text))
  );
}

// chrono reads "june 14" but not "the 14th": name the month (this one, or the next if the day passed).
function withMonth(text: string, now: DateTime): string {
  return text.replace(/\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)\b/g, (whole, day: string) => {
    const date = Number(day) >= now.day ? now : now.plus({ months: 1 });
    return Number(day) > 31 ? whole : `${date.toFormat('LLLL')} ${day}`;
  });
}

const hasDay = (c: Components) => c.isCertain('day') || c.isCertain('weekday');

/** The start (and a range's end) from the results before "until": a day from one, a time from another. */
function readStart(results: Parsed[], context: Context): Stay {
  const timed = results.find((r) => r.start.isCertain('hour'));
  const dated = results.find((r) => hasDay(r.start) || PART_OF_DAY.test(r.text));
  if (!timed && !dated) return { dateOnly: false };
  if (timed && (!dated || timed === dated || hasDay(timed.start))) {
    const noDay = !hasDay(timed.start) && !SAYS_TODAY.test(timed.text);
    // A range ("10 to 12") is on the day it is said for, even if it has passed: never 22:00 to
    // noon the next day. The caller knows whether another day was given earlier.
    const start =
      timed.end || !noDay
        ? atTimeOf(resolveDay(timed.start, context), timed.start, true)
        : resolve(timed.start, context);
    const end = timed.end ? { end: resolveEnd(timed.end, start, context) } : {};
    return { start, ...end, dateOnly: false, ...(noDay ? { noDay } : {}) };
  }
  if (timed && dated) {
    const day = resolveDay(dated.start, context);
    const start = atTimeOf(day, timed.start, true);
    return { start, ...(timed.end ? { end: resolveEnd(timed.end, start, context) } : {}), dateOnly: false };
  }
  const only = dated as Parsed;
  if (SAYS_TODAY.test(only.text) && !/\btonight\b/.test(only.text)) {
    return { start: atTimeOf(context.now.startOf('day'), only.start), dateOnly: false };
  }
  const start = resolve(only.start, context);
  if (PART_OF_DAY.test(only.text)) return { start, dateOnly: false };
  // "tomorrow" alone: the day is known, the hour is not — from that morning, or from now if today.
  const day = start.startOf('day');
  return { start: day.hasSame(context.now, 'day') ? context.now : day, dateOnly: true };
}

/** The time of `c` on `day`; `afternoon`: an hour from 1 to 6 without am/pm is read as pm. */
function atTimeOf(day: DateTime, c: Components, afternoon = false): DateTime {
  let hour = c.get('hour') ?? 0;
  const small = hour >= AFTERNOON_HOURS.from && hour <= AFTERNOON_HOURS.to;
  if (afternoon && small && !c.isCertain('meridiem')) hour += 12;
  return day.set({ hour, minute: c.get('minute') ?? 0, second: 0, millisecond: 0 });
}

/** The day a result names, or the reference day when it names none. */
function resolveDay(c: Components, context: Context): DateTime {
  return hasDay(c) ? resolve(c, context).startOf('day') : context.now.startOf('day');
}

/** Components chrono read in the zone's wall-clock time → an instant in that zone. */
function resolve(c: Components, context: Context): DateTime {
  if (hasDay(c)) {
    const day = DateTime.fromObject(
      { year: c.get('year') ?? 0, month: c.get('month') ?? 1, day: c.get('day') ?? 1 },
      { zone: context.zone },
    );
    return atTimeOf(day, c);
  }
  const floor = context.now.minus({ minutes: PAST_TOLERANCE_MINUTES });
  return later(atTimeOf(context.now.startOf('day'), c), c, floor);
}

/**
 * An end on the start's day unless another day was named, moved past the start: "10 to 4" ends
 * at 16:00, "8pm to 2am" the next morning. In a range chrono copies the start's day into the end
 * (and adds one when the end looks earlier), so only a day two or more days on is taken as named
 * there; after "until" the day is the driver's own words.
 */
function resolveEnd(c: Components, start: DateTime, context: Context, afterUntil = false): DateTime {
  const named = hasDay(c) ? resolve(c, context) : undefined;
  const trusted = named && (afterUntil || named.startOf('day') > start.startOf('day').plus({ days: 1 }));
  const candidate = trusted ? named : atTimeOf(start.startOf('day'), c);
  return later(candidate, c, start);
}

/** Moves `candidate` past `floor`: to the afternoon first if am/pm was not said, else a day on. */
function later(candidate: DateTime, c: Components, floor: DateTime): DateTime {
  if (candidate > floor) return candidate;
  const hour = c.get('hour') ?? 0;
  if (!c.isCertain('meridiem') && hour < 12) {
    const afternoon = candidate.plus({ hours: 12 });
    if (afternoon > floor) return afternoon;
  }
  return candidate.plus({ days: 1 });
}
