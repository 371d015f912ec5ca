import type { BookingDraft } from '../dialogs/booking-draft.ts';
import type { Intent, Understood } from '../ports.ts';
import type { Pattern } from './pattern.ts';

/** A pressed "Talk to a person" or "What can you do?" button in the middle of a flow. */
export function patternOfButton(intent: Intent): Pattern {
  if (intent === 'human_agent') return { kind: 'handoff' };
  if (intent === 'help' || intent === 'my_bookings' || intent === 'pricing')
    return { kind: 'digression', intent };
  if (intent === 'delete_my_data' || intent === 'cancel_booking' || intent === 'extend_booking')
    return { kind: 'switch', intent };
  return { kind: 'fill' };
}

/** A question asked in the middle of a booking is about that booking unless it says otherwise. */
export function aboutDraft(u: Understood, d: BookingDraft | undefined): Understood {
  const e = u.entities;
  if (!d || e.place) return u;
  const sameFacility = !e.facility || e.facility.id === d.facilityId;
  const facility =
    e.facility ?? (d.facilityId ? { id: d.facilityId, name: d.facilityName ?? '' } : undefined);
  const time =
    e.time ??
    (sameFacility && d.start
      ? { start: new Date(d.start), ...(d.end ? { end: new Date(d.end) } : {}) }
      : sameFacility && d.day
        ? { start: new Date(d.day), dateOnly: true }
        : undefined);
  const durationMinutes = e.durationMinutes ?? (sameFacility && !d.end ? d.durationMinutes : undefined);
  const spaceKind =
    e.spaceKind ??
    (d.kind && d.kind !== 'standard' && d.kind !== 'family' && d.kind !== 'oversize' ? d.kind : undefined);
  return {
    ...u,
    entities: clean({ ...e, facility, time, durationMinutes, spaceKind }),
  };
}

const clean = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
