import type { SpaceKind } from '../../booking-core/index.ts';
import type { Understood } from '../ports.ts';

/** What the driver has told us so far about the booking they want. JSON-safe (kept in bot state). */
export interface BookingDraft {
  readonly facilityId?: string;
  readonly facilityName?: string;
  /** a landmark not yet resolved to a facility */
  readonly place?: string;
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

const dropUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
