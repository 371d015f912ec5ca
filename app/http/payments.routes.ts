import { z } from 'zod';
import { PAYMENT_STATUSES, type Actor, type BookingCore, type Payment } from '../../booking-core/index.ts';
import { refusal } from './refusals.ts';
import { defineRoute, errorBody } from './route.ts';
import { idParams, instant, uuid } from './schemas.ts';

const money = { amountMinor: z.number().int(), currency: z.string() };

export const paymentOut = z.object({
  id: uuid,
  bookingId: uuid,
  purpose: z.enum(['booking', 'extension']),
  provider: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  ...money,
  refundedMinor: z.number().int(),
  providerIds: z.object({
    checkoutSession: z.string().nullable(),
    paymentIntent: z.string().nullable(),
    refunds: z.array(z.string()),
  }),
  checkoutUrl: z.string().nullable(),
  receiptUrl: z.string().nullable(),
  expiresAt: z.string(),
  paidAt: z.string().nullable(),
  createdAt: z.string(),
  refunds: z.array(
    z.object({
      id: uuid,
      amountMinor: z.number().int(),
      reason: z.string(),
      actor: z.string(),
      status: z.string(),
      providerRefundId: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

/** A payment as the API shows it: the provider's own ids up front. */
export const toPaymentOut = (p: Payment): z.infer<typeof paymentOut> => ({
  id: p.id,
  bookingId: p.bookingId,
  purpose: p.purpose,
  provider: p.provider,
  status: p.status,
  amountMinor: p.amountMinor,
  currency: p.currency,
  refundedMinor: p.refundedMinor,
  providerIds: {
    checkoutSession: p.providerCheckoutId,
    paymentIntent: p.providerPaymentId,
    refunds: p.refunds.flatMap((r) => (r.providerRefundId ? [r.providerRefundId] : [])),
  },
  checkoutUrl: p.status === 'pending' ? p.checkoutUrl : null,
  receiptUrl: p.receiptUrl,
  expiresAt: p.expiresAt.toISOString(),
  paidAt: p.paidAt?.toISOString() ?? null,
  createdAt: p.createdAt.toISOString(),
  refunds: p.refunds.map((r) => ({
    id: r.id,
    amountMinor: r.amountMinor,
    reason: r.reason,
    actor: r.actor,
    status: r.status,
    providerRefundId: r.providerRefundId,
    createdAt: r.createdAt.toISOString(),
  })),
});

const paymentsQuery = z
  .object({ status: z.enum(PAYMENT_STATUSES).optional(), from: instant.optional(), to: instant.optional() })
  .refine((q) => !q.from || !q.to || q.to > q.from, { path: ['to'], message: 'must be after from' });

const refundBody = z
  .object({
    amountMinor: z.number().int().positive().optional(),
    reason: z.string().trim().min(1, 'say why').max(500),
  })
  .strict();

const operator = (req: { res?: { locals: Record<string, unknown> } }): Actor => ({
  kind: 'operator',
  id: String(req.res?.locals['apiKeyId'] ?? 'unknown'),
});

const invalid = { description: 'Invalid request (field-level errors)', schema: errorBody };

/** Payments for operators: list, pay-by-link for a hold, refunds beyond the policy. */
export function paymentRoutes(core: BookingCore) {
  return [
    defineRoute({
      method: 'get',
      path: '/payments',
      summary: 'Payments by status, created in [from, to) (newest first)',
      query: paymentsQuery,
      responses: {
        200: { description: 'Payments', schema: z.object({ payments: z.array(paymentOut) }) },
        400: invalid,
      },
      handler: async ({ query }) => ({
        status: 200,
        body: { payments: (await core.payments.list({ ...query, limit: 500 })).map(toPaymentOut) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/bookings/:id/checkout',
      summary: 'A payment link for a held booking (the open one, or a new one)',
      params: idParams,
      responses: {
        200: { description: 'The checkout', schema: z.object({ url: z.string(), payment: paymentOut }) },
        404: { description: 'No such booking', schema: errorBody },
        409: { description: 'Not awaiting payment, or no provider answered', schema: errorBody },
        400: invalid,
      },
      handler: async ({ params, req }) => {
        const r = await core.payments.checkout(params.id, operator(req));
        if (!r.ok) return refusal(r.error);
        return { status: 200, body: { url: r.value.url, payment: toPaymentOut(r.value.payment) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/bookings/:id/refund',
      summary: 'Refund a paid booking (default: all that is left), beyond the cancellation policy',
      params: idParams,
      body: refundBody,
      responses: {
        200: { description: 'The booking’s payments', schema: z.object({ payments: z.array(paymentOut) }) },
        404: { description: 'No such booking', schema: errorBody },
        409: {
          description: 'Nothing to refund, more than was paid, or the provider refused',
          schema: errorBody,
        },
        400: invalid,
      },
      handler: async ({ params, body, req }) => {
        const r = await core.payments.refund(params.id, body, operator(req));
        if (!r.ok) return refusal(r.error);
        return { status: 200, body: { payments: r.value.map(toPaymentOut) } };
      },
    }),
  ];
}
