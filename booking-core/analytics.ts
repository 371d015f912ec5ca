// Operator analytics: occupancy, bookings, revenue and conversations over time buckets.
// The sums run in PostgreSQL (storage/prisma-analytics.repository.ts); this file holds the
// shapes, the limits on a query and the CSV form every figure can also be read as.

export const BUCKETS = ['hour', 'day'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface AnalyticsQuery {
  readonly from: Date;
  readonly to: Date;
  readonly facilityId?: string;
  readonly bucket: Bucket;
}

/** Average occupied spaces over each bucket (time-weighted), per space kind, beside the capacity. */
export interface OccupancyPoint {
  readonly bucket: Date;
  readonly kind: string;
  readonly capacity: number;
  readonly occupiedAvg: number;
}

export interface BookingsPoint {
  readonly bucket: Date;
  /** the channel the booking came through ("web", "telegram", …; "api" when not from a chat) */
  readonly channel: string;
  readonly bookings: number;
}

export interface BookingsSummary {
  readonly bookings: number;
  /** booked stay of confirmed, active and completed bookings starting in the period */
  readonly averageStayMinutes: number | null;
  /** ended confirmed/completed bookings on a space with a sensor that never saw a car */
  readonly noShows: number;
  /** ended confirmed/completed bookings on a space with a sensor (the no-shows' denominator) */
  readonly noShowsChecked: number;
}

export interface RevenuePoint {
  readonly bucket: Date;
  readonly currency: string;
  readonly paidMinor: number;
  readonly refundedMinor: number;
  readonly netMinor: number;
}

export interface ConversationsPoint {
  readonly bucket: Date;
  readonly conversations: number;
  readonly handoffs: number;
}

export interface ConversationsSummary {
  readonly conversations: number;
  /** conversations where the driver asked to book (NLU intent "book" recorded on the turn) */
  readonly bookingAsked: number;
  /** conversations that held a space */
  readonly held: number;
  /** conversations whose booking was paid */
  readonly paid: number;
  /** understood turns and the share of them the NLU could not place (null: none recorded) */
  readonly nluTurns: number;
  readonly nluFallbackRate: number | null;
  readonly handoffs: number;
  readonly medianWaitSeconds: number | null;
  /** mean of the drivers' 1–5 ratings (null: none) */
  readonly csat: number | null;
  readonly ratings: number;
}

export interface AnalyticsRepository {
  occupancy(q: AnalyticsQuery): Promise<OccupancyPoint[]>;
  bookings(q: AnalyticsQuery, now: Date): Promise<{ series: BookingsPoint[]; summary: BookingsSummary }>;
  revenue(q: AnalyticsQuery): Promise<RevenuePoint[]>;
  conversations(q: AnalyticsQuery): Promise<{ series: ConversationsPoint[]; summary: ConversationsSummary }>;
}

/** The longest period one query may cover, per bucket (hourly buckets: 93 days; daily: 3 years). */
export const MAX_BUCKETS: Readonly<Record<Bucket, number>> = { hour: 93 * 24, day: 3 * 366 };
export const BUCKET_MS: Readonly<Record<Bucket, number>> = { hour: 3_600_000, day: 86_400_000 };

/** Why a query is refused, or null when it is fine. */
export function analyticsQueryProblem(q: AnalyticsQuery): string | null {
  if (!(q.to > q.from)) return 'to must be after from';
  const buckets = Math.ceil((q.to.getTime() - q.from.getTime()) / BUCKET_MS[q.bucket]);
  if (buckets > MAX_BUCKETS[q.bucket])
    return `at most ${MAX_BUCKETS[q.bucket]} ${q.bucket} buckets per query: shorten the period or use bucket=day`;
  return null;
}

/** Analytics over the platform's records; every figure is computed by the database. */
export class AnalyticsService {
  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}
  occupancy(q: AnalyticsQuery) {
    return this.repo.occupancy(q);
  }
  bookings(q: AnalyticsQuery) {
    return this.repo.bookings(q, this.clock.now());
  }
  revenue(q: AnalyticsQuery) {
    return this.repo.revenue(q);
  }
  conversations(q: AnalyticsQuery) {
    return this.repo.conversations(q);
  }
}

const csvCell = (v: unknown): string => {
  const s = v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v);
  // Quote when needed; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Rows → RFC 4180 CSV with a header line, in the order of `columns`. */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
