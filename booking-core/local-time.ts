import { DateTime, IANAZone } from 'luxon';

const QUARTER_MS = 900_000;
const DAY_MS = 86_400_000;
const MAX_KEPT = 50_000;

const offsets = new Map<string, number>();

/**
 * A zone's offset from UTC in minutes at an instant. Offsets change only at transitions, and
 * every zone's transitions fall on a UTC quarter hour today, so the answer is kept per zone and
 * quarter hour (a quarter hour with a transition inside is computed exactly and not kept):
 * luxon's own answer costs an `Intl` call each time, which chat turns asked for by the dozen.
 */
export function zoneOffsetMinutes(zone: string, at: number): number {
  const quarter = Math.floor(at / QUARTER_MS);
  const key = `${zone}|${quarter}`;
  const kept = offsets.get(key);
  if (kept !== undefined) return kept;
  const z = IANAZone.create(zone);
  const first = z.offset(quarter * QUARTER_MS);
  if (first !== z.offset((quarter + 1) * QUARTER_MS - 1)) return z.offset(at);
  if (offsets.size >= MAX_KEPT) offsets.clear();
  offsets.set(key, first);
  return first;
}

/** Wall-clock time in a zone: the local day (days since 1970-01-01 there), hour, minute, weekday. */
export interface LocalTime {
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** 1 = Monday … 7 = Sunday, as luxon counts */
  readonly weekday: number;
}

/**
 * The wall-clock time of an instant in `zone`, by arithmetic on its offset.
 *
 *   localTime(new Date('2026-07-01T08:30:00Z'), 'Europe/London') // { hour: 9, minute: 30, weekday: 3, … }
 */
export function localTime(at: Date | number, zone: string): LocalTime {
  const ms = typeof at === 'number' ? at : at.getTime();
  const local = ms + zoneOffsetMinutes(zone, ms) * 60_000;
  const day = Math.floor(local / DAY_MS);
  const ofDay = local - day * DAY_MS;
  return {
    day,
    hour: Math.floor(ofDay / 3_600_000),
    minute: Math.floor((ofDay % 3_600_000) / 60_000),
    weekday: weekdayOf(day),
  };
}

/** The weekday of a local day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

const instants = new Map<string, number>();

/**
 * The instant (UTC ms) of a wall-clock time on a local day in `zone` — luxon's answer (a time in a
 * DST gap moves forward, one in an overlap takes the earlier), kept per zone, day and time.
 * `'24:00'` is the start of the next day.
 */
export function instantAt(zone: string, day: number, hhmm: string): number {
  const key = `${zone}|${day}|${hhmm}`;
  const kept = instants.get(key);
  if (kept !== undefined) return kept;
  const utc = new Date(day * DAY_MS);
  const midnight = DateTime.fromObject(
    { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() },
    { zone },
  );
  const [h, m] = hhmm.split(':').map(Number);
  const at =
    hhmm === '24:00'
      ? midnight.plus({ days: 1 }).startOf('day')
      : midnight.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 });
  if (instants.size >= MAX_KEPT) instants.clear();
  instants.set(key, at.toMillis());
  return at.toMillis();
}
