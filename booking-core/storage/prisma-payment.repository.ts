import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import type { PaymentFilter, PaymentInsert, PaymentRepository } from '../payments/repository.ts';
import type { Payment, PaymentPurpose, PaymentStatus, Refund } from '../payments/types.ts';

const PAYMENT_SELECT = {
  id: true,
  bookingId: true,
  purpose: true,
  provider: true,
  status: true,
  amountMinor: true,
  currency: true,
  refundedMinor: true,
  providerCheckoutId: true,
  providerPaymentId: true,
  checkoutUrl: true,
  receiptUrl: true,
  expiresAt: true,
  extendFrom: true,
  extendTo: true,
  paidAt: true,
  createdAt: true,
  refunds: {
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      paymentId: true,
      amountMinor: true,
      reason: true,
      actor: true,
      status: true,
      providerRefundId: true,
      createdAt: true,
    },
  },
} satisfies Prisma.PaymentSelect;

type PaymentRecord = Prisma.PaymentGetPayload<{ select: typeof PAYMENT_SELECT }>;

const toPayment = (r: PaymentRecord): Payment => ({
  ...r,
  purpose: r.purpose as PaymentPurpose,
  status: r.status as PaymentStatus,
  refunds: r.refunds.map((x) => ({ ...x, status: x.status as Refund['status'] })),
});

/** Payments, refunds and handled webhook events in PostgreSQL. */
export class PrismaPaymentRepository implements PaymentRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(p: PaymentInsert): Promise<Payment> {
    // A new payment has no refunds: selecting them would make Prisma wrap the INSERT and two
    // SELECTs in a transaction (five statements for one row, in every booking's chat turn).
    const { refunds: _none, ...scalars } = PAYMENT_SELECT;
    const row = await this.prisma.payment.create({
      data: {
        bookingId: p.bookingId,
        purpose: p.purpose,
        provider: p.provider,
        amountMinor: p.amountMinor,
        currency: p.currency,
        expiresAt: p.expiresAt,
        extendFrom: p.extendFrom ?? null,
        extendTo: p.extendTo ?? null,
      },
      select: scalars,
    });
    return toPayment({ ...row, refunds: [] });
  }

  private async one(where: Prisma.PaymentWhereInput): Promise<Payment | null> {
    const row = await this.prisma.payment.findFirst({ where, select: PAYMENT_SELECT });
    return row ? toPayment(row) : null;
  }

  get(id: string) {
    return this.one({ id });
  }

  byCheckout(provider: string, checkoutId: string) {
    return this.one({ provider, providerCheckoutId: checkoutId });
  }

  byPaymentRef(provider: string, paymentRef: string) {
    return this.one({ provider, providerPaymentId: paymentRef });
  }

  async forBooking(bookingId: string): Promise<Payment[]> {
    const rows = await this.prisma.payment.findMany({
      where: { bookingId },
      orderBy: { createdAt: 'asc' },
      select: PAYMENT_SELECT,
    });
    return rows.map(toPayment);
  }

  async list(f: PaymentFilter): Promise<Payment[]> {
    const rows = await this.prisma.payment.findMany({
      where: {
        ...(f.status ? { status: f.status } : {}),
        ...(f.from || f.to
          ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: f.limit ?? 100,
      select: PAYMENT_SELECT,
    });
    return rows.map(toPayment);
  }

  async attachCheckout(id: string, c: { provider: string; checkoutId: string; url: string }) {
    await this.prisma.payment.update({
      where: { id },
      data: { provider: c.provider, providerCheckoutId: c.checkoutId, checkoutUrl: c.url },
    });
  }

  markFailed(id: string) {
    return this.transition(id, ['pending'], 'failed');
  }

  async transition(
    id: string,
    from: readonly PaymentStatus[],
    to: PaymentStatus,
    fields: { paymentRef?: string | null; receiptUrl?: string | null; paidAt?: Date } = {},
  ): Promise<Payment | null> {
    const { count } = await this.prisma.payment.updateMany({
      where: { id, status: { in: [...from] } },
      data: {
        status: to,
        ...(fields.paymentRef ? { providerPaymentId: fields.paymentRef } : {}),
        ...(fields.receiptUrl ? { receiptUrl: fields.receiptUrl } : {}),
        ...(fields.paidAt ? { paidAt: fields.paidAt } : {}),
      },
    });
    return count ? this.get(id) : null;
  }

  async recordEvent(provider: string, eventId: string, type: string): Promise<boolean> {
    const n = await this.prisma.$executeRaw`
      INSERT INTO payment_webhook_event (provider, event_id, type) VALUES (${provider}, ${eventId}, ${type})
      ON CONFLICT DO NOTHING`;
    return n > 0;
  }

  async forgetEvent(provider: string, eventId: string): Promise<void> {
    await this.prisma.paymentWebhookEvent.deleteMany({ where: { provider, eventId } });
  }

  private async claim(ids: Prisma.Sql, set: Prisma.Sql): Promise<Payment[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE payment p SET ${set}, updated_at = now() FROM (${ids}) c WHERE p.id = c.id RETURNING p.id`;
    return this.byIds(rows.map((r) => r.id));
  }

  private async byIds(ids: string[]): Promise<Payment[]> {
    if (!ids.length) return [];
    const rows = await this.prisma.payment.findMany({ where: { id: { in: ids } }, select: PAYMENT_SELECT });
    return rows.map(toPayment);
  }

  claimLapsedCheckouts(now: Date, limit: number, bookingId?: string): Promise<Payment[]> {
    const ofBooking = bookingId ? Prisma.sql`AND booking_id = ${bookingId}::uuid` : Prisma.empty;
    return this.claim(
      Prisma.sql`SELECT id FROM payment WHERE status = 'pending' AND expires_at <= ${now}::timestamptz ${ofBooking}
        ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      Prisma.sql`status = 'expired'`,
    );
  }

  claimUnsettledCancellations(now: Date, limit: number, bookingId?: string): Promise<Payment[]> {
    const ofBooking = bookingId ? Prisma.sql`AND p.booking_id = ${bookingId}::uuid` : Prisma.empty;
    return this.claim(
      Prisma.sql`SELECT p.id FROM payment p JOIN booking b ON b.id = p.booking_id
        WHERE b.status = 'cancelled' AND p.status IN ('paid', 'partially_refunded') AND p.settled_at IS NULL ${ofBooking}
        ORDER BY p.paid_at LIMIT ${limit} FOR UPDATE OF p SKIP LOCKED`,
      Prisma.sql`settled_at = ${now}::timestamptz`,
    );
  }

  async reserveRefund(
    paymentId: string,
    r: { amountMinor: number; reason: string; actor: string },
  ): Promise<Refund | 'exceeds' | 'not_paid'> {
    // One statement: lock the payment, add up what already went (or is going) back, insert if it fits.
    const rows = await this.prisma.$queryRaw<Array<{ id: string | null; paid: boolean }>>`
      WITH p AS (SELECT id, amount_minor, status IN ('paid', 'partially_refunded') AS paid
                 FROM payment WHERE id = ${paymentId}::uuid FOR UPDATE),
      used AS (SELECT coalesce(sum(amount_minor), 0) AS n FROM payment_refund
               WHERE payment_id = ${paymentId}::uuid AND status <> 'failed'),
      ins AS (
        INSERT INTO payment_refund (id, payment_id, amount_minor, reason, actor, status, updated_at)
        SELECT gen_random_uuid(), p.id, ${r.amountMinor}, ${r.reason}, ${r.actor}, 'pending', now()
        FROM p, used WHERE p.paid AND used.n + ${r.amountMinor} <= p.amount_minor
        RETURNING id)
      SELECT (SELECT id FROM ins) AS id, coalesce((SELECT paid FROM p), false) AS paid`;
    const row = rows[0];
    if (!row?.paid) return 'not_paid';
    if (!row.id) return 'exceeds';
    const refund = await this.prisma.paymentRefund.findUniqueOrThrow({ where: { id: row.id } });
    return { ...refund, status: 'pending' };
  }

  async completeRefund(
    refundId: string,
    r: { status: 'succeeded' | 'pending' | 'failed'; providerRefundId: string | null },
  ): Promise<Payment | null> {
    const refund = await this.prisma.paymentRefund.update({
      where: { id: refundId },
      data: { status: r.status, providerRefundId: r.providerRefundId },
      select: { paymentId: true },
    });
    // A refund the provider accepted (even if still settling) counts; only a failed one does not.
    const rows = await this.prisma.$queryRaw<Array<{ n: number }>>`
      SELECT coalesce(sum(amount_minor), 0)::int AS n FROM payment_refund
      WHERE payment_id = ${refund.paymentId}::uuid AND status IN ('succeeded', 'pending')`;
    return this.applyRefundedTotal(refund.paymentId, rows[0]?.n ?? 0);
  }

  async applyRefundedTotal(paymentId: string, refundedMinor: number): Promise<Payment | null> {
    await this.prisma.$executeRaw`
      UPDATE payment SET refunded_minor = LEAST(amount_minor, GREATEST(refunded_minor, ${refundedMinor})),
        status = CASE
          WHEN LEAST(amount_minor, GREATEST(refunded_minor, ${refundedMinor})) >= amount_minor THEN 'refunded'
          WHEN GREATEST(refunded_minor, ${refundedMinor}) > 0 THEN 'partially_refunded'
          ELSE status END::payment_status,
        updated_at = now()
      WHERE id = ${paymentId}::uuid AND status IN ('paid', 'partially_refunded', 'refunded')`;
    return this.get(paymentId);
  }
}
