import { BookingErrorCode, type BookingError } from '../../booking-core/index.ts';
import type { RouteReply } from './route.ts';

const STATUS: Partial<Record<BookingErrorCode, number>> = {
  [BookingErrorCode.FacilityNotFound]: 404,
  [BookingErrorCode.SpaceNotFound]: 404,
  [BookingErrorCode.BookingNotFound]: 404,
  [BookingErrorCode.NotYours]: 403,
  [BookingErrorCode.IdempotencyKeyReused]: 422,
  [BookingErrorCode.PaymentUnavailable]: 503,
  [BookingErrorCode.RefundFailed]: 502,
};

/** A business refusal at the HTTP edge: 404 for what does not exist, 409 for what cannot be done. */
export const refusal = (e: BookingError): RouteReply => ({
  status: STATUS[e.code] ?? 409,
  body: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
});
