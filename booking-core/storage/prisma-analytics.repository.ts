import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import {
  bucketsCte as bucketsOf,
  facilityIs as facilityOf,
  occupiedCte,
  occupiedSecondsBy,
  type Window,
} from './occupancy-sql.ts';
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

const bucketsCte = (q: AnalyticsQuery) => bucketsOf(q, q.bucket);
const facilityIs = (column: Prisma.Sql, q: AnalyticsQuery) => facilityOf(column, q.facilityId);
const HOUR_MS = BUCKET_MS.hour;
const floorTo = (t: number, ms: number) => Math.floor(t / ms) * ms;

/** Analytics in PostgreSQL (or PGlite): time buckets over indexed timestamp columns. */
export class PrismaAnalyticsRepository implements AnalyticsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Whole hours already rolled up (occupancy_hourly) are read from the roll-up; only the rest —
   * the current hour, and a partial hour at either end of the period — from the detailed history.
   */
  async occupancy(q: AnalyticsQuery): Promise<OccupancyPoint[]> {
    const [kinds, rolledUntil] = await Promise.all([
      this.prisma.$queryRaw<Array<{ kind: string; capacity: number }>>`
        SELECT kind::text AS kind, count(*)::int AS capacity FROM space
        WHERE true ${facilityIs(Prisma.sql`facility_id`, q)}
        GROUP BY kind ORDER BY kind`,
      this.watermark('occupancy-rollup'),
    ]);
    const from = q.from.getTime();
    const to = q.to.getTime();
    const rollFrom = Math.ceil(from / HOUR_MS) * HOUR_MS;
    const rollTo = Math.min(floorTo(to, HOUR_MS), rolledUntil?.getTime() ?? -Infinity);
    const seconds = new Map<string, number>();
    const add = (rows: Array<{ bucket: Date; kind: string; seconds: number }>) => {
      for (const r of rows) {
        const key = `${new Date(r.bucket).getTime()}|${r.kind}`;
        seconds.set(key, (seconds.get(key) ?? 0) + r.seconds);
      }
    };
    if (rollTo > rollFrom) {
      add(await this.rolledOccupancy(q, { from: new Date(rollFrom), to: new Date(rollTo) }));
      if (from < rollFrom) add(await this.detailedOccupancy(q, { from: q.from, to: new Date(rollFrom) }));
      if (rollTo < to) add(await this.detailedOccupancy(q, { from: new Date(rollTo), to: q.to }));
    } else add(await this.detailedOccupancy(q, q));
    const size = BUCKET_MS[q.bucket];
    const out: OccupancyPoint[] = [];
    for (let b = floorTo(from, size); b < to; b += size)
      for (const k of kinds)
        out.push({
          bucket: new Date(b),
          kind: k.kind,
          capacity: k.capacity,
          occupiedAvg: round((seconds.get(`${b}|${k.kind}`) ?? 0) / (size / 1000), 3),
        });
    return out;
  }

  /** Occupied seconds per bucket and kind from the detailed history, over part of the period. */
  private detailedOccupancy(q: AnalyticsQuery, w: Window) {
    return this.prisma.$queryRaw<Array<{ bucket: Date; kind: string; seconds: number }>>`
      WITH ${occupiedCte(w, q.facilityId)} ${occupiedSecondsBy(q.bucket)}`;
  }

  /** Occupied seconds per bucket and kind from the hourly roll-up, over whole hours. */
  private rolledOccupancy(q: AnalyticsQuery, w: Window) {
    return this.prisma.$queryRaw<Array<{ bucket: Date; kind: string; seconds: number }>>`
      SELECT date_trunc(${q.bucket}, hour, 'UTC') AS bucket, kind, sum(occupied_seconds)::float8 AS seconds
      FROM occupancy_hourly
      WHERE hour >= ${w.from}::timestamptz AND hour < ${w.to}::timestamptz
        ${facilityIs(Prisma.sql`facility_id`, q)}
      GROUP BY 1, 2`;
  }

  private async watermark(job: string): Promise<Date | null> {
    const [row] = await this.prisma.$queryRaw<Array<{ doneUntil: Date | null }>>`
      SELECT done_until AS "doneUntil" FROM maintenance_state WHERE job = ${job}`;
    return row?.doneUntil ? new Date(row.doneUntil) : null;
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
        WHERE p.ends_at <= ${now}::timestamptz AND p.status IN ('confirmed', 'completed')
          -- only while the sensors' history of the stay is kept (see the retention settings)
          AND p.starts_at >= coalesce(
            (SELECT done_until FROM maintenance_state WHERE job = 'retention'), '-infinity'::timestamptz))
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
    // The funnel follows conversations started in the period. With a car park, every step counts
    // only conversations about it: one whose bot noted that car park on a turn (named, or the
    // booking under way), or that held a booking there. NLU turns whose transcripts are past
    // their retention come from the hourly roll-up.
    const about = q.facilityId
      ? Prisma.sql`AND (EXISTS (SELECT 1 FROM transcript_message t
            WHERE t.conversation_id = c.id AND t.payload->'nlu'->>'facilityId' = ${q.facilityId})
          OR EXISTS (SELECT 1 FROM booking_contact bc JOIN booking b ON b.id = bc.booking_id
            WHERE bc.address = c.id::text AND b.facility_id = ${q.facilityId}::uuid))`
      : Prisma.empty;
    const series = await this.prisma.$queryRaw<
      Array<{ bucket: Date; conversations: number; handoffs: number }>
    >`
      WITH ${bucketsCte(q)}
      SELECT bk.bucket,
        (SELECT count(*)::int FROM conversation c
          WHERE c.created_at >= bk.bucket AND c.created_at < bk.bucket_end
            AND c.created_at >= ${q.from}::timestamptz AND c.created_at < ${q.to}::timestamptz ${about}) AS conversations,
        (SELECT count(*)::int FROM handoff_request h
          WHERE h.created_at >= bk.bucket AND h.created_at < bk.bucket_end
            AND h.created_at >= ${q.from}::timestamptz AND h.created_at < ${q.to}::timestamptz) AS handoffs
      FROM buckets bk ORDER BY bk.bucket`;
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
        SELECT c.id FROM conversation c
        WHERE c.created_at >= ${q.from}::timestamptz AND c.created_at < ${q.to}::timestamptz ${about}),
      held AS (
        SELECT DISTINCT bc.address, b.id AS booking_id
        FROM booking_contact bc JOIN booking b ON b.id = bc.booking_id
        WHERE bc.address IN (SELECT id::text FROM conv) ${facilityIs(Prisma.sql`b.facility_id`, q)}),
      nlu AS (
        SELECT t.conversation_id, t.payload->'nlu'->>'intent' AS intent,
               (t.payload->'nlu'->>'fallback')::boolean AS fallback
        FROM transcript_message t
        WHERE t.at >= ${q.from}::timestamptz AND t.at < ${q.to}::timestamptz AND t.payload ? 'nlu'),
      rolled AS (
        SELECT coalesce(sum(turns), 0)::int AS turns, coalesce(sum(fallbacks), 0)::int AS fallbacks
        FROM nlu_hourly WHERE hour >= ${q.from}::timestamptz AND hour < ${q.to}::timestamptz),
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
        (SELECT count(*)::int FROM nlu) + (SELECT turns FROM rolled) AS "nluTurns",
        (SELECT count(*)::int FROM nlu WHERE fallback) + (SELECT fallbacks FROM rolled) AS fallbacks,
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
