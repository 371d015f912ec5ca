import type { Booking } from '../types.ts';

/** What a driver is told about a booking, and when. */
export const NOTIFICATION_KINDS = [
  'confirmed',
  'starts_soon',
  'ends_soon',
  'hold_lapsed',
  'refunded',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Reminders a driver can turn off ("stop reminders"); the others are about their money and space. */
export const REMINDER_KINDS: readonly NotificationKind[] = ['starts_soon', 'ends_soon'];

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'undeliverable' | 'cancelled';

export interface Notification {
  readonly id: string;
  readonly bookingId: string;
  readonly kind: NotificationKind;
  readonly dueAt: Date;
  readonly status: NotificationStatus;
  readonly attempts: number;
  readonly sentAt: Date | null;
  readonly lastError: string | null;
  readonly detail: Readonly<Record<string, unknown>> | null;
}

/**
 * Sends one notification on the driver's own channel. `address` is what the channel side stored
 * for the booking (null: nobody to tell). 'retry' when the channel failed for now.
 */
export interface NotificationSender {
  send(
    n: Notification,
    booking: Booking,
    address: string | null,
  ): Promise<'sent' | 'undeliverable' | 'retry'>;
}

export interface NotificationInsert {
  readonly bookingId: string;
  readonly kind: NotificationKind;
  readonly dedupeKey: string;
  readonly dueAt: Date;
  readonly detail?: Record<string, unknown> | null;
}

/** Notifications, booking contacts and opt-outs in PostgreSQL. */
export interface NotificationRepository {
  /** Adds what is not there yet (by dedupe key). */
  schedule(rows: readonly NotificationInsert[]): Promise<void>;
  /** Pending notifications of a booking (of some kinds) will not be sent. */
  cancelPending(bookingId: string, kinds: readonly NotificationKind[], exceptDueAt?: Date): Promise<void>;
  /**
   * Claims due notifications (and ones whose sender died mid-send) for `leaseMs`, counting the
   * attempt; FOR UPDATE SKIP LOCKED, so concurrent dispatchers never claim the same row.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<Notification[]>;
  /** Records the outcome of a claimed notification; `retryAt` puts it back as pending. */
  finish(
    id: string,
    outcome: { status: NotificationStatus; error?: string | null; retryAt?: Date; sentAt?: Date },
  ): Promise<void>;
  forBooking(bookingId: string): Promise<Notification[]>;
  setContact(bookingId: string, address: string): Promise<void>;
  contact(bookingId: string): Promise<string | null>;
  setOptOut(driverId: string, off: boolean): Promise<void>;
  isOptedOut(driverId: string): Promise<boolean>;
}
