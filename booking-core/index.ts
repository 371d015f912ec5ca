// booking-core: facilities, spaces, availability, pricing, holds and bookings.
// It knows nothing of chat, channels or MQTT; storage is PostgreSQL (or PGlite) through Prisma.

// Commonly used
export { BookingService, normalisePlate, type HoldRequest, type HoldOutcome } from './booking-service.ts';
export {
  FacilityService,
  type Availability,
  type FacilitySummary,
  type KindAvailability,
} from './facility-service.ts';
export { BookingLifecycle, type LifecycleRun } from './lifecycle.ts';
export { createBookingCore, type BookingCore, type BookingCoreOptions } from './booking-core.ts';
export { BookingErrorCode, StorageError, type BookingError } from './errors.ts';
export { ok, err, type Result } from './result.ts';
export { EventBus, type BookingEvents, type BookingEventName } from './events.ts';
export {
  SPACE_KINDS,
  BOOKING_STATUSES,
  WEEKDAYS,
  actorLabel,
  type Actor,
  type Booking,
  type BookingStatus,
  type Driver,
  type Facility,
  type Money,
  type OpeningHours,
  type Quote,
  type Space,
  type SpaceKind,
  type TimeWindow,
} from './types.ts';
export {
  systemClock,
  noSensorData,
  type Clock,
  type OccupancyView,
  type DriverContact,
  type DriverRepository,
} from './ports.ts';

// Payments: the service, the port providers implement, and the providers
export { PaymentService, type Checkout } from './payments/payment-service.ts';
export { refundPolicy, type RefundPolicy } from './payments/policy.ts';
export {
  PAYMENT_STATUSES,
  GatewayUnavailableError,
  WebhookVerificationError,
  type Payment,
  type PaymentStatus,
  type PaymentPurpose,
  type PaymentEvent,
  type PaymentEventOutcome,
  type PaymentGateway,
  type CheckoutRequest,
  type RefundRequest,
  type Refund,
} from './payments/types.ts';
export { StripeGateway, type StripeSettings } from './payments/stripe.ts';
export { PayPalGateway, type PayPalSettings } from './payments/paypal.ts';
export { TestCheckoutGateway } from './payments/test-checkout.ts';

// Notifications: scheduled from booking events, sent once through the channels' sender
export { NotificationService } from './notifications/notification-service.ts';
export {
  NOTIFICATION_KINDS,
  REMINDER_KINDS,
  type Notification,
  type NotificationKind,
  type NotificationSender,
  type NotificationStatus,
} from './notifications/types.ts';

// Analytics and forecasts for operators
export {
  AnalyticsService,
  BUCKETS,
  analyticsQueryProblem,
  toCsv,
  type AnalyticsQuery,
  type Bucket,
  type BookingsPoint,
  type BookingsSummary,
  type ConversationsPoint,
  type ConversationsSummary,
  type OccupancyPoint,
  type RevenuePoint,
} from './analytics.ts';
export {
  ForecastService,
  forecastOccupancy,
  DEFAULT_FORECAST,
  FORECAST_MAX_HOURS,
  type ForecastInput,
  type ForecastPoint,
  type ForecastSettings,
  type HourlyObservation,
  type KindForecast,
} from './forecast.ts';

export {
  RetentionService,
  DEFAULT_RETENTION,
  cutoffsAt,
  type RetentionSettings,
  type RetentionRun,
  type RollupRun,
} from './retention.ts';

// Advanced: pricing rules, storage and migrations
export { demandMultiplier, quotePrice, MAX_MULTIPLIER } from './pricing.ts';
export { isOpenThroughout, isOpeningTime, describeDay } from './opening-hours.ts';
export { localTime, type LocalTime } from './local-time.ts';
export { distanceKm } from './geo.ts';
export { openDatabase, type Database, type DatabaseKind, type DatabaseOptions } from './storage/database.ts';
export {
  applyMigrations,
  pendingMigrations,
  loadMigrations,
  type MigrationReport,
} from './storage/migrate.ts';
