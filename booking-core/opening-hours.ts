import { instantAt, localTime, weekdayOf } from './local-time.ts';
import { WEEKDAYS, type OpeningHours, type TimeWindow } from './types.ts';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Is `hh:mm` a valid opening-hours time ('24:00' allowed as end of day)? */
export const isOpeningTime = (t: string): boolean => TIME.test(t);

/** Open intervals in UTC for every local day the window touches (with a day's margin either side). */
function openIntervals(hours: OpeningHours, timeZone: string, window: TimeWindow): Array<[number, number]> {
  const first = localTime(window.from, timeZone).day - 1;
  const last = localTime(window.to, timeZone).day + 1;
  const out: Array<[number, number]> = [];
  for (let day = first; day <= last; day++) {
    const weekday = WEEKDAYS[weekdayOf(day) - 1];
    for (const [open, close] of (weekday && hours[weekday]) || []) {
      out.push([instantAt(timeZone, day, open), instantAt(timeZone, day, close)]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Open all day every day: every instant is covered, whatever the zone does. */
const isAlwaysOpen = (hours: OpeningHours): boolean =>
  WEEKDAYS.every((d) => hours[d]?.some(([open, close]) => open === '00:00' && close === '24:00'));

/**
 * Is the facility open for the whole window? Adjacent intervals join, so "Mon 00:00–24:00" +
 * "Tue 00:00–06:00" covers an overnight stay; DST gaps and overlaps follow the facility's zone.
 *
 *   isOpenThroughout({ mon: [['07:00', '22:00']] }, 'Europe/London', { from, to })
 */
export function isOpenThroughout(hours: OpeningHours, timeZone: string, window: TimeWindow): boolean {
  if (isAlwaysOpen(hours)) return true; // no time-zone arithmetic needed
  let cursor = window.from.getTime();
  const end = window.to.getTime();
  for (const [open, close] of openIntervals(hours, timeZone, window)) {
    if (open > cursor) break;
    if (close > cursor) cursor = close;
    if (cursor >= end) return true;
  }
  return cursor >= end;
}

/** Opening hours as a short human text for one local weekday, e.g. "07:00–22:00" or "closed". */
export function describeDay(hours: OpeningHours, weekday: (typeof WEEKDAYS)[number]): string {
  const spans = hours[weekday];
  if (!spans?.length) return 'closed';
  return spans.map(([a, b]) => (a === '00:00' && b === '24:00' ? 'open 24 hours' : `${a}–${b}`)).join(', ');
}
