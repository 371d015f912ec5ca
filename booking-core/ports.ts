import type {
  Actor,
  Booking,
  BookingStatus,
  Driver,
  Facility,
  Quote,
  Space,
  SpaceKind,
  TimeWindow,
} from './types.ts';

/** Source of "now"; tests pass a controllable one. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/**
 * The seam to live sensor data: spaces that must not be offered for a window that includes now,
 * because a sensor says a car is there (or cannot tell). The sensors bridge implements it.
 */
export interface OccupancyView {
  unavailableNow(facilityId: string): Promise<ReadonlySet<string>>;
}

/** Until a sensors bridge is wired in, nothing is known to be occupied. */
export const noSensorData: OccupancyView = { unavailableNow: async () => new Set() };

export interface KindCount {
  readonly kind: SpaceKind;
  readonly total: number;
  /** spaces with a live booking overlapping the window, or listed in `alsoTaken` */
  readonly taken: number;
}

export interface FacilityRepository {
  list(): Promise<Facility[]>;
  get(id: string): Promise<Facility | null>;
  spaces(facilityId: string): Promise<Space[]>;
  getSpace(spaceId: string): Promise<Space | null>;
  /**
   * Spaces (of a kind, if given) with no live booking overlapping the window, ordered by code.
   * Holds that have lapsed by `asOf` count as free.
   */
  freeSpaces(facilityId: string, window: TimeWindow, kind: SpaceKind | null, asOf: Date): Promise<Space[]>;
  /**
   * Per facility and kind: how many spaces exist, and how many are taken — a live booking overlaps
   * the window, or the space is among `alsoTaken` (e.g. occupied according to its sensor).
   */
  countsByKind(
    facilityIds: readonly string[],
    window: TimeWindow,
    asOf: Date,
    alsoTaken?: readonly string[],
  ): Promise<Map<string, KindCount[]>>;
  /** The facility with its spaces' kinds and a version that changes whenever its row does. */
  snapshot(facilityId: string): Promise<FacilitySnapshot | null>;
}

/** What a hold needs to know of a facility, cached between holds; the hold statement checks it is current. */
export interface FacilitySnapshot {
  readonly facility: Facility;
  /** changes whenever the facility's row changes */
  readonly version: string;
  /** each space's kind, by space id */
  readonly spaceKinds: ReadonlyMap<string, SpaceKind>;
}

export interface HoldInsert {
  readonly reference: string;
  readonly facilityId: string;
  /** the snapshot version the inputs come from: a changed facility row inserts nothing ('stale') */
  readonly facilityVersion: string;
  /** a specific space, or any free space of `kind` */
  readonly spaceId: string | null;
  /** the kind taken and priced (the space's own kind when `spaceId` is given); null: any */
  readonly kind: SpaceKind | null;
  /** spaces a sensor says are taken: never offered, and counted as taken for demand */
  readonly excludeSpaceIds: readonly string[];
  readonly window: TimeWindow;
  /** holds that lapsed by then count as free for demand (they still block the space until swept) */
  readonly asOf: Date;
  readonly driverId: string | null;
  readonly plate: string;
  /**
   * The price for each number of comparable spaces taken (`priceSteps`), assuming
   * `comparableSpaces` of them; the statement counts both and inserts nothing ('stale') when the
   * count differs.
   */
  readonly price: { readonly fromTaken: readonly number[]; readonly totalMinor: readonly number[] };
  readonly comparableSpaces: number;
  readonly currency: string;
  /** the quote's fields that do not depend on demand; stored with `taken` and `total` */
  readonly pricing: Omit<Quote, 'occupancy' | 'multiplier' | 'totalMinor' | 'explanation'>;
  readonly holdExpiresAt: Date;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
  readonly actor: Actor;
}

/** A booking found by its idempotency key, with the request fingerprint and quote it was made with. */
export interface IdempotentBooking {
  readonly booking: Booking;
  readonly requestHash: string | null;
  readonly quote: Quote;
}

export type HoldInsertOutcome =
  /** `taken` of `total` comparable spaces were taken (before this hold): the demand it was priced at */
  | { readonly kind: 'inserted'; readonly booking: Booking; readonly taken: number; readonly total: number }
  /** a booking with this idempotency key exists already; nothing inserted */
  | { readonly kind: 'existing'; readonly existing: IdempotentBooking }
  /** the candidate was taken by a concurrent writer (or the key was used concurrently): try again */
  | { readonly kind: 'conflict' }
  /** nothing matches; `lapsedInTheWay` when unswept lapsed holds are all that stands in the way */
  | { readonly kind: 'no_candidate'; readonly lapsedInTheWay: boolean }
  /** the facility or its spaces changed since the snapshot: reload it and try again */
  | { readonly kind: 'stale' };

export interface BookingFilter {
  readonly driverId?: string;
  readonly facilityId?: string;
  readonly plate?: string;
  readonly status?: BookingStatus;
  readonly limit?: number;
}

export interface BookingEventRecord {
  readonly action: string;
  readonly fromStatus: BookingStatus | null;
  readonly toStatus: BookingStatus;
  readonly actor: string;
  readonly at: Date;
  readonly detail: unknown;
}

export interface BookingRepository {
  /**
   * Inserts a hold in one statement (one round trip): counts demand, picks a free candidate, inserts
   * the booking priced for that demand and its audit row, or finds the idempotency key's booking.
   * The exclusion constraint decides races.
   */
  insertHold(input: HoldInsert): Promise<HoldInsertOutcome>;
  /** The booking an earlier request with this key made, with that request's fingerprint and quote. */
  findByIdempotencyKey(key: string): Promise<IdempotentBooking | null>;
  get(id: string): Promise<Booking | null>;
  getByReference(reference: string): Promise<Booking | null>;
  list(filter: BookingFilter): Promise<Booking[]>;
  /**
   * Moves a booking from one of `from` to `to` if it is still in one of them (and, with
   * `holdValidAt`, its hold has not lapsed by then), writing the audit row in the same statement.
   * Returns null when the booking was not in an allowed state.
   */
  transition(
    id: string,
    change: {
      from: readonly BookingStatus[];
      to: BookingStatus;
      action: string;
      actor: Actor;
      holdValidAt?: Date;
      detail?: Record<string, unknown>;
    },
  ): Promise<Booking | null>;
  /**
   * A paid booking becomes confirmed: from held (lapsed or not) or expired — the latter re-holds its
   * space, which the exclusion constraint refuses ('conflict') when someone else has it now.
   * Null when the booking is in no such state or has already ended by `now`.
   */
  confirmPaid(
    id: string,
    c: { now: Date; actor: Actor; detail: Record<string, unknown> },
  ): Promise<Booking | 'conflict' | null>;
  /** Moves the end time if the booking still ends at `expectedTo`; 'conflict' when another booking is in the way. */
  extend(
    id: string,
    change: { expectedTo: Date; to: Date; priceMinor: number; actor: Actor; detail: Record<string, unknown> },
  ): Promise<'extended' | 'conflict' | 'stale'>;
  /** Expires lapsed holds, claiming rows with SKIP LOCKED so concurrent sweepers never collide. */
  expireLapsedHolds(now: Date, options: { limit: number; facilityId?: string }): Promise<Booking[]>;
  /** confirmed → active once started, active/confirmed → completed once ended. */
  advanceLifecycle(now: Date, limit: number): Promise<{ activated: Booking[]; completed: Booking[] }>;
  history(id: string): Promise<BookingEventRecord[]>;
}

export interface DriverContact {
  readonly name?: string | null;
  readonly phone?: string | null;
  readonly email?: string | null;
}

export interface DriverRepository {
  /** Finds a driver by phone or e-mail, or creates one; fills in missing contact fields. */
  upsertByContact(contact: DriverContact): Promise<Driver>;
  /**
   * The driver behind a channel identity (e.g. a Telegram user id), created on first contact.
   * One person across channels: identities of several channels may point to one driver. A
   * `phone` the channel vouches for (a WhatsApp number) joins the driver who has it, or is stored
   * on the new one.
   */
  findOrCreateByIdentity(
    channel: string,
    externalId: string,
    profile?: { name?: string | null; preferredLanguage?: string | null; phone?: string | null },
  ): Promise<Driver>;
  setPreferredLanguage(driverId: string, language: string): Promise<void>;
  addPlate(driverId: string, plate: string): Promise<void>;
  /** the driver's plates, most recently used first */
  plates(driverId: string): Promise<string[]>;
  get(id: string): Promise<Driver | null>;
  /**
   * Erases the driver's personal data: contact details, plates and channel identities go; their
   * bookings stay for the operator's records, anonymised (no driver, plate erased).
   */
  erase(driverId: string): Promise<{ anonymisedBookings: number }>;
}
