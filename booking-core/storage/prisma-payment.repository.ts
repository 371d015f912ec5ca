import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import type { PaymentFilter, PaymentInsert, PaymentRepository } from '../payments/repository.ts';
import type { Payment, PaymentPurpose, PaymentStatus, Refund } from '../payments/types.ts';
import type { SqlRunner } from './sql-runner.ts';

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

/** A payment's columns as `Payment` names them, for the statements that read one row back. */
const PAYMENT_COLUMNS = `id, booking_id AS "bookingId", purpose, provider, status::text AS status,
  amount_minor AS "amountMinor", currency, refunded_minor AS "refundedMinor",
  provider_checkout_id AS "providerCheckoutId", provider_payment_id AS "providerPaymentId",
  checkout_url AS "checkoutUrl", receipt_url AS "receiptUrl", expires_at AS "expiresAt",
  extend_from AS "extendFrom", extend_to AS "extendTo", paid_at AS "paidAt", created_at AS "createdAt"`;

/** A pending payment's row: nothing can have been refunded of it yet. */
const pendingPayment = (row: Omit<Payment, 'refunds'>): Payment => ({ ...row, refunds: [] });

/**
 * Payments, refunds and handled webhook events in PostgreSQL. What a booking's chat turn does —
 * open a checkout, look for an open one — is plain SQL on prepared statements: Prisma's query
 * engine costs several times the database's own work for these one-row statements.
 */
export class PrismaPaymentRepository implements PaymentRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  async insert(p: PaymentInsert): Promise<Payment> {
    const [row] = await this.sql.query<Omit<Payment, 'refunds'>>(
      `INSERT INTO payment (id, booking_id, purpose, provider, amount_minor, currency, expires_at,
         extend_from, extend_to, updated_at)
       VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz,
         $8::timestamptz, now())
       RETURNING ${PAYMENT_COLUMNS}`,
      [
        p.bookingId,
        p.purpose,
        p.provider,
        p.amountMinor,
        p.currency,
        p.expiresAt,
        p.extendFrom ?? null,
        p.extendTo ?? null,
      ],
      'payment_insert',
    );
    return pendingPayment(row!);
  }

  async openCheckout(bookingId: string, amountMinor: number): Promise<Payment | null> {
    const [row] = await this.sql.query<Omit<Payment, 'refunds'>>(
      `SELECT ${PAYMENT_COLUMNS} FROM payment
       WHERE booking_id = $1::uuid AND purpose = 'booking' AND status = 'pending'
         AND checkout_url IS NOT NULL AND amount_minor = $2
       ORDER BY created_at LIMIT 1`,
      [bookingId, amountMinor],
      'payment_open_checkout',
    );
    return row ? pendingPayment(row) : null;
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
    const [row] = await this.sql.query<Omit<Payment, 'refunds'>>(
      `UPDATE payment SET provider = $2, provider_checkout_id = $3, checkout_url = $4, updated_at = now()
       WHERE id = $1::uuid AND status = 'pending' RETURNING ${PAYMENT_COLUMNS}`,
      [id, c.provider, c.checkoutId, c.url],
      'payment_attach_checkout',
    );
    return row ? pendingPayment(row) : null;
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
