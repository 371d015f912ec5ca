import { DateTime } from 'luxon';
import type { SpaceKind } from '../../booking-core/index.ts';
import type { Understood } from '../ports.ts';
import { daytimeHour, saysHalfOfDay } from './time-sense.ts';

/** What the driver has told us so far about the booking they want. JSON-safe (kept in bot state). */
export interface BookingDraft {
  readonly facilityId?: string;
  readonly facilityName?: string;
  /** a landmark not yet resolved to a facility */
  readonly place?: string;
  /** a day said without a time ("tomorrow"): ISO instant of its start, until a time is given */
  readonly day?: string;
  /** ISO-8601 instants */
  readonly start?: string;
  readonly end?: string;
  /** a length given before the start was known */
  readonly durationMinutes?: number;
  readonly kind?: SpaceKind;
  readonly plate?: string;
}

export type Slot = 'facility' | 'start' | 'end' | 'plate';
export type Change = Slot | 'kind';

/** The next thing to ask for, in the order a person would ask. */
export function missingSlot(d: BookingDraft): Slot | null {
  if (!d.facilityId) return 'facility';
  if (!d.start) return 'start';
  if (!d.end) return 'end';
  if (!d.plate) return 'plate';
  return null;
}

const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/**
 * Folds what one message said into the draft. A new start keeps the stay's length (so "actually
 * make it 3pm" moves the whole booking); a duration sets the end from the start.
 *
 *   mergeDetails({ start: '…09:00', end: '…11:00' }, { time: { start: 15:00 } }) → 15:00–17:00, changed ['start', 'end']
 */
export function mergeDetails(
  d: BookingDraft,
  e: Understood['entities'],
): { draft: BookingDraft; changed: Change[] } {
  let next: BookingDraft = { ...d };
  const changed = new Set<Change>();
  if (e.facility && e.facility.id !== d.facilityId) {
    next = { ...next, facilityId: e.facility.id, facilityName: e.facility.name, place: undefined };
    changed.add('facility');
  } else if (e.place && !e.facility) {
    next = { ...next, place: e.place };
  }
  if (e.spaceKind && e.spaceKind !== d.kind) {
    next = { ...next, kind: e.spaceKind };
    changed.add('kind');
  }
  if (e.plate && e.plate !== d.plate) {
    next = { ...next, plate: e.plate };
    changed.add('plate');
  }
  if (e.time?.dateOnly && e.time.start) {
    // "tomorrow" alone is a day to ask the time on, not a midnight arrival; "tomorrow for 3 hours"
    // is that day and a length.
    const { time: _time, ...rest } = e;
    const length = e.time.end ? Math.round((e.time.end.getTime() - e.time.start.getTime()) / 60_000) : 0;
    const merged = mergeDetails(
      { ...next, day: e.time.start.toISOString(), start: undefined, end: undefined },
      { ...rest, ...(!rest.durationMinutes && length > 0 ? { durationMinutes: length } : {}) },
    );
    return { draft: merged.draft, changed: merged.changed };
  }
  const start = e.time?.start?.toISOString();
  const end = e.time?.end?.toISOString();
  if (start && start !== d.start) {
    const keptLength =
      d.start && d.end && !end && !e.durationMinutes
        ? (Date.parse(d.end) - Date.parse(d.start)) / 60_000
        : null;
    next = { ...next, start };
    changed.add('start');
    if (keptLength) {
      next = { ...next, end: plus(start, keptLength) };
      changed.add('end');
    } else if (next.end && Date.parse(next.end) <= Date.parse(start) && !end) {
      next = { ...next, end: undefined };
    }
  }
  if (end && end !== d.end) {
    next = { ...next, end, durationMinutes: undefined };
    changed.add('end');
  }
  if (e.durationMinutes && !end) {
    if (next.start) {
      next = { ...next, end: plus(next.start, e.durationMinutes), durationMinutes: undefined };
      changed.add('end');
    } else {
      next = { ...next, durationMinutes: e.durationMinutes };
    }
  }
  if (next.start && next.durationMinutes && !next.end) {
    next = { ...next, end: plus(next.start, next.durationMinutes), durationMinutes: undefined };
  }
  return { draft: dropUndefined(next), changed: [...changed] };
}

// "9", "9:30", "at 9", "a las 9", "sobre las 10": a clock time alone, answering when
const BARE_CLOCK = /^\s*(?:at |around |about |a las |sobre las |hacia las )?(\d{1,2})(?:[:.h](\d{2}))?\s*$/i;

/** The hour and minute of a bare clock time answering `slot` ("start" or "end"), if the text is one. */
export function bareClock(text: string, slot: string): { hour: number; minute: number } | undefined {
  const m = slot === 'start' || slot === 'end' ? BARE_CLOCK.exec(text) : null;
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2] ?? 0);
  return m && hour <= 24 && minute <= 59 ? { hour, minute } : undefined;
}

/**
 * A bare number answering "When do you arrive?" or "Until when?" is a clock time (the
 * understanding reads "9" alone as nothing: it could be a space's number). Returns it as a time
 * on the draft's day (or today), or undefined when the text is not one.
 *
 *   bareClockTime('9', 'start', { day: '2030-06-04T00:00:00+01:00' }, 'Europe/London', now) // 4 June 09:00
 */
export function bareClockTime(
  text: string,
  slot: string,
  draft: BookingDraft,
  timeZone: string,
  now: Date,
): Understood['entities']['time'] | undefined {
  const clock = bareClock(text, slot);
  if (!clock) return undefined;
  const { hour, minute } = clock;
  const base = draft.start ?? draft.day;
  const day = base
    ? DateTime.fromISO(base, { zone: timeZone })
    : DateTime.fromJSDate(now, { zone: timeZone });
  const at = day
    .startOf('day')
    .set({ hour: daytimeHour(hour % 24), minute })
    .toJSDate();
  return slot === 'start' ? { start: at } : { end: at };
}

const dropUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const NAMES_A_DAY =
  /\b(today|tonight|tomorrow|tmrw|tmr|tomoz|mon(day)?|tues?(day)?|wed(nesday)?|thu(rs)?(day)?|fri(day)?|sat(urday)?|sun(day)?|next|week|hoy|esta noche|ma[nñ]ana|pasado|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|semana)\b|\d{1,2}[/.-]\d{1,2}|\b\d{1,2}(st|nd|rd|th)\b/i;

/**
 * A correction that gives only a clock time ("actually make it 3pm") means that time on the day
 * already chosen, not today: move such times onto the draft's day, in the facility's zone.
 */
export function anchorToDraftDay(
  entities: Understood['entities'],
  text: string,
  draft: BookingDraft,
  timeZone: string,
): Understood['entities'] {
  const base = draft.start ?? draft.day;
  if (!base || !entities.time || entities.time.dateOnly || NAMES_A_DAY.test(text)) return entities;
  const day = DateTime.fromISO(base, { zone: timeZone });
  const bare = !saysHalfOfDay(text);
  // a bare hour is read in the half of the day of the stay being changed, else in parking hours
  const was = draft.start ? DateTime.fromISO(draft.start, { zone: timeZone }).hour : undefined;
  const near = (h: number) =>
    was === undefined
      ? daytimeHour(h)
      : [h % 12, (h % 12) + 12].sort((a, b) => Math.abs(a - was) - Math.abs(b - was))[0]!;
  const onDay = (d: Date | undefined) => {
    if (!d) return undefined;
    const t = DateTime.fromJSDate(d, { zone: timeZone });
    const hour = bare ? near(t.hour) : t.hour;
    return day.set({ hour, minute: t.minute, second: 0, millisecond: 0 }).toJSDate();
  };
  const start = onDay(entities.time.start);
  let end = onDay(entities.time.end);
  if (end && start && end <= start) end = DateTime.fromJSDate(end).plus({ days: 1 }).toJSDate();
  return { ...entities, time: { ...(start ? { start } : {}), ...(end ? { end } : {}) } };
}
