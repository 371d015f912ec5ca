import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Actor, Booking, BookingCore } from '../../booking-core/index.ts';
import { paymentOut, toPaymentOut } from './payments.routes.ts';
import { refusal } from './refusals.ts';
import { defineRoute, errorBody, type RouteReply } from './route.ts';
import {
  bookingBody,
  bookingOut,
  bookingsQuery,
  cancelBody,
  emptyBody,
  extendBody,
  idParams,
  idempotencyHeaders,
  quoteOut,
  toBookingOut,
  toQuoteOut,
} from './schemas.ts';

const invalid = { description: 'Invalid request (field-level errors)', schema: errorBody };
const notFound = { description: 'No such booking', schema: errorBody };
const refused = { description: 'Refused, with a stable code', schema: errorBody };

/** The operator behind the request (set by the auth middleware). */
const operator = (req: { res?: { locals: Record<string, unknown> } }): Actor => ({
  kind: 'operator',
  id: String(req.res?.locals['apiKeyId'] ?? 'unknown'),
});

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Date)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/** Bookings: hold (idempotent), list, read, confirm, cancel, extend. */
export function bookingRoutes(core: BookingCore) {
  const zones = async (bookings: Booking[]) => {
    const ids = [...new Set(bookings.map((b) => b.facilityId))];
    const facilities = await Promise.all(ids.map((id) => core.facilities.get(id)));
    return new Map(facilities.filter((f) => f !== null).map((f) => [f.id, f.timeZone]));
  };
  const one = async (b: Booking, status = 200): Promise<RouteReply> => {
    const tz = (await zones([b])).get(b.facilityId) ?? 'UTC';
    return { status, body: toBookingOut(b, tz) };
  };
  const change = (
    path: string,
    summary: string,
    body: z.ZodType,
    act: (id: string, body: never, actor: Actor) => ReturnType<BookingCore['bookings']['confirm']>,
  ) =>
    defineRoute({
      method: 'post',
      path,
      summary,
      params: idParams,
      body,
      responses: {
        200: { description: 'The booking', schema: bookingOut },
        404: notFound,
        409: refused,
        400: invalid,
      },
      handler: async ({ params, body: input, req }) => {
        const r = await act(params.id, input as never, operator(req));
        return r.ok ? one(r.value) : refusal(r.error);
      },
    });

  return [
    defineRoute({
      method: 'post',
      path: '/bookings',
      summary: 'Hold a space (a given one, or any of a kind) for a window; honours Idempotency-Key',
      body: bookingBody,
      headers: idempotencyHeaders,
      responses: {
        201: { description: 'Held', schema: bookingOut.extend({ quote: quoteOut }) },
        200: { description: 'A retry with the same Idempotency-Key: the first booking', schema: bookingOut },
        404: { description: 'No such facility or space', schema: errorBody },
        409: refused,
        422: { description: 'Idempotency-Key reused for a different request', schema: errorBody },
        400: invalid,
      },
      handler: async ({ body, req }) => {
        const key = req.get('idempotency-key');
        const keyScope = String(req.res?.locals['apiKeyId'] ?? '');
        const driver = await core.drivers.upsertByContact(body.driver);
        const r = await core.bookings.hold({
          facilityId: body.facilityId,
          window: { from: body.from, to: body.to },
          kind: body.kind ?? null,
          spaceId: body.spaceId ?? null,
          plate: body.plate,
          driverId: driver.id,
          idempotencyKey: key ? `${keyScope}:${key}` : null,
          requestHash: key ? createHash('sha256').update(canonical(body)).digest('hex') : null,
        });
        if (!r.ok) return refusal(r.error);
        await core.drivers.addPlate(driver.id, r.value.booking.plate);
        const reply = await one(r.value.booking, r.value.replayed ? 200 : 201);
        return {
          ...reply,
          body: { ...(reply.body as object), quote: toQuoteOut(r.value.quote) },
          headers: {
            Location: `/api/v1/bookings/${r.value.booking.id}`,
            ...(r.value.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bookings',
      summary: 'Find bookings by plate, driver, facility or status (newest start first)',
      query: bookingsQuery,
      responses: {
        200: { description: 'Bookings', schema: z.object({ bookings: z.array(bookingOut) }) },
        400: invalid,
      },
      handler: async ({ query }) => {
        const list = await core.bookings.list(query);
        const tz = await zones(list);
        return {
          status: 200,
          body: { bookings: list.map((b) => toBookingOut(b, tz.get(b.facilityId) ?? 'UTC')) },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bookings/:id',
      summary: 'One booking, with its audit trail and its payments (with the providers’ ids)',
      params: idParams,
      responses: {
        200: { description: 'The booking', schema: bookingOut.extend({ payments: z.array(paymentOut) }) },
        404: notFound,
        400: invalid,
      },
      handler: async ({ params, req }) => {
        const r = await core.bookings.get(params.id, operator(req));
        if (!r.ok) return refusal(r.error);
        const reply = await one(r.value);
        const history = (await core.bookings.history(params.id)).map((e) => ({
          ...e,
          at: e.at.toISOString(),
        }));
        const payments = (await core.payments.forBooking(params.id)).map(toPaymentOut);
        return { ...reply, body: { ...(reply.body as object), history, payments } };
      },
    }),
    change('/bookings/:id/confirm', 'Confirm a hold before it lapses', emptyBody, (id, _b, actor) =>
      core.bookings.confirm(id, actor),
    ),
    change(
      '/bookings/:id/cancel',
      'Cancel a hold or confirmed booking; a paid one is refunded by the cancellation policy',
      cancelBody,
      async (id, b: { reason?: string }, actor) => {
        const r = await core.payments.cancel(id, actor, b.reason);
        return r.ok ? { ok: true, value: r.value.booking } : r;
      },
    ),
    change(
      '/bookings/:id/extend',
      'Move the end later, if the space is free and within the maximum stay',
      extendBody,
      (id, b: { to: Date }, actor) => core.bookings.extend(id, b.to, actor),
    ),
  ];
}
