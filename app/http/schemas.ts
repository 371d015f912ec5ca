import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  BOOKING_STATUSES,
  SPACE_KINDS,
  type Booking,
  type Facility,
  type Quote,
} from '../../booking-core/index.ts';

// ---- inputs ----------------------------------------------------------------------------------

export const uuid = z.uuid({ error: 'must be a UUID' });
export const instant = z.iso
  .datetime({
    offset: true,
    error: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-11-25T09:00:00Z',
  })
  .transform((s) => new Date(s));
export const spaceKind = z.enum(SPACE_KINDS);
export const bookingStatus = z.enum(BOOKING_STATUSES);
export const plate = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(12, 'must be at most 12 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, 'may contain only letters, digits, spaces and hyphens');

export const idParams = z.object({ id: uuid });

export const windowQuery = z
  .object({ from: instant, to: instant, kind: spaceKind.optional() })
  .refine((w) => w.to > w.from, { path: ['to'], message: 'must be after from' });

export const facilitiesQuery = z
  .object({
    near: z
      .string()
      .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, 'must be "lat,lng"')
      .transform((s) => s.split(',').map(Number) as [number, number])
      .refine(
        ([lat, lng]) => Math.abs(lat) <= 90 && Math.abs(lng) <= 180,
        'latitude or longitude out of range',
      )
      .optional(),
    radiusKm: z.coerce.number().positive().max(500).optional(),
  })
  .refine((q) => q.radiusKm === undefined || q.near !== undefined, {
    path: ['radiusKm'],
    message: 'needs near',
  });

export const quoteBody = z
  .object({ facilityId: uuid, from: instant, to: instant, kind: spaceKind.optional() })
  .strict()
  .refine((w) => w.to > w.from, { path: ['to'], message: 'must be after from' });

export const driverBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number, e.g. +44 7700 900123')
      .transform((p) => p.replace(/[ ()-]/g, ''))
      .optional(),
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase())
      .optional(),
  })
  .strict();

export const bookingBody = z
  .object({
    facilityId: uuid,
    from: instant,
    to: instant,
    kind: spaceKind.optional(),
    spaceId: uuid.optional(),
    plate,
    driver: driverBody.default({}),
  })
  .strict()
  .refine((w) => w.to > w.from, { path: ['to'], message: 'must be after from' });

export const bookingsQuery = z.object({
  plate: plate.optional(),
  driverId: uuid.optional(),
  facilityId: uuid.optional(),
  status: bookingStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const extendBody = z.object({ to: instant }).strict();
export const cancelBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();
export const emptyBody = z.object({}).strict();

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1–255 visible ASCII characters')
    .optional(),
});

// ---- outputs ---------------------------------------------------------------------------------

const money = z.object({ amountMinor: z.int(), currency: z.string().length(3) });
const localTime = (d: Date, zone: string) =>
  DateTime.fromJSDate(d, { zone }).toISO({ suppressMilliseconds: true });

export const facilityOut = z.object({
  id: uuid,
  code: z.string(),
  name: z.string(),
  aliases: z.array(z.string()),
  address: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  timeZone: z.string(),
  openingHours: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))),
  hourlyRate: money,
  maxStayMinutes: z.int(),
  distanceKm: z.number().optional(),
  freeNow: z
    .object({
      total: z.int(),
      free: z.int(),
      byKind: z.record(z.string(), z.object({ total: z.int(), free: z.int() })),
    })
    .optional(),
  spaces: z
    .array(z.object({ id: uuid, code: z.string(), kind: spaceKind, level: z.string().nullable() }))
    .optional(),
});

export const toFacilityOut = (f: Facility & { distanceKm?: number; freeNow?: unknown }) => {
  const { hourlyRateMinor, currency, ...rest } = f;
  return { ...rest, hourlyRate: { amountMinor: hourlyRateMinor, currency } };
};

export const quoteOut = z.object({
  facilityId: uuid,
  kind: spaceKind.nullable(),
  from: z.string(),
  to: z.string(),
  minutes: z.int(),
  hourlyRate: money,
  base: money,
  occupancy: z.number(),
  multiplier: z.number(),
  total: money,
  explanation: z.string(),
});

export const toQuoteOut = (q: Quote) => ({
  facilityId: q.facilityId,
  kind: q.kind,
  from: q.from.toISOString(),
  to: q.to.toISOString(),
  minutes: q.minutes,
  hourlyRate: { amountMinor: q.hourlyRateMinor, currency: q.currency },
  base: { amountMinor: q.baseAmountMinor, currency: q.currency },
  occupancy: q.occupancy,
  multiplier: q.multiplier,
  total: { amountMinor: q.totalMinor, currency: q.currency },
  explanation: q.explanation,
});

export const bookingOut = z.object({
  id: uuid,
  reference: z.string(),
  status: bookingStatus,
  facilityId: uuid,
  spaceId: uuid,
  spaceCode: z.string(),
  spaceKind,
  driverId: uuid.nullable(),
  plate: z.string(),
  from: z.string(),
  to: z.string(),
  local: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
  price: money,
  holdExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A booking as the API shows it: UTC instants plus the same times in the facility's zone. */
export const toBookingOut = (b: Booking, timeZone: string) => ({
  id: b.id,
  reference: b.reference,
  status: b.status,
  facilityId: b.facilityId,
  spaceId: b.spaceId,
  spaceCode: b.spaceCode,
  spaceKind: b.spaceKind,
  driverId: b.driverId,
  plate: b.plate,
  from: b.from.toISOString(),
  to: b.to.toISOString(),
  local: { from: localTime(b.from, timeZone), to: localTime(b.to, timeZone), timeZone },
  price: { amountMinor: b.priceMinor, currency: b.currency },
  holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
  createdAt: b.createdAt.toISOString(),
  updatedAt: b.updatedAt.toISOString(),
});
