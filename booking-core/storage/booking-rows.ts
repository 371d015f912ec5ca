import { Prisma } from '../../prisma/generated/client.ts';
import type { Booking, BookingStatus, SpaceKind } from '../types.ts';

/** Columns of a booking joined with its space (alias `b` for booking, `s` for space), as `Booking` fields. */
export const BOOKING_COLUMN_LIST = `b.id, b.reference, b.driver_id AS "driverId", b.facility_id AS "facilityId",
  b.space_id AS "spaceId", s.code AS "spaceCode", s.kind::text AS "spaceKind", b.starts_at AS "from", b.ends_at AS "to",
  b.plate, b.status::text AS status, b.price_minor AS "priceMinor", b.currency, b.hold_expires_at AS "holdExpiresAt",
  b.created_at AS "createdAt", b.updated_at AS "updatedAt"`;
export const BOOKING_COLUMNS = Prisma.raw(BOOKING_COLUMN_LIST);

/**
 * Ids of the facility's spaces with a live booking overlapping `[from, to)` — the exclusion
 * constraint's own test. With `asOf`, holds that have lapsed by then (not yet swept) no longer count.
 * Used as `s.id NOT IN (…)`: a hashed subplan over one facility's bookings, whatever the statistics say.
 */
export const busySpaces = (
  facilityId: Prisma.Sql,
  from: Date,
  to: Date,
  asOf: Date | null,
): Prisma.Sql => Prisma.sql`
  SELECT b.space_id FROM booking b WHERE b.facility_id = ${facilityId}
    AND b.status IN ('held', 'confirmed', 'active')
    AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')
    ${asOf ? Prisma.sql`AND (b.status <> 'held' OR b.hold_expires_at > ${asOf}::timestamptz)` : Prisma.empty}`;

export interface BookingRow {
  id: string;
  reference: string;
  driverId: string | null;
  facilityId: string;
  spaceId: string;
  spaceCode: string;
  spaceKind: string;
  from: Date;
  to: Date;
  plate: string;
  status: string;
  priceMinor: number;
  currency: string;
  holdExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const toBooking = (r: BookingRow): Booking => ({
  ...r,
  spaceKind: r.spaceKind as SpaceKind,
  status: r.status as BookingStatus,
  from: new Date(r.from),
  to: new Date(r.to),
  holdExpiresAt: r.holdExpiresAt ? new Date(r.holdExpiresAt) : null,
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
  priceMinor: Number(r.priceMinor),
});

/** Did the database refuse the write because of the no-overlap exclusion constraint (SQLSTATE 23P01)? */
export function isExclusionViolation(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 6; depth++) {
    const c = cur as { code?: unknown; meta?: unknown; cause?: unknown; originalCode?: unknown };
    if (c.code === '23P01' || c.originalCode === '23P01' || c.code === 'P2039') return true;
    const meta = c.meta as { driverAdapterError?: unknown; code?: unknown } | undefined;
    if (meta?.code === '23P01') return true;
    cur = meta?.driverAdapterError ?? c.cause;
  }
  return false;
}
