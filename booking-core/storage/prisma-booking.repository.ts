import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import { StorageError } from '../errors.ts';
import type {
  BookingEventRecord,
  BookingFilter,
  BookingRepository,
  HoldInsert,
  HoldInsertOutcome,
  IdempotentBooking,
} from '../ports.ts';
import { occupancyOf, quotePrice } from '../pricing.ts';
import { actorLabel, type Actor, type Booking, type BookingStatus, type Quote } from '../types.ts';
import type { SqlRunner } from './sql-runner.ts';
import { BOOKING_COLUMNS, isExclusionViolation, toBooking, type BookingRow } from './booking-rows.ts';
import {
  anyWindowHoldStatement,
  isWholeHours,
  wholeHoursHoldStatement,
  type HoldTarget,
} from './hold-statements.ts';

const json = (v: unknown) => JSON.stringify(v ?? null);

/** A PostgreSQL array literal of uuids or integers (no quoting needed), so both drivers take it as text. */
const pgArray = (items: readonly (string | number)[]) => `{${items.join(',')}}`;

const TARGETS: readonly HoldTarget[] = ['space', 'kind', 'any'];
/** Statement text and prepared-statement name, per window shape and target. */
const HOLD_STATEMENTS = {
  wholeHours: Object.fromEntries(
    TARGETS.map((t) => [t, { text: wholeHoursHoldStatement(t), name: `booking_hold_hours_${t}` }]),
  ) as Record<HoldTarget, { text: string; name: string | undefined }>,
  anyWindow: Object.fromEntries(
    TARGETS.map((t) => [
      t,
      // Prepared only for one space: planning costs more than executing it, and its generic plan
      // is as good. For "any of a kind" custom plans did better as bookings grew (bench:booking).
      { text: anyWindowHoldStatement(t), name: `booking_hold_${t}` },
    ]),
  ) as Record<HoldTarget, { text: string; name: string | undefined }>,
};

type HoldRow = BookingRow & {
  fresh: boolean;
  taken: number;
  total: number;
  hadCandidate: boolean;
  lapsedInTheWay: boolean;
  inserted: boolean | null;
  requestHash: string | null;
  pricing: unknown;
};

/** The quote a booking was made with: its stored demand inputs priced again, or (older rows) the stored quote. */
function storedQuote(pricing: unknown): Quote {
  const p = pricing as Quote & { taken?: number; total?: number };
  const window = { from: new Date(p.from), to: new Date(p.to) };
  if (typeof p.taken !== 'number' || typeof p.total !== 'number') return { ...p, ...window };
  const facility = { id: p.facilityId, hourlyRateMinor: p.hourlyRateMinor, currency: p.currency };
  return quotePrice(facility, window, p.kind, occupancyOf(p.taken, p.total));
}

const idempotentBooking = (
  row: BookingRow & { requestHash: string | null; pricing: unknown },
): IdempotentBooking => ({
  booking: toBooking(row),
  requestHash: row.requestHash,
  quote: storedQuote(row.pricing),
});

/** Bookings in PostgreSQL; every state change writes its audit row in the same statement. */
export class PrismaBookingRepository implements BookingRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  async insertHold(h: HoldInsert): Promise<HoldInsertOutcome> {
    // Through the driver, not Prisma: this is the hot path, and one statement is one round trip.
    const target: HoldTarget = h.spaceId ? 'space' : h.kind ? 'kind' : 'any';
    const statement =
      HOLD_STATEMENTS[isWholeHours(h.window.from, h.window.to) ? 'wholeHours' : 'anyWindow'][target];
    const rows = await this.sql.query<HoldRow>(
      statement.text,
      [
        h.facilityId,
        h.facilityVersion,
        h.spaceId,
        h.kind,
        pgArray(h.excludeSpaceIds),
        h.window.from.toISOString(),
        h.window.to.toISOString(),
        h.asOf.toISOString(),
        h.reference,
        h.driverId,
        h.plate,
        h.currency,
        json(h.pricing),
        h.holdExpiresAt.toISOString(),
        h.idempotencyKey,
        h.requestHash,
        actorLabel(h.actor),
        pgArray(h.price.fromTaken),
        pgArray(h.price.totalMinor),
        h.comparableSpaces,
      ],
      statement.name,
    );
    const r = rows[0];
    if (!r?.fresh) return { kind: 'stale' };
    if (r.id && r.inserted)
      return { kind: 'inserted', booking: toBooking(r), taken: r.taken, total: r.total };
    if (r.id) return { kind: 'existing', existing: idempotentBooking(r) };
    return r.hadCandidate ? { kind: 'conflict' } : { kind: 'no_candidate', lapsedInTheWay: r.lapsedInTheWay };
  }

  async findByIdempotencyKey(key: string): Promise<IdempotentBooking | null> {
    const rows = await this.prisma.$queryRaw<
      Array<BookingRow & { requestHash: string | null; pricing: unknown }>
    >`
      SELECT ${BOOKING_COLUMNS}, b.request_hash AS "requestHash", b.pricing
      FROM booking b JOIN space s ON s.id = b.space_id WHERE b.idempotency_key = ${key}`;
    const row = rows[0];
    return row ? idempotentBooking(row) : null;
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
        ${inFacility} ORDER BY hold_expires_at LIMIT ${o.limit} FOR NO KEY UPDATE SKIP LOCKED`,
      'expired',
      'expire',
      { kind: 'system' },
    );
  }

  async advanceLifecycle(now: Date, limit: number): Promise<{ activated: Booking[]; completed: Booking[] }> {
    const completed = await this.changeStatus(
      Prisma.sql`SELECT id, status FROM booking WHERE status IN ('confirmed', 'active') AND ends_at <= ${now}::timestamptz
        ORDER BY ends_at LIMIT ${limit} FOR NO KEY UPDATE SKIP LOCKED`,
      'completed',
      'complete',
      { kind: 'system' },
    );
    const activated = await this.changeStatus(
      Prisma.sql`SELECT id, status FROM booking WHERE status = 'confirmed' AND starts_at <= ${now}::timestamptz
        AND ends_at > ${now}::timestamptz ORDER BY starts_at LIMIT ${limit} FOR NO KEY UPDATE SKIP LOCKED`,
      'active',
      'activate',
      { kind: 'system' },
    );
    return { activated, completed };
  }

  /**
   * Moves every row the `claim` query locks to `to`, with one audit row each, in one statement.
   * Claims lock FOR NO KEY UPDATE: a status change leaves the key alone, and a row that a new
   * payment, notification or contact references at that moment (its foreign key check holds FOR
   * KEY SHARE) must not be skipped as if another worker had claimed it.
   */
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
