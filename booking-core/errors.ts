/** Stable codes for the refusals a caller should expect; they are part of the public API. */
export const BookingErrorCode = {
  FacilityNotFound: 'FACILITY.NOT_FOUND',
  SpaceNotFound: 'SPACE.NOT_FOUND',
  BookingNotFound: 'BOOKING.NOT_FOUND',
  InvalidWindow: 'BOOKING.INVALID_WINDOW',
  InPast: 'BOOKING.IN_PAST',
  OutsideOpeningHours: 'BOOKING.OUTSIDE_OPENING_HOURS',
  TooLong: 'BOOKING.TOO_LONG',
  NoSpaceAvailable: 'BOOKING.NO_SPACE_AVAILABLE',
  SpaceTaken: 'BOOKING.SPACE_TAKEN',
  HoldExpired: 'BOOKING.HOLD_EXPIRED',
  NotYours: 'BOOKING.NOT_YOURS',
  InvalidState: 'BOOKING.INVALID_STATE',
  IdempotencyKeyReused: 'BOOKING.IDEMPOTENCY_KEY_REUSED',
  // payments
  PaymentUnavailable: 'PAYMENT.UNAVAILABLE',
  NotPaid: 'PAYMENT.NOT_PAID',
  RefundExceedsPaid: 'PAYMENT.REFUND_EXCEEDS_PAID',
  RefundFailed: 'PAYMENT.REFUND_FAILED',
} as const;

export type BookingErrorCode = (typeof BookingErrorCode)[keyof typeof BookingErrorCode];

export interface BookingError {
  readonly code: BookingErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const bookingError = (
  code: BookingErrorCode,
  message: string,
  details?: Record<string, unknown>,
): BookingError => (details ? { code, message, details } : { code, message });

/** Infrastructure failure in booking-core's storage, with the original error as `cause`. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    message: string,
    readonly context: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
