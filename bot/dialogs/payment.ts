import type { TurnContext } from 'botbuilder';
import {
  ok,
  type Actor,
  type Booking,
  type BookingError,
  type Facility,
  type Result,
} from '../../booking-core/index.ts';
import type { DialogDeps } from '../deps.ts';
import { formatMoney, formatWhen } from '../format.ts';
import { paymentTexts } from '../payment-texts.ts';
import { bookingCard } from '../replies.ts';
import { isPaymentDispute } from '../patterns/index.ts';
import { upcomingBookings } from './choose-booking.ts';
import { openUrl, reply, say, turnInfo } from '../turn.ts';

/**
 * "Book it" on a held space: the price, how long it is held, a Pay button to a checkout for
 * exactly this booking, and the booking card. The booking stays held until the payment arrives;
 * the driver is told on this conversation when it does (or when the hold lapses).
 */
export async function offerPayment(
  ctx: TurnContext,
  deps: DialogDeps,
  held: Booking,
  facility: Pick<Facility, 'name' | 'timeZone'>,
  /** this turn held it (there is no checkout yet) */
  justHeld = false,
): Promise<void> {
  const { driver, conversationId, locale, now } = turnInfo(ctx);
  const t = paymentTexts(locale);
  if (!deps.core.payments.providers.length) {
    // No payments wired in at all (a bare booking-core): confirmed at once, paid on arrival.
    const confirmed = await deps.core.bookings.confirm(held.id, { kind: 'driver', driverId: driver.id });
    const b = confirmed.ok ? confirmed.value : held;
    await ctx.sendActivity(reply(say(ctx).booked(b.reference), [], [bookingCard(ctx, b, facility)]));
    return;
  }
  if (conversationId) await deps.core.notifications.setContact(held.id, conversationId);
  const minutes = Math.max(1, Math.round(((held.holdExpiresAt ?? now).getTime() - now.getTime()) / 60_000));
  const card = bookingCard(ctx, held, facility);
  const c = await deps.core.payments.checkout(
    held.id,
    { kind: 'driver', driverId: driver.id },
    justHeld ? { justHeld: held } : {},
  );
  if (!c.ok) {
    await ctx.sendActivity(reply(t.payUnavailable(minutes), [], [card]));
    return;
  }
  const price = formatMoney(held.priceMinor, held.currency, locale);
  await ctx.sendActivity(
    reply(t.heldPay(price, minutes, held.reference), [openUrl(t.payButton(price), c.value.url)], [card]),
  );
}

/**
 * "How do I pay?", "send me the pay link", "I was charged twice": a dispute goes to a person (the
 * bot cannot judge one); otherwise each booking still waiting for payment gets a fresh Pay button,
 * or the driver is told how paying works when nothing is waiting.
 */
export async function answerPayment(
  ctx: TurnContext,
  deps: DialogDeps,
  handoff: (reason: string) => Promise<void>,
): Promise<void> {
  const { text, locale } = turnInfo(ctx);
  const t = paymentTexts(locale);
  if (isPaymentDispute(text)) {
    await ctx.sendActivity(t.disputeNeedsPerson);
    await handoff(`payment dispute: ${text.slice(0, 200)}`);
    return;
  }
  if (!deps.core.payments.providers.length) {
    await ctx.sendActivity(say(ctx).pay);
    return;
  }
  const waiting = (await upcomingBookings(deps, ctx, ['held'])).filter((b) => b.priceMinor > 0).slice(0, 3);
  if (!waiting.length) {
    await ctx.sendActivity(t.howToPay);
    return;
  }
  for (const b of waiting) {
    const facility = (await deps.directory.get(b.facilityId)) ?? { name: '', timeZone: 'UTC' };
    await offerPayment(ctx, deps, b, facility);
  }
}

/** The refund policy, said before the driver confirms a cancellation ('' when nothing was paid). */
export async function refundPolicyLine(ctx: TurnContext, deps: DialogDeps, b: Booking): Promise<string> {
  const policy = await deps.core.payments.policyFor(b.id);
  if (!policy || policy.paidMinor - policy.refundedMinor <= 0) return '';
  const t = paymentTexts(turnInfo(ctx).locale);
  if (policy.refundMinor > 0)
    return t.cancelPolicy(formatMoney(policy.refundMinor, policy.currency, turnInfo(ctx).locale));
  const hours = Math.round((b.from.getTime() - policy.fullRefundUntil.getTime()) / 3_600_000);
  return t.cancelNoRefund(hours);
}

/** Cancels, refunding by the policy. */
export async function cancelWithPolicy(
  deps: DialogDeps,
  b: Booking,
  actor: Actor,
): Promise<Result<Booking, BookingError>> {
  const r = await deps.core.payments.cancel(b.id, actor, 'driver, in chat');
  return r.ok ? ok(r.value.booking) : r;
}

/** Extends; a paid booking's extra time is held and asked for by link, like a hold. */
export async function extendAndOfferPayment(
  ctx: TurnContext,
  deps: DialogDeps,
  b: Booking,
  end: Date,
  actor: Actor,
): Promise<Result<Booking, BookingError>> {
  const r = await deps.core.payments.extend(b.id, end, actor);
  if (!r.ok) return r;
  const { checkout, booking } = r.value;
  if (checkout) {
    const { locale, now } = turnInfo(ctx);
    const t = paymentTexts(locale);
    const f = await deps.directory.get(b.facilityId);
    const price = formatMoney(checkout.payment.amountMinor, checkout.payment.currency, locale);
    await ctx.sendActivity(
      reply(t.extendPay(price, formatWhen(booking.to, f?.timeZone ?? 'UTC', locale, now)), [
        openUrl(t.payButton(price), checkout.url),
      ]),
    );
  }
  return ok(booking);
}

const STOP =
  /\b(stop|no more|turn off|disable)\s+(the\s+|my\s+)?reminders?\b|\b(para|desactiva|quita)(r)?\s+(los\s+)?recordatorios\b/i;
const START =
  /\b(start|turn on|enable|resume)\s+(the\s+|my\s+)?reminders?\b|\b(activa|reactiva)(r)?\s+(los\s+)?recordatorios\b/i;

/** "stop reminders" / "start reminders": handled (true) or not about reminders (false). */
export async function reminderWords(ctx: TurnContext, deps: DialogDeps, text: string): Promise<boolean> {
  const off = STOP.test(text) ? true : START.test(text) ? false : null;
  if (off === null) return false;
  const { driver, locale } = turnInfo(ctx);
  await deps.core.notifications.setRemindersOff(driver.id, off);
  const t = paymentTexts(locale);
  await ctx.sendActivity(off ? t.stopReminders : t.startReminders);
  return true;
}

/** Options for the extend dialog from a button's payload: "<id>" or "<id>+<minutes>". */
export function extendOptions(payload: string): { bookingId: string; addMinutes?: number } {
  const [bookingId = '', add] = payload.split('+');
  const minutes = Number(add);
  return Number.isInteger(minutes) && minutes > 0 ? { bookingId, addMinutes: minutes } : { bookingId };
}
