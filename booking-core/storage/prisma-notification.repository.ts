import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import type { SqlRunner } from './sql-runner.ts';
import type {
  Notification,
  NotificationInsert,
  NotificationKind,
  NotificationRepository,
  NotificationStatus,
} from '../notifications/types.ts';

const SELECT = {
  id: true,
  bookingId: true,
  kind: true,
  dueAt: true,
  status: true,
  attempts: true,
  sentAt: true,
  lastError: true,
  detail: true,
} satisfies Prisma.NotificationSelect;

type Row = Prisma.NotificationGetPayload<{ select: typeof SELECT }>;
const toNotification = (r: Row): Notification => ({
  ...r,
  kind: r.kind as NotificationKind,
  status: r.status as NotificationStatus,
  detail: (r.detail as Record<string, unknown> | null) ?? null,
});

/** Notifications in PostgreSQL; claiming uses FOR UPDATE SKIP LOCKED. */
export class PrismaNotificationRepository implements NotificationRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  async schedule(rows: readonly NotificationInsert[]): Promise<void> {
    if (!rows.length) return;
    await this.prisma.notification.createMany({
      data: rows.map((r) => ({
        bookingId: r.bookingId,
        kind: r.kind,
        dedupeKey: r.dedupeKey,
        dueAt: r.dueAt,
        detail: r.detail ? (r.detail as Prisma.InputJsonValue) : Prisma.JsonNull,
      })),
      skipDuplicates: true,
    });
  }

  async cancelPending(bookingId: string, kinds: readonly NotificationKind[], exceptDueAt?: Date) {
    await this.prisma.notification.updateMany({
      where: {
        bookingId,
        status: 'pending',
        kind: { in: [...kinds] },
        ...(exceptDueAt ? { NOT: { dueAt: exceptDueAt } } : {}),
      },
      data: { status: 'cancelled' },
    });
  }

  async claimDue(now: Date, limit: number, leaseMs: number): Promise<Notification[]> {
    const until = new Date(now.getTime() + leaseMs);
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE notification n SET status = 'sending', attempts = n.attempts + 1,
        claimed_until = ${until}::timestamptz, updated_at = now()
      FROM (SELECT id FROM notification
            WHERE (status = 'pending' AND due_at <= ${now}::timestamptz)
               OR (status = 'sending' AND claimed_until <= ${now}::timestamptz)
            ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED) due
      WHERE n.id = due.id RETURNING n.id`;
    if (!rows.length) return [];
    const found = await this.prisma.notification.findMany({
      where: { id: { in: rows.map((r) => r.id) } },
      orderBy: { dueAt: 'asc' },
      select: SELECT,
    });
    return found.map(toNotification);
  }

  async finish(
    id: string,
    o: { status: NotificationStatus; error?: string | null; retryAt?: Date; sentAt?: Date },
  ): Promise<void> {
    await this.prisma.notification.updateMany({
      where: { id, status: 'sending' },
      data: {
        status: o.retryAt ? 'pending' : o.status,
        claimedUntil: null,
        ...(o.retryAt ? { dueAt: o.retryAt } : {}),
        ...(o.sentAt ? { sentAt: o.sentAt } : {}),
        ...(o.error !== undefined ? { lastError: o.error } : {}),
      },
    });
  }

  async forBooking(bookingId: string): Promise<Notification[]> {
    const rows = await this.prisma.notification.findMany({
      where: { bookingId },
      orderBy: [{ dueAt: 'asc' }, { kind: 'asc' }],
      select: SELECT,
    });
    return rows.map(toNotification);
  }

  async setContact(bookingId: string, address: string): Promise<void> {
    // in every booking's chat turn: plain SQL on a prepared statement, not Prisma's engine
    await this.sql.query(
      `INSERT INTO booking_contact (booking_id, address) VALUES ($1::uuid, $2)
       ON CONFLICT (booking_id) DO UPDATE SET address = EXCLUDED.address`,
      [bookingId, address],
      'booking_set_contact',
    );
  }

  async contact(bookingId: string): Promise<string | null> {
    return (await this.prisma.bookingContact.findUnique({ where: { bookingId } }))?.address ?? null;
  }

  async setOptOut(driverId: string, off: boolean): Promise<void> {
    if (off) {
      await this.prisma.notificationOptOut.upsert({ where: { driverId }, create: { driverId }, update: {} });
    } else {
      await this.prisma.notificationOptOut.deleteMany({ where: { driverId } });
    }
  }

  async isOptedOut(driverId: string): Promise<boolean> {
    return (await this.prisma.notificationOptOut.count({ where: { driverId } })) > 0;
  }
}
