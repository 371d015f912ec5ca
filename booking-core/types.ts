/** Plain domain data: what repositories return, never Prisma models. */

export const SPACE_KINDS = ['standard', 'ev', 'accessible', 'motorcycle', 'family', 'oversize'] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];

export const BOOKING_STATUSES = ['held', 'confirmed', 'active', 'completed', 'cancelled', 'expired'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses that occupy a space; the database's exclusion constraint covers exactly these. */
export const LIVE_STATUSES: readonly BookingStatus[] = ['held', 'confirmed', 'active'];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local opening times per weekday, e.g. `{ mon: [['07:00', '22:00']] }`; a missing day is closed; '24:00' ends the day. */
export type OpeningHours = Partial<Record<Weekday, ReadonlyArray<readonly [string, string]>>>;

export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export interface Facility {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly address: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly timeZone: string;
  readonly openingHours: OpeningHours;
  readonly currency: string;
  readonly hourlyRateMinor: number;
  readonly maxStayMinutes: number;
}

export interface Space {
  readonly id: string;
  readonly facilityId: string;
  readonly code: string;
  readonly level: string | null;
  readonly kind: SpaceKind;
}

export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

export interface Quote {
  readonly facilityId: string;
  readonly kind: SpaceKind | null;
  readonly from: Date;
  readonly to: Date;
  readonly minutes: number;
  readonly hourlyRateMinor: number;
  /** base rate × duration, before demand */
  readonly baseAmountMinor: number;
  /** share of comparable spaces taken over the window, 0..1 */
  readonly occupancy: number;
  readonly multiplier: number;
  readonly totalMinor: number;
  readonly currency: string;
  readonly explanation: string;
}

export interface Booking {
  readonly id: string;
  readonly reference: string;
  readonly driverId: string | null;
  readonly facilityId: string;
  readonly spaceId: string;
  readonly spaceCode: string;
  readonly spaceKind: SpaceKind;
  readonly from: Date;
  readonly to: Date;
  readonly plate: string;
  readonly status: BookingStatus;
  readonly priceMinor: number;
  readonly currency: string;
  readonly holdExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface Driver {
  readonly id: string;
  readonly name: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly preferredLanguage: string | null;
}

/** Who is acting: a driver may only touch their own bookings; operators may touch any. */
export type Actor =
  | { readonly kind: 'driver'; readonly driverId: string }
  | { readonly kind: 'operator'; readonly id: string }
  | { readonly kind: 'system' };

export const actorLabel = (actor: Actor): string =>
  actor.kind === 'driver'
    ? `driver:${actor.driverId}`
    : actor.kind === 'operator'
      ? `operator:${actor.id}`
      : 'system';
