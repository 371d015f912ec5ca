import type { TurnContext } from 'botbuilder';
import type { Booking, BookingError, Facility } from '../booking-core/index.ts';
import { BOOKING_SUMMARY, type BookingCard } from './cards.ts';
import { formatDuration, formatMoney, formatWindow } from './format.ts';
import { say, turnInfo } from './turn.ts';

/** The driver-facing sentence for a booking-core refusal. */
export function refusalText(ctx: TurnContext, error: BookingError): string {
  const m = say(ctx).refusals;
  const text = m[error.code] ?? m['other'];
  if (typeof text === 'function') return text(formatDuration(Number(error.details?.['maxStayMinutes'] ?? 0)));
  return text ?? error.message;
}

/** A booking summary card in the driver's language and the facility's time zone. */
export function bookingCard(
  ctx: TurnContext,
  b: Booking,
  facility: Pick<Facility, 'name' | 'timeZone'>,
  note?: string,
): BookingCard {
  const { locale, now } = turnInfo(ctx);
  const m = say(ctx);
  return {
    contentType: BOOKING_SUMMARY,
    content: {
      title: m.bookingCardTitle,
      reference: b.reference,
      status: b.status,
      statusLabel: m.statuses[b.status] ?? b.status,
      facilityName: facility.name,
      spaceCode: b.spaceCode,
      spaceKind: m.kinds[b.spaceKind] ?? b.spaceKind,
      plate: b.plate,
      when: formatWindow(b.from, b.to, facility.timeZone, locale, now),
      price: formatMoney(b.priceMinor, b.currency, locale),
      ...(note ? { note } : {}),
    },
  };
}
