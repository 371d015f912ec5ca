import type { BookingService } from './booking-service.ts';
import type { BookingEvents, EventBus } from './events.ts';
import type { BookingRepository, Clock } from './ports.ts';
import { Periodic } from './periodic.ts';

export interface LifecycleRun {
  readonly expired: number;
  readonly activated: number;
  readonly completed: number;
  /** unpaid checkouts expired at their provider */
  readonly checkoutsExpired: number;
  /** paid, cancelled bookings refunded (or not) by the policy */
  readonly cancellationsSettled: number;
}

/**
 * Periodic work on bookings: lapsed holds expire, started bookings become active, ended ones
 * complete. Safe with several instances running: each run claims rows with SKIP LOCKED.
 *
 *   const lifecycle = new BookingLifecycle(deps); lifecycle.start(30_000); … await lifecycle.stop();
 */
export class BookingLifecycle {
  private readonly periodic = new Periodic(
    () => this.runOnce(),
    (e) => this.deps.onError(e),
  );

  constructor(
    private readonly deps: {
      readonly service: BookingService;
      readonly bookings: BookingRepository;
      readonly events: EventBus<BookingEvents>;
      readonly clock: Clock;
      readonly onError: (error: unknown) => void;
      readonly payments?: { sweep(): Promise<{ expired: number; settled: number }> };
    },
  ) {}

  async runOnce(): Promise<LifecycleRun> {
    const now = this.deps.clock.now();
    const expired = await this.deps.service.expireLapsed(now);
    const { activated, completed } = await this.deps.bookings.advanceLifecycle(now, 500);
    for (const booking of activated) this.deps.events.emit('booking.activated', { booking });
    for (const booking of completed) this.deps.events.emit('booking.completed', { booking });
    const swept = (await this.deps.payments?.sweep()) ?? { expired: 0, settled: 0 };
    return {
      expired: expired.length,
      activated: activated.length,
      completed: completed.length,
      checkoutsExpired: swept.expired,
      cancellationsSettled: swept.settled,
    };
  }

  start(intervalMs: number): void {
    this.periodic.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}
