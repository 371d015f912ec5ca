import type { Locale } from '../intents.ts';
import type { Entities } from '../types.ts';
import { findBookingReference } from './booking-reference.ts';
import { findDuration } from './duration.ts';
import type { FacilityFinder } from './facility.ts';
import { findPlace } from './place.ts';
import { findPlate } from './plate.ts';
import { findSpaceKind } from './space-kind.ts';
import { findSpaceNumber } from './space-number.ts';
import { findTime } from './time.ts';

export interface EntityContext {
  locale: Locale;
  now: Date;
  timeZone: string;
  facilities: FacilityFinder;
}

/**
 * Everything a booking needs that the message says, whatever its intent: the dialogue also asks
 * short questions whose answers ("3pm", "AB12 CDE", "the EV one") carry no intent at all.
 *
 * @example
 * extractEntities('book riverside tmrw 9-11, reg AB12 CDE', context)
 * // { facility: {…}, time: { start, end, text }, plate: 'AB12CDE' }
 */
export function extractEntities(message: string, context: EntityContext): Entities {
  const entities: Entities = {};
  const spaceNumber = findSpaceNumber(message);
  if (spaceNumber) entities.spaceNumber = spaceNumber;
  // "is 9 taken", "bay 2-016": a space's number is no time, duration or plate.
  const text = spaceNumber ? withoutWord(message, spaceNumber) : message;
  const facility = context.facilities.find(text);
  if (facility) entities.facility = facility;
  const place = findPlace(text);
  if (place) entities.place = place;
  const duration = findDuration(text);
  if (duration) {
    entities.durationMinutes = duration.minutes;
    if (duration.allDay) entities.allDay = true;
  }
  const time = findTime(text, context.locale, context.now, context.timeZone, duration?.minutes);
  if (time) entities.time = time;
  const plate = findPlate(text);
  if (plate) entities.plate = plate;
  const spaceKind = findSpaceKind(text, context.locale);
  if (spaceKind) entities.spaceKind = spaceKind;
  const bookingReference = findBookingReference(text);
  if (bookingReference) entities.bookingReference = bookingReference;
  return entities;
}

export { FacilityFinder } from './facility.ts';

function withoutWord(text: string, word: string): string {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(String.raw`(?<![\p{L}\p{N}])${escaped}(?![\p{L}\p{N}])`, 'iu'), ' ');
}
