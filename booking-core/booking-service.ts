import { randomInt } from 'node:crypto';
import { bookingError, BookingErrorCode, type BookingError } from './errors.ts';
import type { BookingEvents, EventBus } from './events.ts';
import type { FacilityService } from './facility-service.ts';
import type { FacilitySnapshots } from './facility-snapshots.ts';
import type {
  BookingFilter,
  BookingRepository,
  Clock,
  FacilityRepository,
  HoldInsert,
  IdempotentBooking,
} from './ports.ts';
import { baseAmount, occupancyOf, priceSteps, quotePrice, windowMinutes } from './pricing.ts';
import { err, ok, type Result } from './result.ts';
import type { Actor, Booking, BookingStatus, Facility, Quote, SpaceKind, TimeWindow } from './types.ts';

export interface HoldRequest {
  readonly facilityId: string;
  readonly window: TimeWindow;
  /** any free space of this kind (default: any kind) … */
  readonly kind?: SpaceKind | null;
  /** … or exactly this space */
  readonly spaceId?: string | null;
  readonly plate: string;
  readonly driverId: string | null;
  /** a retry with the same key returns the first booking instead of making a second */
  readonly idempotencyKey?: string | null;
  /** fingerprint of the request body, so a key reused for a different request is refused */
  readonly requestHash?: string | null;
}

export interface HoldOutcome {
  readonly booking: Booking;
  readonly quote: Quote;
  /** true when this is an idempotent replay of an earlier request */
  readonly replayed: boolean;
}

export interface BookingServiceDeps {
  readonly facilities: FacilityRepository;
  /** facilities as holds see them, cached between holds */
  readonly snapshots: FacilitySnapshots;
  readonly pricing: FacilityService;
  readonly bookings: BookingRepository;
  readonly events: EventBus<BookingEvents>;
  readonly clock: Clock;
  /** how long an unconfirmed hold lasts */
  readonly holdMinutes: number;
}

type Prepared = { readonly ready: PreparedHold } | { readonly done: Result<HoldOutcome, BookingError> };

/** A hold's inputs, settled before its statement runs. */
interface PreparedHold {
  readonly facility: Facility;
  readonly version: string;
  readonly kind: SpaceKind | null;
  readonly blocked: ReadonlySet<string>;
  readonly comparableSpaces: number;
  readonly now: Date;
  /** the refusal when nothing is free */
  readonly taken: () => BookingError;
}

const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const MAX_ATTEMPTS = 32;

/** A short reference drivers can read out: "PK" + 6 unambiguous characters. */
export const newReference = (): string =>
  'PK' + Array.from({ length: 6 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join('');

/** Upper-case, single-spaced plate: " ab12  cde " → "AB12 CDE". */
export const normalisePlate = (plate: string): string =>
  plate
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, ' ');

/**
 * Holds, confirmations, cancellations and extensions. Every refusal a caller should expect comes
 * back as a `BookingError` with a stable code; the database's exclusion constraint settles races.
 */
export class BookingService {
  constructor(private readonly deps: BookingServiceDeps) {}

  /**
   * Holds a space (a specific one, or any of a kind) for a window; the hold lapses after
   * `holdMinutes` unless confirmed.
   *
   *   const r = await bookings.hold({ facilityId, window: { from, to }, kind: 'ev', plate: 'AB12 CDE', driverId });
   */
  async hold(req: HoldRequest): Promise<Result<HoldOutcome, BookingError>> {
    let prepared = await this.prepare(req, false);
    let sweptLapsed = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if ('done' in prepared) return prepared.done;
      const p = prepared.ready;
      const outcome = await this.deps.bookings.insertHold(this.insertion(req, p));
      switch (outcome.kind) {
        case 'inserted': {
          const quote = quotePrice(p.facility, req.window, p.kind, occupancyOf(outcome.taken, outcome.total));
          this.deps.events.emit('booking.held', { booking: outcome.booking });
          return ok({ booking: outcome.booking, quote, replayed: false });
        }
        case 'existing':
          return this.replayed(req, outcome.existing);
        case 'stale':
          prepared = await this.prepare(req, true);
          continue;
        case 'conflict':
          break;
        case 'no_candidate':
          // Lapsed holds that periodic work has not swept yet still block the constraint: sweep
          // this facility now and try once more, so a lapsed hold never stands in a driver's way.
          if (!outcome.lapsedInTheWay || sweptLapsed) return (await this.replay(req)) ?? err(p.taken());
          sweptLapsed = true;
          await this.expireLapsed(this.deps.clock.now(), p.facility.id);
          continue;
      }
      // Nothing inserted: a concurrent request with the same idempotency key may have won.
      const again = await this.replay(req);
      if (again) return again;
    }
    return 'done' in prepared ? prepared.done : err(prepared.ready.taken());
  }

  /**
   * Everything a hold statement needs, from the cached facility snapshot (`fresh`: loaded again),
   * or the final answer. A refusal based on cached data is checked against fresh data first.
   */
  private async prepare(req: HoldRequest, fresh: boolean): Promise<Prepared> {
    const { snapshots, pricing, clock } = this.deps;
    const cached = fresh ? undefined : snapshots.cached(req.facilityId);
    const snapshot = cached ?? (await snapshots.refresh(req.facilityId));
    // A retried request (Idempotency-Key) gets its first answer even if it would be refused now.
    const done = async (error: BookingError): Promise<Prepared> => ({
      done: (await this.replay(req)) ?? err(error),
    });
    const refuse = (error: BookingError) => (cached ? this.prepare(req, true) : done(error));
    if (!snapshot) return refuse(bookingError(BookingErrorCode.FacilityNotFound, 'no such facility'));
    const { facility } = snapshot;
    let kind = req.kind ?? null;
    if (req.spaceId) {
      const spaceKind = snapshot.spaceKinds.get(req.spaceId);
      if (!spaceKind)
        return refuse(bookingError(BookingErrorCode.SpaceNotFound, 'no such space in this facility'));
      kind = spaceKind;
    }
    const badWindow = pricing.checkWindow(req.window);
    if (badWindow) return done(badWindow);
    const refused = pricing.checkStay(facility, req.window);
    if (refused) return refuse(refused);
    const blocked = await pricing.sensorBlocked(facility.id, req.window);
    const taken = () =>
      req.spaceId
        ? bookingError(BookingErrorCode.SpaceTaken, 'that space is not free for this time')
        : bookingError(
            BookingErrorCode.NoSpaceAvailable,
            `no ${kind ?? ''} space is free for this time`.replace('  ', ' '),
          );
    if (req.spaceId && blocked.has(req.spaceId)) return done(taken());
    return {
      ready: {
        facility,
        version: snapshot.version,
        kind,
        blocked,
        comparableSpaces: snapshot.comparableSpaces(kind),
        taken,
        now: clock.now(),
      },
    };
  }

  private insertion(req: HoldRequest, p: PreparedHold): HoldInsert {
    const minutes = windowMinutes(req.window);
    const { facility } = p;
    return {
      reference: newReference(),
      facilityId: facility.id,
      facilityVersion: p.version,
      spaceId: req.spaceId ?? null,
      kind: p.kind,
      excludeSpaceIds: [...p.blocked],
      window: req.window,
      asOf: p.now,
      driverId: req.driverId,
      plate: normalisePlate(req.plate),
      price: priceSteps(facility.hourlyRateMinor, minutes, p.comparableSpaces),
      comparableSpaces: p.comparableSpaces,
      currency: facility.currency,
      pricing: {
        facilityId: facility.id,
        kind: p.kind,
        from: req.window.from,
        to: req.window.to,
        minutes,
        hourlyRateMinor: facility.hourlyRateMinor,
        baseAmountMinor: baseAmount(facility.hourlyRateMinor, minutes),
        currency: facility.currency,
      },
      holdExpiresAt: new Date(p.now.getTime() + this.deps.holdMinutes * 60_000),
      idempotencyKey: req.idempotencyKey ?? null,
      requestHash: req.requestHash ?? null,
      actor: req.driverId ? { kind: 'driver', driverId: req.driverId } : { kind: 'system' },
    };
  }

  private async replay(req: HoldRequest): Promise<Result<HoldOutcome, BookingError> | null> {
    if (!req.idempotencyKey) return null;
    const found = await this.deps.bookings.findByIdempotencyKey(req.idempotencyKey);
    return found ? this.replayed(req, found) : null;
  }

  private replayed(req: HoldRequest, found: IdempotentBooking): Result<HoldOutcome, BookingError> {
    if (found.requestHash !== (req.requestHash ?? null)) {
      return err(
        bookingError(
          BookingErrorCode.IdempotencyKeyReused,
          'this Idempotency-Key was used for a different request',
        ),
      );
    }
    return ok({ booking: found.booking, quote: found.quote, replayed: true });
  }

  /** Confirms a hold that has not lapsed. Confirming twice is harmless. */
  async confirm(id: string, actor: Actor): Promise<Result<Booking, BookingError>> {
    const current = await this.owned(id, actor);
    if (!current.ok) return current;
    const b = current.value;
    if (b.status === 'confirmed' || b.status === 'active') return ok(b);
    if (b.status === 'expired') return err(holdExpired());
    if (b.status !== 'held') return err(invalidState(b.status, 'confirm'));
    const now = this.deps.clock.now();
    const confirmed = await this.deps.bookings.transition(id, {
      from: ['held'],
      to: 'confirmed',
      action: 'confirm',
      actor,
      holdValidAt: now,
    });
    if (confirmed) {
      this.deps.events.emit('booking.confirmed', { booking: confirmed });
      return ok(confirmed);
    }
    await this.expireLapsed(now, b.facilityId);
    const after = await this.deps.bookings.get(id);
    if (after?.status === 'confirmed') return ok(after);
    return err(
      after?.status === 'expired' || after?.status === 'held'
        ? holdExpired()
        : invalidState(after?.status, 'confirm'),
    );
  }

  /** Cancels a hold or a confirmed booking; cancelling twice is harmless. */
  async cancel(id: string, actor: Actor, reason?: string): Promise<Result<Booking, BookingError>> {
    const current = await this.owned(id, actor);
    if (!current.ok) return current;
    if (current.value.status === 'cancelled') return ok(current.value);
    const cancelled = await this.deps.bookings.transition(id, {
      from: ['held', 'confirmed'],
      to: 'cancelled',
      action: 'cancel',
      actor,
      ...(reason ? { detail: { reason } } : {}),
    });
    if (cancelled) {
      this.deps.events.emit('booking.cancelled', { booking: cancelled });
      return ok(cancelled);
    }
    const after = await this.deps.bookings.get(id);
    if (after?.status === 'cancelled') return ok(after);
    return err(invalidState(after?.status, 'cancel'));
  }

  /**
   * Moves a booking's end later, if its space is free for the extra time, the facility is open and
   * the whole stay stays within the maximum. The extra time is priced at today's demand.
   */
  async extend(id: string, to: Date, actor: Actor): Promise<Result<Booking, BookingError>> {
    const current = await this.owned(id, actor);
    if (!current.ok) return current;
    const b = current.value;
    if (!['held', 'confirmed', 'active'].includes(b.status)) return err(invalidState(b.status, 'extend'));
    const now = this.deps.clock.now();
    if (b.status === 'held' && b.holdExpiresAt && b.holdExpiresAt <= now) return err(holdExpired());
    if (to.getTime() <= b.to.getTime()) {
      return err(bookingError(BookingErrorCode.InvalidWindow, 'the new end must be after the current end'));
    }
    const facility = await this.deps.facilities.get(b.facilityId);
    if (!facility) return err(bookingError(BookingErrorCode.FacilityNotFound, 'no such facility'));
    const extra = { from: b.to, to };
    const refused = this.deps.pricing.checkStay(facility, extra, { from: b.from, to });
    if (refused) return err(refused);
    const quote = await this.deps.pricing.priceWindow(facility, extra, b.spaceKind);
    const outcome = await this.deps.bookings.extend(id, {
      expectedTo: b.to,
      to,
      priceMinor: b.priceMinor + quote.totalMinor,
      actor,
      detail: { previousTo: b.to.toISOString(), extraMinor: quote.totalMinor, multiplier: quote.multiplier },
    });
    if (outcome === 'conflict') {
      return err(
        bookingError(
          BookingErrorCode.SpaceTaken,
          'the space is booked by someone else for part of that time',
        ),
      );
    }
    if (outcome === 'stale') return err(invalidState(undefined, 'extend'));
    const extended = (await this.deps.bookings.get(id)) as Booking;
    this.deps.events.emit('booking.extended', { booking: extended, previousTo: b.to });
    return ok(extended);
  }

  /** One booking, if the actor may see it. */
  get(id: string, actor: Actor): Promise<Result<Booking, BookingError>> {
    return this.owned(id, actor);
  }

  /** Bookings by driver, facility, plate or status, newest start first. */
  list(filter: BookingFilter): Promise<Booking[]> {
    return this.deps.bookings.list({
      ...filter,
      ...(filter.plate ? { plate: normalisePlate(filter.plate) } : {}),
    });
  }

  /** The booking's audit trail. */
  history(id: string) {
    return this.deps.bookings.history(id);
  }

  /** Expires lapsed holds (all facilities, or one) and tells listeners. */
  async expireLapsed(now: Date, facilityId?: string): Promise<Booking[]> {
    const expired = await this.deps.bookings.expireLapsedHolds(now, {
      limit: 500,
      ...(facilityId ? { facilityId } : {}),
    });
    for (const booking of expired) this.deps.events.emit('booking.expired', { booking });
    return expired;
  }

  private async owned(id: string, actor: Actor): Promise<Result<Booking, BookingError>> {
    const b = await this.deps.bookings.get(id);
    if (!b) return err(bookingError(BookingErrorCode.BookingNotFound, 'no such booking'));
    if (actor.kind === 'driver' && b.driverId !== actor.driverId) {
      return err(bookingError(BookingErrorCode.NotYours, 'this booking belongs to someone else'));
    }
    return ok(b);
  }
}

const holdExpired = () => bookingError(BookingErrorCode.HoldExpired, 'the hold has lapsed; book again');
const invalidState = (status: BookingStatus | undefined, action: string) =>
  bookingError(
    BookingErrorCode.InvalidState,
    `a ${status ?? 'changed'} booking cannot be ${action === 'cancel' ? 'cancelled' : action + 'ed'}`,
    {
      status,
    },
  );
