import type { Request } from 'express';
import { z } from 'zod';
import {
  analyticsQueryProblem,
  BUCKETS,
  toCsv,
  type AnalyticsQuery,
  type BookingCore,
  FORECAST_MAX_HOURS,
} from '../../booking-core/index.ts';
import { defineRoute, errorBody, type RouteReply } from './route.ts';
import { idParams, instant, spaceKind, uuid } from './schemas.ts';

const DAY_MS = 86_400_000;

export const analyticsQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  facilityId: uuid.optional(),
  bucket: z.enum(BUCKETS).default('hour'),
  format: z.enum(['json', 'csv']).optional(),
});
type AnalyticsParams = z.infer<typeof analyticsQuery>;

const invalid = { description: 'Invalid request (field-level errors)', schema: errorBody };
const at = z.iso.datetime();
const period = {
  from: at,
  to: at,
  bucket: z.enum(BUCKETS),
  facilityId: z.string().nullable(),
};
const csvNote = ' — or CSV of the series with ?format=csv or Accept: text/csv';

/** The period asked for (default: the 24 hours up to now), or why it cannot be. */
function periodOf(q: AnalyticsParams, now: Date): AnalyticsQuery | string {
  const to = q.to ?? (q.from ? new Date(q.from.getTime() + DAY_MS) : now);
  const from = q.from ?? new Date(to.getTime() - DAY_MS);
  const p: AnalyticsQuery = {
    from,
    to,
    bucket: q.bucket,
    ...(q.facilityId ? { facilityId: q.facilityId } : {}),
  };
  return analyticsQueryProblem(p) ?? p;
}

const wantsCsv = (q: AnalyticsParams, req: Request) =>
  q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/i.test(req.get('accept') ?? ''));

const refused = (message: string): RouteReply => ({
  status: 400,
  body: { code: 'REQUEST.INVALID', message, fields: { 'query.to': [message] } },
});

const periodOut = (p: AnalyticsQuery) => ({
  from: p.from.toISOString(),
  to: p.to.toISOString(),
  bucket: p.bucket,
  facilityId: p.facilityId ?? null,
});

/**
 * One analytics endpoint: validates the period, runs the query, answers JSON or CSV.
 * `series` rows become the CSV (bucket as ISO-8601 UTC).
 */
function analyticsRoute<R extends { bucket: Date }, S>(o: {
  path: string;
  summary: string;
  name: string;
  row: z.ZodObject;
  summarySchema?: z.ZodType;
  columns: readonly (keyof R & string)[];
  run: (p: AnalyticsQuery) => Promise<{ series: R[]; summary?: S }>;
}) {
  return defineRoute({
    method: 'get',
    path: o.path,
    summary: o.summary + csvNote,
    query: analyticsQuery,
    responses: {
      200: {
        description: o.summary,
        schema: z.object({
          ...period,
          series: z.array(o.row),
          ...(o.summarySchema ? { summary: o.summarySchema } : {}),
        }),
      },
      400: invalid,
    },
    handler: async ({ query, req }) => {
      const p = periodOf(query, new Date());
      if (typeof p === 'string') return refused(p);
      const { series, summary } = await o.run(p);
      if (wantsCsv(query, req)) {
        const day = p.from.toISOString().slice(0, 10);
        return {
          status: 200,
          body: null,
          headers: { 'Content-Disposition': `attachment; filename="${o.name}-${day}.csv"` },
          text: { type: 'text/csv; charset=utf-8', content: toCsv(series, o.columns) },
        };
      }
      const rows = series.map((r) => ({ ...r, bucket: r.bucket.toISOString() }));
      return { status: 200, body: { ...periodOut(p), series: rows, ...(summary ? { summary } : {}) } };
    },
  });
}

const nullableNumber = z.number().nullable();

/** Operators' figures over time buckets: `GET /analytics/occupancy|bookings|revenue|conversations`. */
export const analyticsRoutes = (core: BookingCore) => [
  analyticsRoute({
    path: '/analytics/occupancy',
    name: 'occupancy',
    summary: 'Average occupied spaces per time bucket and space kind, beside the capacity',
    row: z.object({ bucket: at, kind: z.string(), capacity: z.number(), occupiedAvg: z.number() }),
    columns: ['bucket', 'kind', 'capacity', 'occupiedAvg'],
    run: async (p) => ({ series: await core.analytics.occupancy(p) }),
  }),
  analyticsRoute({
    path: '/analytics/bookings',
    name: 'bookings',
    summary: 'Bookings made per time bucket and channel; average stay and no-shows',
    row: z.object({ bucket: at, channel: z.string(), bookings: z.number() }),
    summarySchema: z.object({
      bookings: z.number(),
      averageStayMinutes: nullableNumber,
      noShows: z.number(),
      noShowsChecked: z.number(),
    }),
    columns: ['bucket', 'channel', 'bookings'],
    run: (p) => core.analytics.bookings(p),
  }),
  analyticsRoute({
    path: '/analytics/revenue',
    name: 'revenue',
    summary: 'Money paid, refunded and net per time bucket and currency (integer minor units)',
    row: z.object({
      bucket: at,
      currency: z.string(),
      paidMinor: z.number(),
      refundedMinor: z.number(),
      netMinor: z.number(),
    }),
    columns: ['bucket', 'currency', 'paidMinor', 'refundedMinor', 'netMinor'],
    run: async (p) => ({ series: await core.analytics.revenue(p) }),
  }),
  analyticsRoute({
    path: '/analytics/conversations',
    name: 'conversations',
    summary:
      'Conversations and handoffs per time bucket; the booking funnel, NLU fallback rate, waits and CSAT',
    row: z.object({ bucket: at, conversations: z.number(), handoffs: z.number() }),
    summarySchema: z.object({
      conversations: z.number(),
      bookingAsked: z.number(),
      held: z.number(),
      paid: z.number(),
      nluTurns: z.number(),
      nluFallbackRate: nullableNumber,
      handoffs: z.number(),
      medianWaitSeconds: nullableNumber,
      csat: nullableNumber,
      ratings: z.number(),
    }),
    columns: ['bucket', 'conversations', 'handoffs'],
    run: (p) => core.analytics.conversations(p),
  }),
];

const forecastQuery = z
  .object({ from: instant.optional(), to: instant.optional(), kind: spaceKind.optional() })
  .refine((w) => !w.from || !w.to || w.to > w.from, { path: ['to'], message: 'must be after from' })
  .refine((w) => !w.from || !w.to || w.to.getTime() - w.from.getTime() <= FORECAST_MAX_HOURS * 3_600_000, {
    path: ['to'],
    message: `at most ${FORECAST_MAX_HOURS} hours after from`,
  });

const forecastHour = z.object({
  hour: at,
  expectedOccupied: z.number(),
  expectedFree: z.number(),
  probabilityFree: z.number().min(0).max(1),
});

/** `GET /facilities/:id/forecast`: expected free spaces per kind, hour by hour (default: the next 7 days). */
export const forecastRoutes = (core: BookingCore) => [
  defineRoute({
    method: 'get',
    path: '/facilities/:id/forecast',
    summary:
      'Expected free spaces and the chance of at least one free, per space kind and hour (default: next 7 days)',
    params: idParams,
    query: forecastQuery,
    responses: {
      200: {
        description: 'The forecast',
        schema: z.object({
          facilityId: z.string(),
          from: at,
          to: at,
          kinds: z.array(z.object({ kind: z.string(), capacity: z.number(), hours: z.array(forecastHour) })),
        }),
      },
      400: invalid,
      404: { description: 'No such facility', schema: errorBody },
    },
    handler: async ({ params, query }) => {
      const f = await core.forecasts.forecast(params.id, {
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
      });
      if (!f) return { status: 404, body: { code: 'FACILITY.NOT_FOUND', message: 'no such facility' } };
      return {
        status: 200,
        body: {
          facilityId: params.id,
          from: f.from.toISOString(),
          to: f.to.toISOString(),
          kinds: f.kinds.map((k) => ({
            ...k,
            hours: k.hours.map((h) => ({ ...h, hour: h.hour.toISOString() })),
          })),
        },
      };
    },
  }),
];
