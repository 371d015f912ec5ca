import type { BookingEvents, EventBus } from '../events.ts';
import type { BookingRepository, Clock } from '../ports.ts';
import type { Booking } from '../types.ts';
import {
  REMINDER_KINDS,
  type Notification,
  type NotificationInsert,
  type NotificationRepository,
  type NotificationSender,
} from './types.ts';

export interface NotificationServiceDeps {
  readonly repo: NotificationRepository;
  readonly bookings: BookingRepository;
  readonly clock: Clock;
  readonly onError: (error: unknown, context: Record<string, unknown>) => void;
  /** the reminder before the start (default 60 minutes) */
  readonly startsSoonMinutes?: number;
  /** the reminder before the end, with "Extend 1 hour" (default 15 minutes) */
  readonly endsSoonMinutes?: number;
  /** attempts on a failing channel before it is recorded as failed (default 5) */
  readonly maxAttempts?: number;
}

const MINUTE = 60_000;
const LEASE_MS = 2 * MINUTE;
const LIVE = ['held', 'confirmed', 'active'];

/**
 * Tells drivers about their bookings on their own channel: confirmed (with the receipt), starts
 * soon, ends soon, hold lapsed, refund issued. Booking events schedule rows; periodic work on any
 * number of instances claims due rows with SKIP LOCKED and sends each once through the
 * `NotificationSender` the channels plug in, retrying a failing channel and recording the outcome.
 *
 *   notifications.attach(core.events); notifications.useSender(sender); notifications.start(5_000);
 */
export class NotificationService {
  private sender: NotificationSender | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private again = false;
  private readonly startsSoon: number;
  private readonly endsSoon: number;
  private readonly maxAttempts: number;

  constructor(private readonly deps: NotificationServiceDeps) {
    this.startsSoon = (deps.startsSoonMinutes ?? 60) * MINUTE;
    this.endsSoon = (deps.endsSoonMinutes ?? 15) * MINUTE;
    this.maxAttempts = deps.maxAttempts ?? 5;
  }

  /** Plugs in the channels' way out; until then nothing is sent (rows wait). */
  useSender(sender: NotificationSender): void {
    this.sender = sender;
  }

  /** Schedules notifications from booking-core's events. */
  attach(events: EventBus<BookingEvents>): void {
    const guard =
      <T>(fn: (e: T) => Promise<void>) =>
      (e: T) =>
        fn(e).catch((error: unknown) => this.deps.onError(error, { where: 'schedule notification' }));
    events.on(
      'booking.confirmed',
      guard(async ({ booking }) => this.scheduleReminders(booking)),
    );
    events.on(
      'booking.extended',
      guard(async ({ booking }) => {
        if (booking.status === 'held') return;
        await this.deps.repo.cancelPending(booking.id, ['ends_soon'], this.endsSoonAt(booking));
        await this.scheduleReminders(booking);
      }),
    );
    for (const ended of ['booking.cancelled', 'booking.completed'] as const) {
      events.on(
        ended,
        guard(async ({ booking }) => this.deps.repo.cancelPending(booking.id, REMINDER_KINDS)),
      );
    }
    events.on(
      'booking.expired',
      guard(async ({ booking }) => this.now(booking, 'hold_lapsed', `hold_lapsed:${booking.id}`)),
    );
    events.on(
      'payment.paid',
      guard(async ({ payment, booking }) =>
        this.now(booking, 'confirmed', `confirmed:${payment.id}`, {
          paymentId: payment.id,
          purpose: payment.purpose,
          amountMinor: payment.amountMinor,
          currency: payment.currency,
          provider: payment.provider,
          receiptUrl: payment.receiptUrl,
        }),
      ),
    );
    events.on(
      'payment.refunded',
      guard(async ({ payment, booking, amountMinor, reason }) =>
        this.now(booking, 'refunded', `refunded:${payment.id}:${payment.refundedMinor}`, {
          paymentId: payment.id,
          amountMinor,
          currency: payment.currency,
          reason,
        }),
      ),
    );
  }

  private endsSoonAt(b: Booking) {
    return new Date(b.to.getTime() - this.endsSoon);
  }

  private async scheduleReminders(b: Booking): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const rows: NotificationInsert[] = [];
    const startsAt = new Date(b.from.getTime() - this.startsSoon);
    if (startsAt.getTime() > now) {
      rows.push({
        bookingId: b.id,
        kind: 'starts_soon',
        dedupeKey: `starts_soon:${b.id}:${b.from.toISOString()}`,
        dueAt: startsAt,
      });
    }
    const endsAt = this.endsSoonAt(b);
    if (b.to.getTime() > now) {
      rows.push({
        bookingId: b.id,
        kind: 'ends_soon',
        dedupeKey: `ends_soon:${b.id}:${b.to.toISOString()}`,
        dueAt: new Date(Math.max(endsAt.getTime(), now)),
      });
    }
    await this.deps.repo.schedule(rows);
  }

  private async now(
    b: Booking,
    kind: Notification['kind'],
    dedupeKey: string,
    detail?: Record<string, unknown>,
  ) {
    await this.deps.repo.schedule([
      { bookingId: b.id, kind, dedupeKey, dueAt: this.deps.clock.now(), detail: detail ?? null },
    ]);
    this.nudge();
  }

  /** Where to tell the driver about this booking (the channels' own address, e.g. a conversation id). */
  setContact(bookingId: string, address: string): Promise<void> {
    return this.deps.repo.setContact(bookingId, address);
  }

  /** "stop reminders" (true) / "start reminders" (false): reminders only; money and holds are still told. */
  setRemindersOff(driverId: string, off: boolean): Promise<void> {
    return this.deps.repo.setOptOut(driverId, off);
  }

  remindersOff(driverId: string): Promise<boolean> {
    return this.deps.repo.isOptedOut(driverId);
  }

  forBooking(bookingId: string): Promise<Notification[]> {
    return this.deps.repo.forBooking(bookingId);
  }

  /** Sends what is due. Safe on any number of instances: each row is claimed by one. */
  async dispatchDue(
    limit = 50,
  ): Promise<{ sent: number; failed: number; undeliverable: number; cancelled: number }> {
    const tally = { sent: 0, failed: 0, undeliverable: 0, cancelled: 0 };
    if (!this.sender) return tally;
    const now = this.deps.clock.now();
    const due = await this.deps.repo.claimDue(now, limit, LEASE_MS);
    for (const n of due) tally[await this.sendOne(n, now)]++;
    return tally;
  }

  private async sendOne(
    n: Notification,
    now: Date,
  ): Promise<'sent' | 'failed' | 'undeliverable' | 'cancelled'> {
    const { repo, bookings } = this.deps;
    const b = await bookings.get(n.bookingId);
    const reminder = REMINDER_KINDS.includes(n.kind);
    if (
      !b ||
      (reminder && !LIVE.includes(b.status)) ||
      (reminder && b.driverId && (await repo.isOptedOut(b.driverId)))
    ) {
      await repo.finish(n.id, { status: 'cancelled' });
      return 'cancelled';
    }
    let outcome: 'sent' | 'undeliverable' | 'retry';
    let error: string | null = null;
    try {
      outcome = await this.sender!.send(n, b, await repo.contact(b.id));
    } catch (e) {
      outcome = 'retry';
      error = e instanceof Error ? e.message : String(e);
      this.deps.onError(e, { where: 'send notification', notificationId: n.id });
    }
    if (outcome === 'retry' && n.attempts < this.maxAttempts) {
      // back off: 30 s, 1 min, 2 min, 4 min…
      const retryAt = new Date(now.getTime() + 30_000 * 2 ** (n.attempts - 1));
      await repo.finish(n.id, { status: 'pending', retryAt, error: error ?? 'channel failed' });
      return 'failed';
    }
    const status = outcome === 'retry' ? 'failed' : outcome;
    await repo.finish(n.id, {
      status,
      error,
      ...(status === 'sent' ? { sentAt: this.deps.clock.now() } : {}),
    });
    return status;
  }

  /** Sends soon after something due-now was scheduled, instead of waiting for the next tick. */
  private nudge(): void {
    if (!this.timer) return;
    if (this.running) {
      this.again = true; // run once more when the current run ends
      return;
    }
    this.running = this.dispatchDue()
      .catch((e: unknown) => this.deps.onError(e, { where: 'dispatch notifications' }))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.nudge(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
