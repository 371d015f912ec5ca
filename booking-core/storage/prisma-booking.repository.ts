import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import { StorageError } from '../errors.ts';
import type {
  BookingEventRecord,
  BookingFilter,
  BookingRepository,
  HoldInsert,
  HoldInsertOutcome,
} from '../ports.ts';
import { actorLabel, type Actor, type Booking, type BookingStatus, type Quote } from '../types.ts';
import {
  BOOKING_COLUMNS,
  isExclusionViolation,
  busySpaces,
  toBooking,
  type BookingRow,
} from './booking-rows.ts';

const json = (v: unknown) => JSON.stringify(v ?? null);

/** Bookings in PostgreSQL; every state change writes its audit row in the same statement. */
export class PrismaBookingRepository implements BookingRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async insertHold(h: HoldInsert): Promise<HoldInsertOutcome> {
    const onlySpace = h.spaceId ? Prisma.sql`AND s.id = ${h.spaceId}::uuid` : Prisma.empty;
    const ofKind = h.kind ? Prisma.sql`AND s.kind = ${h.kind}::space_kind` : Prisma.empty;
    const excluded = h.excludeSpaceIds.length
      ? Prisma.sql`AND s.id NOT IN (${Prisma.join(h.excludeSpaceIds.map((id) => Prisma.sql`${id}::uuid`))})`
      : Prisma.empty;
    const candidates = Prisma.sql`FROM space s WHERE s.facility_id = ${h.facilityId}::uuid ${onlySpace} ${ofKind} ${excluded}
      AND s.id NOT IN (${busySpaces(Prisma.sql`${h.facilityId}::uuid`, h.window.from, h.window.to, null)})`;
    // One statement: pick a free candidate, insert, audit. Concurrent writers that pick the same
    // space are serialised by the exclusion constraint; the loser inserts nothing (DO NOTHING).
    const rows = await this.prisma.$queryRaw<BookingRow[]>`
      WITH candidate AS (SELECT s.id ${candidates} ORDER BY random() LIMIT 1),
      ins AS (
        INSERT INTO booking (id, reference, driver_id, facility_id, space_id, starts_at, ends_at, plate, status,
          price_minor, currency, pricing, hold_expires_at, idempotency_key, request_hash, updated_at)
        SELECT gen_random_uuid(), ${h.reference}, ${h.driverId}::uuid, ${h.facilityId}::uuid, candidate.id,
          ${h.window.from}::timestamptz, ${h.window.to}::timestamptz, ${h.plate}, 'held', ${h.priceMinor}, ${h.currency},
          ${json(h.pricing)}::jsonb, ${h.holdExpiresAt}::timestamptz, ${h.idempotencyKey}, ${h.requestHash}, now()
        FROM candidate
        ON CONFLICT DO NOTHING
        RETURNING *),
      ev AS (
        INSERT INTO booking_event (booking_id, action, from_status, to_status, actor, detail)
        SELECT id, 'hold', NULL, 'held', ${actorLabel(h.actor)}, ${json({ priceMinor: h.priceMinor })}::jsonb FROM ins)
      SELECT ${BOOKING_COLUMNS} FROM ins b JOIN space s ON s.id = b.space_id`;
    const row = rows[0];
    if (row) return { kind: 'inserted', booking: toBooking(row) };
    const left = await this.prisma.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n ${candidates}`;
    return (left[0]?.n ?? 0) > 0 ? { kind: 'conflict' } : { kind: 'no_candidate' };
  }

  async findByIdempotencyKey(
    key: string,
  ): Promise<{ booking: Booking; requestHash: string | null; quote: Quote } | null> {
    const rows = await this.prisma.$queryRaw<
      Array<BookingRow & { requestHash: string | null; pricing: Quote }>
    >`
      SELECT ${BOOKING_COLUMNS}, b.request_hash AS "requestHash", b.pricing
      FROM booking b JOIN space s ON s.id = b.space_id WHERE b.idempotency_key = ${key}`;
    const row = rows[0];
    if (!row) return null;
    const quote = { ...row.pricing, from: new Date(row.pricing.from), to: new Date(row.pricing.to) };
    return { booking: toBooking(row), requestHash: row.requestHash, quote };
  }

  async get(id: string): Promise<Booking | null> {
    return (await this.select(Prisma.sql`b.id = ${id}::uuid`, 1))[0] ?? null;
  }

  async getByReference(reference: string): Promise<Booking | null> {
    return (await this.select(Prisma.sql`b.reference = ${reference.toUpperCase()}`, 1))[0] ?? null;
  }

  async list(f: BookingFilter): Promise<Booking[]> {
    const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
    if (f.driverId) conditions.push(Prisma.sql`b.driver_id = ${f.driverId}::uuid`);
    if (f.facilityId) conditions.push(Prisma.sql`b.facility_id = ${f.facilityId}::uuid`);
    if (f.plate) conditions.push(Prisma.sql`b.plate = ${f.plate}`);
    if (f.status) conditions.push(Prisma.sql`b.status = ${f.status}::booking_status`);
    return this.select(Prisma.join(conditions, ' AND '), f.limit ?? 100);
  }

  private async select(where: Prisma.Sql, limit: number): Promise<Booking[]> {
    const rows = await this.prisma.$queryRaw<BookingRow[]>`
      SELECT ${BOOKING_COLUMNS} FROM booking b JOIN space s ON s.id = b.space_id
      WHERE ${where} ORDER BY b.starts_at DESC, b.id LIMIT ${limit}`;
    return rows.map(toBooking);
  }

  async transition(
    id: string,
    c: {
      from: readonly BookingStatus[];
      to: BookingStatus;
      action: string;
      actor: Actor;
      holdValidAt?: Date;
      detail?: Record<string, unknown>;
    },
  ): Promise<Booking | null> {
    const holdValid = c.holdValidAt
      ? Prisma.sql`AND hold_expires_at > ${c.holdValidAt}::timestamptz`
      : Prisma.empty;
    const claim = Prisma.sql`SELECT id, status FROM booking WHERE id = ${id}::uuid
      AND status IN (${Prisma.join(c.from.map((s) => Prisma.sql`${s}::booking_status`))}) ${holdValid} FOR UPDATE`;
    const rows = await this.changeStatus(claim, c.to, c.action, c.actor, c.detail);
    return rows[0] ?? null;
  }

  async extend(
    id: string,
    c: { expectedTo: Date; to: Date; priceMinor: number; actor: Actor; detail: Record<string, unknown> },
  ): Promise<'extended' | 'conflict' | 'stale'> {
    try {
      const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
        WITH upd AS (
          UPDATE booking SET ends_at = ${c.to}::timestamptz, price_minor = ${c.priceMinor}, updated_at = now()
          WHERE id = ${id}::uuid AND ends_at = ${c.expectedTo}::timestamptz AND status IN ('held', 'confirmed', 'active')
          RETURNING id, status),
        ev AS (
          INSERT INTO booking_event (booking_id, action, from_status, to_status, actor, detail)
          SELECT id, 'extend', status, status, ${actorLabel(c.actor)}, ${json(c.detail)}::jsonb FROM upd)
        SELECT id FROM upd`;
      return rows.length ? 'extended' : 'stale';
    } catch (e) {
      if (isExclusionViolation(e)) return 'conflict';
      throw new StorageError('extending a booking failed', { bookingId: id }, { cause: e });
    }
  }

  async confirmPaid(
    id: string,
    c: { now: Date; actor: Actor; detail: Record<string, unknown> },
  ): Promise<Booking | 'conflict' | null> {
    const claim = Prisma.sql`SELECT id, status FROM booking WHERE id = ${id}::uuid
      AND status IN ('held', 'expired') AND ends_at > ${c.now}::timestamptz FOR UPDATE`;
    try {
      const rows = await this.changeStatus(claim, 'confirmed', 'confirm', c.actor, c.detail);
      return rows[0] ?? null;
    } catch (e) {
      if (isExclusionViolation(e)) return 'conflict';
      throw new StorageError('confirming a paid booking failed', { bookingId: id }, { cause: e });
    }
  }

  expireLapsedHolds(now: Date, o: { limit: number; facilityId?: string }): Promise<Booking[]> {
    const inFacility = o.facilityId ? Prisma.sql`AND facility_id = ${o.facilityId}::uuid` : Prisma.empty;
    return this.changeStatus(
      Prisma.sql`SELECT id, status FROM booking WHERE status = 'held' AND hold_expires_at <= ${now}::timestamptz
        ${inFacility} ORDER BY hold_expires_at LIMIT ${o.limit} FOR UPDATE SKIP LOCKED`,
      'expired',
      'expire',
      { kind: 'system' },
    );
  }

  async advanceLifecycle(now: Date, limit: number): Promise<{ activated: Booking[]; completed: Booking[] }> {
    const completed = await this.changeStatus(
      Prisma.sql`SELECT id, status FROM booking WHERE status IN ('confirmed', 'active') AND ends_at <= ${now}::timestamptz
        ORDER BY ends_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      'completed',
      'complete',
      { kind: 'system' },
    );
    const activated = await this.changeStatus(
      Prisma.sql`SELECT id, status FROM booking WHERE status = 'confirmed' AND starts_at <= ${now}::timestamptz
        AND ends_at > ${now}::timestamptz ORDER BY starts_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      'active',
      'activate',
      { kind: 'system' },
    );
    return { activated, completed };
  }

  /** Moves every row the `claim` query locks to `to`, with one audit row each, in one statement. */
  private async changeStatus(
    claim: Prisma.Sql,
    to: BookingStatus,
    action: string,
    actor: Actor,
    detail?: Record<string, unknown>,
  ): Promise<Booking[]> {
    const rows = await this.prisma.$queryRaw<BookingRow[]>`
      WITH old AS (${claim}),
      upd AS (
        UPDATE booking b SET status = ${to}::booking_status, updated_at = now()
        FROM old WHERE b.id = old.id RETURNING b.*, old.status AS from_status),
      ev AS (
        INSERT INTO booking_event (booking_id, action, from_status, to_status, actor, detail)
        SELECT id, ${action}, from_status, ${to}::booking_status, ${actorLabel(actor)}, ${json(detail)}::jsonb FROM upd)
      SELECT ${BOOKING_COLUMNS} FROM upd b JOIN space s ON s.id = b.space_id`;
    return rows.map(toBooking);
  }

  async history(id: string): Promise<BookingEventRecord[]> {
    const rows = await this.prisma.bookingEvent.findMany({
      where: { bookingId: id },
      orderBy: { id: 'asc' },
      select: { action: true, fromStatus: true, toStatus: true, actor: true, at: true, detail: true },
    });
    return rows;
  }
}
