import { EventEmitter } from 'node:events';
import type { Payment } from './payments/types.ts';
import type { Booking } from './types.ts';

/** Domain events booking-core publishes, named `resource.verb`. */
export interface BookingEvents {
  'booking.held': { booking: Booking };
  'booking.confirmed': { booking: Booking };
  'booking.cancelled': { booking: Booking };
  'booking.extended': { booking: Booking; previousTo: Date };
  'booking.expired': { booking: Booking };
  'booking.activated': { booking: Booking };
  'booking.completed': { booking: Booking };
  /** money arrived and the booking (or its extra time) is confirmed */
  'payment.paid': { payment: Payment; booking: Booking };
  /** an unpaid checkout lapsed (or the payer abandoned it); an extension was taken back */
  'payment.expired': { payment: Payment; booking: Booking };
  'payment.failed': { payment: Payment; booking: Booking };
  /** money went back: `reason` is 'space_taken', 'booking_cancelled', 'cancellation_policy' or an operator's words */
  'payment.refunded': { payment: Payment; booking: Booking; amountMinor: number; reason: string };
}

export type BookingEventName = keyof BookingEvents;

/**
 * A typed in-process event bus. Listeners run after the change is committed; a listener that
 * throws is reported through `onListenerError` and never undoes or blocks the change.
 *
 *   bus.on('booking.confirmed', ({ booking }) => notify(booking));
 */
export class EventBus<Events extends { [K in keyof Events]: object }> {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor(private readonly onListenerError: (event: string, error: unknown) => void = () => {}) {
    this.emitter.setMaxListeners(100);
  }

  on<K extends keyof Events & string>(
    event: K,
    listener: (payload: Events[K]) => void | Promise<void>,
  ): () => void {
    const wrapped = (payload: Events[K]) => {
      try {
        const r = listener(payload);
        if (r instanceof Promise) r.catch((e: unknown) => this.onListenerError(event, e));
      } catch (e) {
        this.onListenerError(event, e);
      }
    };
    this.emitter.on(event, wrapped);
    return () => this.emitter.off(event, wrapped);
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.emitter.emit(event, payload);
  }
}
