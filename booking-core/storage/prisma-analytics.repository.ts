import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import {
  BUCKET_MS,
  type AnalyticsQuery,
  type AnalyticsRepository,
  type BookingsPoint,
  type BookingsSummary,
  type ConversationsPoint,
  type ConversationsSummary,
  type OccupancyPoint,
  type RevenuePoint,
} from '../analytics.ts';

/** How far before `from` the occupancy query looks for each space's state at the start. */
const OCCUPANCY_LOOKBACK = '7 days';

const step = (q: AnalyticsQuery) => (q.bucket === 'hour' ? '1 hour' : '1 day');

/**
 * The UTC buckets of a query as a SQL fragment yielding (bucket, bucket_end): `generate_series`
 * over `date_trunc`, so empty buckets are present with zeros.
 */
const bucketsCte = (q: AnalyticsQuery) => Prisma.sql`
  buckets AS (
    SELECT g AS bucket, g + ${step(q)}::interval AS bucket_end
    FROM generate_series(
      date_trunc(${q.bucket}, ${q.from}::timestamptz, 'UTC'),
      ${q.to}::timestamptz - interval '1 millisecond',
      ${step(q)}::interval) AS g)`;

const facilityIs = (column: Prisma.Sql, q: AnalyticsQuery) =>
  q.facilityId ? Prisma.sql`AND ${column} = ${q.facilityId}::uuid` : Prisma.empty;

/** Analytics in PostgreSQL (or PGlite): time buckets over indexed timestamp columns. */
export class PrismaAnalyticsRepository implements AnalyticsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async occupancy(q: AnalyticsQuery): Promise<OccupancyPoint[]> {
    // (least/greatest skip NULLs, hence the FILTER on the outer join's empty side.)
    // Each space's history as intervals [at, next change); the occupied ones, clipped to the
    // period, are spread over the buckets they overlap: occupied seconds / bucket seconds.
    const rows = await this.prisma.$queryRaw<
      Array<{ bucket: Date; kind: string; capacity: number; occupiedSeconds: number | null }>
    >`
      WITH ${bucketsCte(q)},
      changes AS (
        SELECT space_id, state, at,
               lead(at) OVER (PARTITION BY space_id ORDER BY at, id) AS until
        FROM occupancy_change
        WHERE at < ${q.to}::timestamptz
          AND at >= ${q.from}::timestamptz - ${OCCUPANCY_LOOKBACK}::interval
          ${facilityIs(Prisma.sql`facility_id`, q)}),
      occupied AS (
        SELECT c.space_id, s.kind::text AS kind,
               greatest(c.at, ${q.from}::timestamptz) AS s_at,
               least(coalesce(c.until, ${q.to}::timestamptz), ${q.to}::timestamptz) AS e_at
        FROM changes c JOIN space s ON s.id = c.space_id
        WHERE c.state = 'occupied' AND coalesce(c.until, ${q.to}::timestamptz) > ${q.from}::timestamptz),
      kinds AS (
        SELECT kind::text AS kind, count(*)::int AS capacity FROM space
        WHERE true ${facilityIs(Prisma.sql`facility_id`, q)}
        GROUP BY kind)
      SELECT b.bucket, k.kind, k.capacity,
             sum(extract(epoch FROM least(o.e_at, b.bucket_end) - greatest(o.s_at, b.bucket)))
               FILTER (WHERE o.space_id IS NOT NULL)::float8
               AS "occupiedSeconds"
      FROM buckets b CROSS JOIN kinds k
      LEFT JOIN occupied o ON o.kind = k.kind AND o.s_at < b.bucket_end AND o.e_at > b.bucket
      GROUP BY b.bucket, b.bucket_end, k.kind, k.capacity
      ORDER BY b.bucket, k.kind`;
    const seconds = BUCKET_MS[q.bucket] / 1000;
    return rows.map((r) => ({
      bucket: new Date(r.bucket),
      kind: r.kind,
      capacity: r.capacity,
      occupiedAvg: round((r.occupiedSeconds ?? 0) / seconds, 3),
    }));
  }

  async bookings(
    q: AnalyticsQuery,
    now: Date,
  ): Promise<{ series: BookingsPoint[]; summary: BookingsSummary }> {
    const series = await this.prisma.$queryRaw<Array<{ bucket: Date; channel: string; bookings: number }>>`
      WITH ${bucketsCte(q)},
      made AS (
        SELECT b.created_at, coalesce(c.channel, 'api') AS channel
        FROM booking b
        LEFT JOIN booking_contact bc ON bc.booking_id = b.id
        LEFT JOIN conversation c ON c.id::text = bc.address
        WHERE b.created_at >= ${q.from}::timestamptz AND b.created_at < ${q.to}::timestamptz
          ${facilityIs(Prisma.sql`b.facility_id`, q)})
      SELECT bk.bucket, m.channel, count(*)::int AS bookings
      FROM buckets bk JOIN made m ON m.created_at >= bk.bucket AND m.created_at < bk.bucket_end
      GROUP BY bk.bucket, m.channel
      ORDER BY bk.bucket, m.channel`;
    const [s] = await this.prisma.$queryRaw<
      Array<{ bookings: number; avgStay: number | null; noShows: number; checked: number }>
    >`
      WITH period AS (
        SELECT b.id, b.space_id, b.starts_at, b.ends_at, b.status
        FROM booking b
        WHERE b.starts_at >= ${q.from}::timestamptz AND b.starts_at < ${q.to}::timestamptz
          AND b.status IN ('confirmed', 'active', 'completed')
          ${facilityIs(Prisma.sql`b.facility_id`, q)}),
      ended AS (
        SELECT p.*, (
            EXISTS (
              SELECT 1 FROM occupancy_change oc
              WHERE oc.space_id = p.space_id AND oc.state = 'occupied'
                AND oc.at >= p.starts_at AND oc.at < p.ends_at)
            OR coalesce((SELECT oc.state FROM occupancy_change oc
                WHERE oc.space_id = p.space_id AND oc.at < p.starts_at
                ORDER BY oc.at DESC, oc.id DESC LIMIT 1) = 'occupied', false)) AS seen
        FROM period p JOIN sensor se ON se.space_id = p.space_id
        WHERE p.ends_at <= ${now}::timestamptz AND p.status IN ('confirmed', 'completed'))
      SELECT
        (SELECT count(*)::int FROM booking b
          WHERE b.created_at >= ${q.from}::timestamptz AND b.created_at < ${q.to}::timestamptz
          ${facilityIs(Prisma.sql`b.facility_id`, q)}) AS bookings,
        (SELECT avg(extract(epoch FROM ends_at - starts_at) / 60)::float8 FROM period) AS "avgStay",
        (SELECT count(*)::int FROM ended WHERE NOT seen) AS "noShows",
        (SELECT count(*)::int FROM ended) AS checked`;
    return {
      series: series.map((r) => ({ ...r, bucket: new Date(r.bucket) })),
      summary: {
        bookings: s?.bookings ?? 0,
        averageStayMinutes: s?.avgStay === null || s?.avgStay === undefined ? null : round(s.avgStay, 1),
        noShows: s?.noShows ?? 0,
        noShowsChecked: s?.checked ?? 0,
      },
    };
  }

  async revenue(q: AnalyticsQuery): Promise<RevenuePoint[]> {
    // Money in when a payment is paid, out when a refund succeeds; both in their own bucket.
    const rows = await this.prisma.$queryRaw<
      Array<{ bucket: Date; currency: string; paidMinor: number; refundedMinor: number }>
    >`
      WITH ${bucketsCte(q)},
      moves AS (
        SELECT p.paid_at AS at, p.currency, p.amount_minor::bigint AS paid, 0::bigint AS refunded
        FROM payment p JOIN booking b ON b.id = p.booking_id
        WHERE p.paid_at >= ${q.from}::timestamptz AND p.paid_at < ${q.to}::timestamptz
          ${facilityIs(Prisma.sql`b.facility_id`, q)}
        UNION ALL
        SELECT r.updated_at, p.currency, 0, r.amount_minor::bigint
        FROM payment_refund r JOIN payment p ON p.id = r.payment_id JOIN booking b ON b.id = p.booking_id
        WHERE r.status = 'succeeded'
          AND r.updated_at >= ${q.from}::timestamptz AND r.updated_at < ${q.to}::timestamptz
          ${facilityIs(Prisma.sql`b.facility_id`, q)})
      SELECT bk.bucket, m.currency::text AS currency,
             sum(m.paid)::float8 AS "paidMinor", sum(m.refunded)::float8 AS "refundedMinor"
      FROM buckets bk JOIN moves m ON m.at >= bk.bucket AND m.at < bk.bucket_end
      GROUP BY bk.bucket, m.currency
      ORDER BY bk.bucket, m.currency`;
    return rows.map((r) => ({
      bucket: new Date(r.bucket),
      currency: r.currency,
      paidMinor: r.paidMinor,
      refundedMinor: r.refundedMinor,
      netMinor: r.paidMinor - r.refundedMinor,
    }));
  }

  async conversations(
    q: AnalyticsQuery,
  ): Promise<{ series: ConversationsPoint[]; summary: ConversationsSummary }> {
    const series = await this.prisma.$queryRaw<
      Array<{ bucket: Date; conversations: number; handoffs: number }>
    >`
      WITH ${bucketsCte(q)}
      SELECT bk.bucket,
        (SELECT count(*)::int FROM conversation c
          WHERE c.created_at >= bk.bucket AND c.created_at < bk.bucket_end
            AND c.created_at >= ${q.from}::timestamptz AND c.created_at < ${q.to}::timestamptz) AS conversations,
        (SELECT count(*)::int FROM handoff_request h
          WHERE h.created_at >= bk.bucket AND h.created_at < bk.bucket_end
            AND h.created_at >= ${q.from}::timestamptz AND h.created_at < ${q.to}::timestamptz) AS handoffs
      FROM buckets bk ORDER BY bk.bucket`;
    // The funnel follows conversations started in the period; with a facility, held and paid
    // count only bookings at it.
    const [f] = await this.prisma.$queryRaw<
      Array<{
        conversations: number;
        asked: number;
        held: number;
        paid: number;
        nluTurns: number;
        fallbacks: number;
        handoffs: number;
        medianWait: number | null;
        csat: number | null;
        ratings: number;
      }>
    >`
      WITH conv AS (
        SELECT id FROM conversation
        WHERE created_at >= ${q.from}::timestamptz AND created_at < ${q.to}::timestamptz),
      held AS (
        SELECT DISTINCT bc.address, b.id AS booking_id
        FROM booking_contact bc JOIN booking b ON b.id = bc.booking_id
        WHERE bc.address IN (SELECT id::text FROM conv) ${facilityIs(Prisma.sql`b.facility_id`, q)}),
      nlu AS (
        SELECT t.conversation_id, t.payload->'nlu'->>'intent' AS intent,
               (t.payload->'nlu'->>'fallback')::boolean AS fallback
        FROM transcript_message t
        WHERE t.at >= ${q.from}::timestamptz AND t.at < ${q.to}::timestamptz AND t.payload ? 'nlu'),
      hand AS (
        SELECT created_at, taken_at, rating FROM handoff_request
        WHERE created_at >= ${q.from}::timestamptz AND created_at < ${q.to}::timestamptz)
      SELECT
        (SELECT count(*)::int FROM conv) AS conversations,
        (SELECT count(DISTINCT conversation_id)::int FROM nlu
          WHERE intent = 'book_parking' AND conversation_id IN (SELECT id FROM conv)) AS asked,
        (SELECT count(DISTINCT address)::int FROM held) AS held,
        (SELECT count(DISTINCT h.address)::int FROM held h
          WHERE EXISTS (SELECT 1 FROM payment p WHERE p.booking_id = h.booking_id AND p.paid_at IS NOT NULL)) AS paid,
        (SELECT count(*)::int FROM nlu) AS "nluTurns",
        (SELECT count(*)::int FROM nlu WHERE fallback) AS fallbacks,
        (SELECT count(*)::int FROM hand) AS handoffs,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM taken_at - created_at))::float8
          FROM hand WHERE taken_at IS NOT NULL) AS "medianWait",
        (SELECT avg(rating)::float8 FROM hand WHERE rating IS NOT NULL) AS csat,
        (SELECT count(rating)::int FROM hand) AS ratings`;
    const z = (n: number | undefined) => n ?? 0;
    return {
      series: series.map((r) => ({ ...r, bucket: new Date(r.bucket) })),
      summary: {
        conversations: z(f?.conversations),
        bookingAsked: z(f?.asked),
        held: z(f?.held),
        paid: z(f?.paid),
        nluTurns: z(f?.nluTurns),
        nluFallbackRate: f && f.nluTurns > 0 ? round(f.fallbacks / f.nluTurns, 4) : null,
        handoffs: z(f?.handoffs),
        medianWaitSeconds:
          f?.medianWait === null || f?.medianWait === undefined ? null : round(f.medianWait, 1),
        csat: f?.csat === null || f?.csat === undefined ? null : round(f.csat, 2),
        ratings: z(f?.ratings),
      },
    };
  }
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Spaces held or booked during each hour of [from, to), per kind (only hours with any). */
export async function bookedByHour(
  prisma: PrismaClient,
  facilityId: string,
  from: Date,
  to: Date,
): Promise<Array<{ hour: Date; kind: string; booked: number }>> {
  const rows = await prisma.$queryRaw<Array<{ hour: Date; kind: string; booked: number }>>`
    SELECT g AS hour, s.kind::text AS kind, count(DISTINCT b.space_id)::int AS booked
    FROM generate_series(${from}::timestamptz, ${to}::timestamptz - interval '1 millisecond', interval '1 hour') g
    JOIN booking b ON b.facility_id = ${facilityId}::uuid
      AND b.status IN ('held', 'confirmed', 'active')
      AND b.starts_at < g + interval '1 hour' AND b.ends_at > g
      AND b.starts_at < ${to}::timestamptz
    JOIN space s ON s.id = b.space_id
    GROUP BY g, s.kind ORDER BY g`;
  return rows.map((r) => ({ ...r, hour: new Date(r.hour) }));
}
