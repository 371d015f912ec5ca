import type { BookingService } from '../booking-service.ts';
import { bookingError, BookingErrorCode, type BookingError } from '../errors.ts';
import type { BookingEvents, EventBus } from '../events.ts';
import type { BookingRepository, Clock, FacilityRepository } from '../ports.ts';
import { err, ok, type Result } from '../result.ts';
import { actorLabel, type Actor, type Booking } from '../types.ts';
import { refundPolicy, type RefundPolicy } from './policy.ts';
import type { PaymentRepository } from './repository.ts';
import {
  GatewayUnavailableError,
  type Payment,
  type PaymentEvent,
  type PaymentEventOutcome,
  type PaymentGateway,
  type PaymentPurpose,
} from './types.ts';

export interface PaymentServiceDeps {
  readonly payments: PaymentRepository;
  readonly bookings: BookingRepository;
  readonly bookingService: BookingService;
  readonly facilities: FacilityRepository;
  /** in order of preference: the next is tried when one is unavailable (timeouts, 5xx) */
  readonly gateways: readonly PaymentGateway[];
  readonly events: EventBus<BookingEvents>;
  readonly clock: Clock;
  /** minutes extra time on a paid booking stays held unpaid */
  readonly holdMinutes: number;
  /** a full refund up to this many hours before the start; none after */
  readonly refundFullHours: number;
  /** where providers send the payer back after paying or abandoning */
  readonly returnUrls: (paymentId: string) => { success: string; cancel: string };
  readonly onError: (error: unknown, context: Record<string, unknown>) => void;
}

/** A checkout to send the driver to. */
export interface Checkout {
  readonly payment: Payment;
  readonly url: string;
}

const SYSTEM: Actor = { kind: 'system' };
const unavailable = () =>
  bookingError(BookingErrorCode.PaymentUnavailable, 'no payment provider could take this payment now');

/**
 * Hold → pay → confirm. A booking is paid by link: `checkout` opens one at the first provider that
 * answers; the provider's webhook (or the embedded test checkout's button) arrives as a
 * `PaymentEvent` and confirms the booking — re-holding its space if the hold lapsed meanwhile, or
 * refunding when the space has gone. Cancellations are refunded by the policy.
 *
 *   const c = await payments.checkout(booking.id, actor); // → c.value.url
 *   await payments.handleEvent(event);                      // from a verified webhook
 */
export class PaymentService {
  constructor(private readonly deps: PaymentServiceDeps) {}

  get providers(): string[] {
    return this.deps.gateways.map((g) => g.provider);
  }

  /** The configured gateway of a provider (for its webhook), if any. */
  gateway(provider: string): PaymentGateway | undefined {
    return this.deps.gateways.find((g) => g.provider === provider);
  }

  /**
   * A checkout for a held booking: the open one if there is one, else a new one. `justHeld` is the
   * booking as the caller's own hold returned it a moment ago: no checkout can exist for it yet, so
   * neither the booking nor an open checkout is read back.
   *
   *   const held = await bookings.hold(req);
   *   if (held.ok) await payments.checkout(held.value.booking.id, actor, { justHeld: held.value.booking });
   */
  async checkout(
    bookingId: string,
    actor: Actor,
    o: { justHeld?: Booking } = {},
  ): Promise<Result<Checkout, BookingError>> {
    const fresh = o.justHeld;
    const now = this.deps.clock.now();
    if (
      fresh?.id === bookingId &&
      fresh.status === 'held' &&
      fresh.holdExpiresAt &&
      fresh.holdExpiresAt > now
    )
      return this.open(fresh, 'booking', fresh.priceMinor, fresh.holdExpiresAt);
    const found = await this.deps.bookingService.get(bookingId, actor);
    if (!found.ok) return found;
    const b = found.value;
    if (b.status !== 'held') {
      return err(
        bookingError(BookingErrorCode.InvalidState, `a ${b.status} booking is not awaiting payment`),
      );
    }
    if (!b.holdExpiresAt || b.holdExpiresAt <= now) {
      return err(bookingError(BookingErrorCode.HoldExpired, 'the hold has lapsed; book again'));
    }
    const open = await this.deps.payments.openCheckout(b.id, b.priceMinor);
    if (open?.checkoutUrl) return ok({ payment: open, url: open.checkoutUrl });
    return this.open(b, 'booking', b.priceMinor, b.holdExpiresAt);
  }

  /**
   * Extends a booking. Paid (confirmed or active): the extra time is held at once and paid by link
   * like a hold — unpaid, it is taken back after the hold time. Held: the open checkout is closed,
   * the next one asks the new price.
   */
  async extend(
    bookingId: string,
    to: Date,
    actor: Actor,
  ): Promise<Result<{ booking: Booking; checkout: Checkout | null }, BookingError>> {
    const before = await this.deps.bookingService.get(bookingId, actor);
    if (!before.ok) return before;
    const r = await this.deps.bookingService.extend(bookingId, to, actor);
    if (!r.ok) return r;
    const booking = r.value;
    if (before.value.status === 'held') {
      await this.closeCheckouts(booking.id);
      return ok({ booking, checkout: null });
    }
    const extra = booking.priceMinor - before.value.priceMinor;
    // nothing more to pay, or no payments wired in at all (paid on arrival)
    if (extra <= 0 || !this.deps.gateways.length) return ok({ booking, checkout: null });
    const payBy = new Date(this.deps.clock.now().getTime() + this.deps.holdMinutes * 60_000);
    const c = await this.open(booking, 'extension', extra, payBy, { from: before.value.to, to: booking.to });
    if (!c.ok) {
      await this.takeBackExtension(booking.id, before.value.to, booking.to, extra, 'payment_unavailable');
      return c;
    }
    return ok({ booking, checkout: c.value });
  }

  private async open(
    b: Booking,
    purpose: PaymentPurpose,
    amountMinor: number,
    payBy: Date,
    extension?: { from: Date; to: Date },
  ): Promise<Result<Checkout, BookingError>> {
    const { payments, gateways, clock } = this.deps;
    const first = gateways[0];
    if (!first) return err(unavailable());
    const payment = await payments.insert({
      bookingId: b.id,
      purpose,
      provider: first.provider,
      amountMinor,
      currency: b.currency,
      expiresAt: payBy,
      extendFrom: extension?.from ?? null,
      extendTo: extension?.to ?? null,
    });
    const facility = await this.deps.facilities.get(b.facilityId);
    const urls = this.deps.returnUrls(payment.id);
    for (const gateway of gateways) {
      try {
        const c = await gateway.createCheckout({
          paymentId: payment.id,
          bookingId: b.id,
          reference: b.reference,
          description: `${purpose === 'extension' ? 'Extra time' : 'Parking'} at ${facility?.name ?? 'the car park'}, space ${b.spaceCode} (${b.reference})`,
          amountMinor,
          currency: b.currency,
          payBy,
          now: clock.now(),
          successUrl: urls.success,
          cancelUrl: urls.cancel,
          idempotencyKey: `checkout:${payment.id}:${gateway.provider}`,
        });
        const attached = await payments.attachCheckout(payment.id, {
          provider: gateway.provider,
          checkoutId: c.checkoutId,
          url: c.url,
        });
        return ok({ payment: attached ?? ((await payments.get(payment.id)) as Payment), url: c.url });
      } catch (e) {
        this.deps.onError(e, { where: 'checkout', provider: gateway.provider, paymentId: payment.id });
        if (!(e instanceof GatewayUnavailableError)) break;
      }
    }
    await payments.markFailed(payment.id);
    return err(unavailable());
  }

  /**
   * Applies a provider's event once: a redelivered event id changes nothing. An event whose
   * handling fails is forgotten again, so the provider's retry is handled.
   */
  async handleEvent(e: PaymentEvent): Promise<PaymentEventOutcome> {
    if (e.kind === 'ignored') return 'ignored';
    if (!(await this.deps.payments.recordEvent(e.provider, e.eventId, e.type))) return 'duplicate';
    try {
      return await this.apply(e);
    } catch (error) {
      await this.deps.payments.forgetEvent(e.provider, e.eventId);
      throw error;
    }
  }

  private async apply(e: Exclude<PaymentEvent, { kind: 'ignored' }>): Promise<PaymentEventOutcome> {
    const { payments } = this.deps;
    const p =
      e.kind === 'refunded'
        ? await payments.byPaymentRef(e.provider, e.paymentRef)
        : await payments.byCheckout(e.provider, e.checkoutId);
    if (!p) return 'unknown_payment';
    switch (e.kind) {
      case 'paid': {
        const paid = await payments.transition(p.id, ['pending', 'expired', 'failed'], 'paid', {
          paymentRef: e.paymentRef,
          receiptUrl: e.receiptUrl ?? null,
          paidAt: this.deps.clock.now(),
        });
        if (paid) await this.settlePaid(paid);
        return 'applied';
      }
      case 'processing':
        await payments.transition(p.id, ['pending'], 'pending', { paymentRef: e.paymentRef });
        return 'applied';
      case 'failed': {
        const failed = await payments.transition(p.id, ['pending'], 'failed');
        if (failed) await this.tell('payment.failed', failed);
        return 'applied';
      }
      case 'expired': {
        const expired = await payments.transition(p.id, ['pending'], 'expired');
        if (expired) await this.afterLapse(expired);
        return 'applied';
      }
      case 'refunded': {
        const updated = await payments.applyRefundedTotal(p.id, e.refundedMinor);
        const more = (updated?.refundedMinor ?? 0) - p.refundedMinor;
        if (updated && more > 0) await this.tellRefund(updated, more, 'refunded at the provider');
        return 'applied';
      }
    }
  }

  /** Money arrived: confirm what it paid for, or give it back when that is no longer possible. */
  private async settlePaid(p: Payment): Promise<void> {
    const b = await this.deps.bookings.get(p.bookingId);
    if (!b) return;
    const outcome =
      p.purpose === 'extension' ? await this.settleExtension(p, b) : await this.confirmPaid(p, b);
    if (typeof outcome === 'string') {
      await this.refundPayment(p, p.amountMinor - p.refundedMinor, outcome, SYSTEM);
      return;
    }
    this.deps.events.emit('payment.paid', { payment: p, booking: outcome });
  }

  private async confirmPaid(p: Payment, b: Booking): Promise<Booking | string> {
    if (b.status === 'confirmed' || b.status === 'active') return b;
    if (b.status !== 'held' && b.status !== 'expired') return 'booking_cancelled';
    const now = this.deps.clock.now();
    const change = {
      now,
      actor: SYSTEM,
      detail: { paymentId: p.id, provider: p.provider, reheld: b.status === 'expired' },
    };
    let confirmed = await this.deps.bookings.confirmPaid(b.id, change);
    if (confirmed === 'conflict') {
      // A lapsed hold nobody has swept yet may stand on the space: sweep and try once more.
      await this.deps.bookingService.expireLapsed(now, b.facilityId);
      confirmed = await this.deps.bookings.confirmPaid(b.id, change);
    }
    if (confirmed === 'conflict') return 'space_taken';
    if (!confirmed) return 'booking_cancelled';
    this.deps.events.emit('booking.confirmed', { booking: confirmed });
    return confirmed;
  }

  private async settleExtension(p: Payment, b: Booking): Promise<Booking | string> {
    if (!p.extendFrom || !p.extendTo) return 'booking_cancelled';
    if (!['confirmed', 'active'].includes(b.status)) return 'booking_cancelled';
    if (b.to.getTime() >= p.extendTo.getTime()) return b;
    // The unpaid extension was taken back meanwhile: extend again if the space is still free.
    const r = await this.deps.bookings.extend(b.id, {
      expectedTo: p.extendFrom,
      to: p.extendTo,
      priceMinor: b.priceMinor + p.amountMinor,
      actor: SYSTEM,
      detail: { paymentId: p.id, reextended: true },
    });
    if (r !== 'extended') return 'space_taken';
    const after = (await this.deps.bookings.get(b.id)) as Booking;
    this.deps.events.emit('booking.extended', { booking: after, previousTo: p.extendFrom });
    return after;
  }

  /** An unpaid checkout lapsed or was abandoned: release what it held. */
  private async afterLapse(p: Payment): Promise<void> {
    const b = await this.deps.bookings.get(p.bookingId);
    if (!b) return;
    if (p.purpose === 'extension' && p.extendFrom && p.extendTo) {
      await this.takeBackExtension(b.id, p.extendFrom, p.extendTo, p.amountMinor, 'unpaid');
    } else if (b.status === 'held') {
      const stillOpen = (await this.deps.payments.forBooking(b.id)).some((x) => x.status === 'pending');
      const released = stillOpen
        ? null
        : await this.deps.bookings.transition(b.id, {
            from: ['held'],
            to: 'expired',
            action: 'expire',
            actor: SYSTEM,
            detail: { reason: 'checkout closed unpaid', paymentId: p.id },
          });
      if (released) this.deps.events.emit('booking.expired', { booking: released });
    }
    await this.tell('payment.expired', p);
  }

  private async takeBackExtension(id: string, from: Date, to: Date, amountMinor: number, reason: string) {
    const b = await this.deps.bookings.get(id);
    if (!b || b.to.getTime() !== to.getTime()) return;
    await this.deps.bookings.extend(id, {
      expectedTo: to,
      to: from,
      priceMinor: Math.max(0, b.priceMinor - amountMinor),
      actor: SYSTEM,
      detail: { takenBack: reason },
    });
  }

  /** Closes the open checkouts of a booking (cancelled, or its price changed). */
  private async closeCheckouts(bookingId: string): Promise<void> {
    for (const p of await this.deps.payments.forBooking(bookingId)) {
      if (p.status !== 'pending') continue;
      const closed = await this.deps.payments.transition(p.id, ['pending'], 'expired');
      if (closed) await this.expireAtProvider(closed);
    }
  }

  private async expireAtProvider(p: Payment): Promise<void> {
    const gateway = this.deps.gateways.find((g) => g.provider === p.provider);
    if (!gateway || !p.providerCheckoutId) return;
    // If this fails the provider's own expiry closes it; a payment arriving later is still handled.
    await gateway
      .expireCheckout(p.providerCheckoutId, `expire:${p.id}`)
      .catch((e: unknown) => this.deps.onError(e, { where: 'expire checkout', paymentId: p.id }));
  }

  /**
   * Periodic work, safe on any number of instances (rows are claimed with SKIP LOCKED): unpaid
   * checkouts whose hold lapsed are expired at the provider; paid, cancelled bookings not yet
   * refunded by the policy are.
   */
  async sweep(): Promise<{ expired: number; settled: number }> {
    const now = this.deps.clock.now();
    const lapsed = await this.deps.payments.claimLapsedCheckouts(now, 100);
    for (const p of lapsed) {
      await this.expireAtProvider(p);
      await this.afterLapse(p);
    }
    const settled = await this.settleCancellations(now);
    return { expired: lapsed.length, settled };
  }

  private async settleCancellations(now: Date, bookingId?: string): Promise<number> {
    const claimed = await this.deps.payments.claimUnsettledCancellations(now, 100, bookingId);
    for (const p of claimed) {
      const b = await this.deps.bookings.get(p.bookingId);
      if (!b) continue;
      const policy = refundPolicy(b, [p], now, this.deps.refundFullHours);
      if (policy.refundMinor > 0) {
        await this.refundPayment(p, policy.refundMinor, 'cancellation_policy', SYSTEM);
      }
    }
    return claimed.length;
  }

  /** What cancelling now would give back, for telling the driver before they confirm. */
  async policyFor(bookingId: string): Promise<RefundPolicy | null> {
    const b = await this.deps.bookings.get(bookingId);
    if (!b) return null;
    const paid = await this.deps.payments.forBooking(bookingId);
    return refundPolicy(b, paid, this.deps.clock.now(), this.deps.refundFullHours);
  }

  /** Cancels a booking and refunds it by the policy; open checkouts are closed. */
  async cancel(
    bookingId: string,
    actor: Actor,
    reason?: string,
  ): Promise<Result<{ booking: Booking; refundedMinor: number }, BookingError>> {
    const before = await this.policyFor(bookingId);
    const r = await this.deps.bookingService.cancel(bookingId, actor, reason);
    if (!r.ok) return r;
    await this.closeCheckouts(bookingId);
    await this.settleCancellations(this.deps.clock.now(), bookingId);
    const after = await this.deps.payments.forBooking(bookingId);
    const refundedMinor = after.reduce((n, p) => n + p.refundedMinor, 0) - (before?.refundedMinor ?? 0);
    return ok({ booking: r.value, refundedMinor: Math.max(0, refundedMinor) });
  }

  /**
   * An agent's or operator's refund, beyond the policy: `amountMinor` (default: all that is left)
   * goes back across the booking's paid payments, newest first.
   */
  async refund(
    bookingId: string,
    request: { amountMinor?: number; reason: string },
    actor: Actor,
  ): Promise<Result<Payment[], BookingError>> {
    const found = await this.deps.bookingService.get(bookingId, actor);
    if (!found.ok) return found;
    const paid = (await this.deps.payments.forBooking(bookingId))
      .filter((p) => p.status === 'paid' || p.status === 'partially_refunded')
      .reverse();
    const left = paid.reduce((n, p) => n + p.amountMinor - reserved(p), 0);
    if (left <= 0)
      return err(bookingError(BookingErrorCode.NotPaid, 'nothing paid on this booking is left to refund'));
    let wanted = request.amountMinor ?? left;
    if (wanted > left) {
      return err(
        bookingError(BookingErrorCode.RefundExceedsPaid, `at most ${left} (minor units) can be refunded`, {
          refundableMinor: left,
        }),
      );
    }
    for (const p of paid) {
      const part = Math.min(wanted, p.amountMinor - reserved(p));
      if (part <= 0) continue;
      const done = await this.refundPayment(p, part, request.reason, actor);
      if (!done) return err(bookingError(BookingErrorCode.RefundFailed, 'the provider refused the refund'));
      wanted -= part;
      if (wanted <= 0) break;
    }
    return ok(await this.deps.payments.forBooking(bookingId));
  }

  private async refundPayment(
    p: Payment,
    amountMinor: number,
    reason: string,
    actor: Actor,
  ): Promise<boolean> {
    const { payments } = this.deps;
    if (amountMinor <= 0) return true;
    const reservedRefund = await payments.reserveRefund(p.id, {
      amountMinor,
      reason,
      actor: actorLabel(actor),
    });
    if (typeof reservedRefund === 'string') return false;
    const gateway = this.deps.gateways.find((g) => g.provider === p.provider);
    try {
      if (!gateway || !p.providerPaymentId)
        throw new Error(`cannot refund a ${p.provider} payment without its reference`);
      const r = await gateway.refund({
        paymentRef: p.providerPaymentId,
        amountMinor,
        currency: p.currency,
        reason,
        idempotencyKey: `refund:${reservedRefund.id}`,
      });
      const after = await payments.completeRefund(reservedRefund.id, {
        status: r.status,
        providerRefundId: r.refundId,
      });
      if (r.status === 'failed' || !after) return false;
      await this.tellRefund(after, amountMinor, reason);
      return true;
    } catch (e) {
      this.deps.onError(e, { where: 'refund', paymentId: p.id });
      await payments.completeRefund(reservedRefund.id, { status: 'failed', providerRefundId: null });
      return false;
    }
  }

  forBooking(bookingId: string): Promise<Payment[]> {
    return this.deps.payments.forBooking(bookingId);
  }

  get(paymentId: string): Promise<Payment | null> {
    return this.deps.payments.get(paymentId);
  }

  byCheckout(provider: string, checkoutId: string): Promise<Payment | null> {
    return this.deps.payments.byCheckout(provider, checkoutId);
  }

  list(filter: Parameters<PaymentRepository['list']>[0]): Promise<Payment[]> {
    return this.deps.payments.list(filter);
  }

  private async tell(event: 'payment.expired' | 'payment.failed', payment: Payment) {
    const booking = await this.deps.bookings.get(payment.bookingId);
    if (booking) this.deps.events.emit(event, { payment, booking });
  }

  private async tellRefund(payment: Payment, amountMinor: number, reason: string) {
    const booking = await this.deps.bookings.get(payment.bookingId);
    if (booking) this.deps.events.emit('payment.refunded', { payment, booking, amountMinor, reason });
  }
}

/** What of a payment is already refunded or on its way back. */
const reserved = (p: Payment) =>
  Math.max(
    p.refundedMinor,
    p.refunds.filter((r) => r.status !== 'failed').reduce((n, r) => n + r.amountMinor, 0),
  );
