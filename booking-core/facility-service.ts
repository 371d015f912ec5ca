import { bookingError, BookingErrorCode, type BookingError } from './errors.ts';
import { distanceKm } from './geo.ts';
import { isOpenThroughout } from './opening-hours.ts';
import type { Clock, FacilityRepository, KindCount, OccupancyView } from './ports.ts';
import { occupancyOf, quotePrice, windowMinutes } from './pricing.ts';
import { err, ok, type Result } from './result.ts';
import type { Facility, Quote, Space, SpaceKind, TimeWindow } from './types.ts';

/** How far in the past a window may start (a driver booking "now" is a few seconds late by the time it lands). */
export const START_GRACE_MS = 5 * 60_000;
/** How far ahead bookings are taken. */
export const HORIZON_DAYS = 180;

export interface KindAvailability {
  readonly total: number;
  readonly free: number;
}

export interface FacilitySummary extends Facility {
  readonly distanceKm?: number;
  /** free right now: no live booking and no sensor saying occupied */
  readonly freeNow: {
    readonly total: number;
    readonly free: number;
    readonly byKind: Partial<Record<SpaceKind, KindAvailability>>;
  };
}

export interface Availability {
  readonly facility: Facility;
  readonly window: TimeWindow;
  readonly kind: SpaceKind | null;
  readonly spaces: Space[];
  readonly byKind: Partial<Record<SpaceKind, KindAvailability>>;
}

export interface FacilityServiceDeps {
  readonly facilities: FacilityRepository;
  readonly occupancy: OccupancyView;
  readonly clock: Clock;
}

const includesNow = (w: TimeWindow, now: Date) =>
  w.from.getTime() <= now.getTime() && now.getTime() < w.to.getTime();

/** Facilities, live availability and prices. */
export class FacilityService {
  constructor(private readonly deps: FacilityServiceDeps) {}

  /**
   * Facilities with their free spaces now, nearest first when `near` is given.
   *
   *   await facilities.list({ near: { latitude: 51.5, longitude: -0.12 }, radiusKm: 2 })
   */
  async list(
    query: {
      near?: { latitude: number; longitude: number };
      radiusKm?: number;
      /** only these facilities (their live counts are all that is computed) */
      ids?: readonly string[];
    } = {},
  ): Promise<FacilitySummary[]> {
    const now = this.deps.clock.now();
    let all: Array<Facility & { distanceKm?: number }> = await this.deps.facilities.list();
    const only = query.ids;
    if (only) all = all.filter((f) => only.includes(f.id));
    const near = query.near;
    if (near) {
      all = all
        .map((f) => ({ ...f, distanceKm: Math.round(distanceKm(near, f) * 1000) / 1000 }))
        .filter((f) => query.radiusKm === undefined || f.distanceKm <= query.radiusKm)
        .sort((a, b) => a.distanceKm - b.distanceKm);
    }
    const window = { from: now, to: new Date(now.getTime() + 60_000) };
    const ids = all.map((f) => f.id);
    const sensed = await Promise.all(ids.map((id) => this.deps.occupancy.unavailableNow(id)));
    const counts = await this.deps.facilities.countsByKind(
      ids,
      window,
      now,
      sensed.flatMap((s) => [...s]),
    );
    return all.map((f) => {
      const byKind = availabilityByKind(counts.get(f.id) ?? []);
      const totals = Object.values(byKind).reduce(
        (a, k) => ({ total: a.total + k.total, free: a.free + k.free }),
        {
          total: 0,
          free: 0,
        },
      );
      return { ...f, freeNow: { ...totals, byKind } };
    });
  }

  get(id: string): Promise<Facility | null> {
    return this.deps.facilities.get(id);
  }

  spaces(facilityId: string): Promise<Space[]> {
    return this.deps.facilities.spaces(facilityId);
  }

  /** Which spaces are free for a window (no overlapping live booking; for windows that include now, not occupied). */
  async availability(
    facilityId: string,
    window: TimeWindow,
    kind: SpaceKind | null,
  ): Promise<Result<Availability, BookingError>> {
    const facility = await this.deps.facilities.get(facilityId);
    if (!facility)
      return err(bookingError(BookingErrorCode.FacilityNotFound, 'no such facility', { facilityId }));
    const bad = this.checkWindow(window);
    if (bad) return err(bad);
    const now = this.deps.clock.now();
    const blocked = await this.sensorBlocked(facility.id, window);
    const [free, byKind] = await Promise.all([
      this.deps.facilities.freeSpaces(facility.id, window, kind, now),
      this.byKind(facility.id, window, blocked),
    ]);
    return ok({ facility, window, kind, spaces: free.filter((s) => !blocked.has(s.id)), byKind });
  }

  /**
   * Prices a stay, refusing windows the facility would refuse to book.
   *
   *   const q = await facilities.quote(id, { from, to }, 'ev'); if (q.ok) q.value.totalMinor
   */
  async quote(
    facilityId: string,
    window: TimeWindow,
    kind: SpaceKind | null,
  ): Promise<Result<Quote, BookingError>> {
    const facility = await this.deps.facilities.get(facilityId);
    if (!facility)
      return err(bookingError(BookingErrorCode.FacilityNotFound, 'no such facility', { facilityId }));
    const bad = this.checkWindow(window) ?? this.checkStay(facility, window);
    if (bad) return err(bad);
    return ok(await this.priceWindow(facility, window, kind));
  }

  /** Quote for a window already known to be acceptable (used by bookings too). */
  async priceWindow(facility: Facility, window: TimeWindow, kind: SpaceKind | null): Promise<Quote> {
    const byKind = await this.byKind(facility.id, window, await this.sensorBlocked(facility.id, window));
    const counts = kind ? [byKind[kind] ?? { total: 0, free: 0 }] : Object.values(byKind);
    const total = counts.reduce((a, c) => a + c.total, 0);
    const free = counts.reduce((a, c) => a + c.free, 0);
    return quotePrice(facility, window, kind, occupancyOf(total - free, total));
  }

  /** A window that is empty, reversed, in the past or too far ahead. */
  checkWindow(w: TimeWindow): BookingError | null {
    const now = this.deps.clock.now().getTime();
    if (!(w.to.getTime() > w.from.getTime())) {
      return bookingError(BookingErrorCode.InvalidWindow, 'the end must be after the start');
    }
    if (w.from.getTime() < now - START_GRACE_MS) {
      return bookingError(BookingErrorCode.InPast, 'the start is in the past');
    }
    if (w.from.getTime() > now + HORIZON_DAYS * 86_400_000) {
      return bookingError(
        BookingErrorCode.InvalidWindow,
        `bookings are taken up to ${HORIZON_DAYS} days ahead`,
      );
    }
    return null;
  }

  /** A stay longer than the facility allows, or outside its opening hours. */
  checkStay(facility: Facility, w: TimeWindow, wholeStay: TimeWindow = w): BookingError | null {
    if (windowMinutes(wholeStay) > facility.maxStayMinutes) {
      return bookingError(
        BookingErrorCode.TooLong,
        `the maximum stay here is ${facility.maxStayMinutes} minutes`,
        {
          maxStayMinutes: facility.maxStayMinutes,
        },
      );
    }
    if (!isOpenThroughout(facility.openingHours, facility.timeZone, w)) {
      return bookingError(
        BookingErrorCode.OutsideOpeningHours,
        `${facility.name} is closed during part of that time`,
        {
          openingHours: facility.openingHours,
          timeZone: facility.timeZone,
        },
      );
    }
    return null;
  }

  /** Spaces that cannot be offered for this window because sensors say they are taken now. */
  async sensorBlocked(facilityId: string, window: TimeWindow): Promise<ReadonlySet<string>> {
    return includesNow(window, this.deps.clock.now())
      ? this.deps.occupancy.unavailableNow(facilityId)
      : new Set();
  }

  private async byKind(facilityId: string, window: TimeWindow, blocked: ReadonlySet<string>) {
    const counts = await this.deps.facilities.countsByKind([facilityId], window, this.deps.clock.now(), [
      ...blocked,
    ]);
    return availabilityByKind(counts.get(facilityId) ?? []);
  }
}

const availabilityByKind = (counts: readonly KindCount[]): Partial<Record<SpaceKind, KindAvailability>> =>
  Object.fromEntries(counts.map((c) => [c.kind, { total: c.total, free: c.total - c.taken }]));
