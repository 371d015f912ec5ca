import { BookingLifecycle } from './lifecycle.ts';
import { BookingService } from './booking-service.ts';
import { EventBus, type BookingEvents } from './events.ts';
import { FacilityService } from './facility-service.ts';
import { CachedFacilityRepository } from './cached-facilities.ts';
import { FacilitySnapshots } from './facility-snapshots.ts';
import { noSensorData, systemClock, type Clock, type DriverRepository, type OccupancyView } from './ports.ts';
import type { Database } from './storage/database.ts';
import { PrismaBookingRepository } from './storage/prisma-booking.repository.ts';
import { PrismaDriverRepository } from './storage/prisma-driver.repository.ts';
import { PrismaFacilityRepository } from './storage/prisma-facility.repository.ts';
import { PrismaPaymentRepository } from './storage/prisma-payment.repository.ts';
import { PaymentService } from './payments/payment-service.ts';
import { NotificationService } from './notifications/notification-service.ts';
import { PrismaNotificationRepository } from './storage/prisma-notification.repository.ts';
import type { PaymentGateway } from './payments/types.ts';
import { AnalyticsService } from './analytics.ts';
import { bookedByHour, PrismaAnalyticsRepository } from './storage/prisma-analytics.repository.ts';
import { ForecastService } from './forecast.ts';
import { DEFAULT_RETENTION, RetentionService, type RetentionSettings } from './retention.ts';
import { PrismaMaintenanceRepository } from './storage/prisma-maintenance.repository.ts';

export interface BookingCoreOptions {
  readonly db: Database;
  readonly occupancy?: OccupancyView;
  readonly clock?: Clock;
  /** minutes an unconfirmed hold lasts (default 15) */
  readonly holdMinutes?: number;
  readonly onError?: (error: unknown) => void;
  /** days each kind of record is kept (default: transactional 7 years, operational 90 days) */
  readonly retention?: Partial<RetentionSettings>;
  readonly payments?: {
    /** in order of preference; the next is tried when one is unavailable */
    readonly gateways: readonly PaymentGateway[];
    /** full refund up to this many hours before the start (default 24) */
    readonly refundFullHours?: number;
    /** where providers send the payer back */
    readonly returnUrls: (paymentId: string) => { success: string; cancel: string };
  };
}

export interface BookingCore {
  readonly facilities: FacilityService;
  readonly bookings: BookingService;
  readonly drivers: DriverRepository;
  readonly lifecycle: BookingLifecycle;
  readonly events: EventBus<BookingEvents>;
  readonly payments: PaymentService;
  readonly notifications: NotificationService;
  /** the operators' figures: occupancy, bookings, revenue, conversations */
  readonly analytics: AnalyticsService;
  /** expected free spaces per car park, kind and hour */
  readonly forecasts: ForecastService;
  /** periodic roll-ups of the history into hourly aggregates, and deletion past retention */
  readonly retention: RetentionService;
}

/**
 * Builds booking-core's services on an open database.
 *
 *   const core = createBookingCore({ db, holdMinutes: 15 });
 *   const quote = await core.facilities.quote(facilityId, { from, to }, 'ev');
 */
export function createBookingCore(o: BookingCoreOptions): BookingCore {
  const onError = o.onError ?? (() => {});
  const clock = o.clock ?? systemClock;
  const events = new EventBus<BookingEvents>((_event, e) => onError(e));
  // names, zones, hours and rates from memory; what decides a booking is read live (see the class)
  const facilityRepo = new CachedFacilityRepository(new PrismaFacilityRepository(o.db.prisma, o.db.sql));
  const bookingRepo = new PrismaBookingRepository(o.db.prisma, o.db.sql);
  const facilities = new FacilityService({
    facilities: facilityRepo,
    occupancy: o.occupancy ?? noSensorData,
    clock,
  });
  const bookings = new BookingService({
    facilities: facilityRepo,
    snapshots: new FacilitySnapshots(facilityRepo),
    pricing: facilities,
    bookings: bookingRepo,
    events,
    clock,
    holdMinutes: o.holdMinutes ?? 15,
  });
  const payments = new PaymentService({
    payments: new PrismaPaymentRepository(o.db.prisma, o.db.sql),
    bookings: bookingRepo,
    bookingService: bookings,
    facilities: facilityRepo,
    gateways: o.payments?.gateways ?? [],
    events,
    clock,
    holdMinutes: o.holdMinutes ?? 15,
    refundFullHours: o.payments?.refundFullHours ?? 24,
    returnUrls: o.payments?.returnUrls ?? (() => ({ success: 'about:blank', cancel: 'about:blank' })),
    onError: (e) => onError(e),
  });
  const lifecycle = new BookingLifecycle({
    service: bookings,
    bookings: bookingRepo,
    events,
    clock,
    onError,
    payments,
  });
  const notifications = new NotificationService({
    repo: new PrismaNotificationRepository(o.db.prisma, o.db.sql),
    bookings: bookingRepo,
    clock,
    onError: (e) => onError(e),
  });
  notifications.attach(events);
  const analyticsRepo = new PrismaAnalyticsRepository(o.db.prisma);
  return {
    facilities,
    bookings,
    drivers: new PrismaDriverRepository(o.db.prisma, o.db.sql),
    lifecycle,
    events,
    payments,
    notifications,
    analytics: new AnalyticsService(analyticsRepo, clock),
    retention: new RetentionService({
      repo: new PrismaMaintenanceRepository(o.db.prisma),
      clock,
      settings: { ...DEFAULT_RETENTION, ...o.retention },
      onError,
    }),
    forecasts: new ForecastService({
      clock,
      sources: {
        occupancyHistory: (facilityId, from, to) =>
          analyticsRepo.occupancy({ facilityId, from, to, bucket: 'hour' }),
        bookedByHour: (facilityId, from, to) => bookedByHour(o.db.prisma, facilityId, from, to),
        facility: async (facilityId) => {
          const f = await facilityRepo.get(facilityId);
          if (!f) return null;
          const capacity = new Map<string, number>();
          for (const sp of await facilityRepo.spaces(facilityId))
            capacity.set(sp.kind, (capacity.get(sp.kind) ?? 0) + 1);
          return { timeZone: f.timeZone, capacity };
        },
      },
    }),
  };
}
