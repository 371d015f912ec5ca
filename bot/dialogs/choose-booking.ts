import type { Booking, BookingStatus } from '../../booking-core/index.ts';
import type { DialogDeps } from '../deps.ts';
import { formatWindow } from '../format.ts';
import { button, parseValue, reply, say, turnInfo } from '../turn.ts';
import type { TurnContext } from 'botbuilder';

/** The driver's bookings that can still be changed, soonest first. */
export async function upcomingBookings(
  deps: DialogDeps,
  ctx: TurnContext,
  statuses: readonly BookingStatus[] = ['held', 'confirmed', 'active'],
): Promise<Booking[]> {
  const { driver, now } = turnInfo(ctx);
  const all = await deps.core.bookings.list({ driverId: driver.id, limit: 50 });
  return all
    .filter((b) => statuses.includes(b.status) && b.to > now)
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * Picks the booking the driver means: the one a button or reference names, the only one there
 * is, or null with a question (buttons) to ask when there are several.
 */
export async function pickBooking(
  deps: DialogDeps,
  ctx: TurnContext,
  candidates: readonly Booking[],
  hint: { bookingId?: string; reference?: string },
): Promise<{ booking: Booking | null; question?: ReturnType<typeof reply> }> {
  const pressed = parseValue(turnInfo(ctx).value);
  const id = hint.bookingId ?? (pressed?.kind === 'booking' ? pressed.payload : undefined);
  const ref = hint.reference?.toUpperCase();
  const chosen = candidates.find((b) => b.id === id || (ref !== undefined && b.reference === ref));
  if (chosen) return { booking: chosen };
  if (candidates.length === 1 && !ref) return { booking: candidates[0] ?? null };
  const m = say(ctx);
  const { locale, now } = turnInfo(ctx);
  const buttons = await Promise.all(
    candidates.slice(0, 6).map(async (b) => {
      const f = await deps.directory.get(b.facilityId);
      return button(
        `${b.reference} · ${formatWindow(b.from, b.to, f?.timeZone ?? 'UTC', locale, now)}`,
        `booking:${b.id}`,
      );
    }),
  );
  return { booking: null, question: reply(m.whichBooking, buttons) };
}
