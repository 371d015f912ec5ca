import { Prisma } from '../../prisma/generated/client.ts';

/** A half-open UTC time range [from, to). */
export interface Window {
  readonly from: Date;
  readonly to: Date;
}

const STEP = { hour: '1 hour', day: '1 day' } as const;

/**
 * The UTC buckets covering a window as a CTE `buckets(bucket, bucket_end)`: `generate_series`
 * over `date_trunc`, so empty buckets are present too.
 */
export const bucketsCte = (w: Window, bucket: 'hour' | 'day') => Prisma.sql`
  buckets AS (
    SELECT g AS bucket, g + ${STEP[bucket]}::interval AS bucket_end
    FROM generate_series(
      date_trunc(${bucket}, ${w.from}::timestamptz, 'UTC'),
      ${w.to}::timestamptz - interval '1 millisecond',
      ${STEP[bucket]}::interval) AS g)`;

export const facilityIs = (column: Prisma.Sql, facilityId: string | undefined) =>
  facilityId ? Prisma.sql`AND ${column} = ${facilityId}::uuid` : Prisma.empty;

/**
 * CTEs ending in `occupied(facility_id, space_id, kind, s_at, e_at)`: each space's occupied
 * stretches clipped to the window. A space's state at the window's start is its last change
 * before it (found through the (space_id, at) index), however old; a stretch lasts until the
 * space's next change of any state.
 */
export const occupiedCte = (w: Window, facilityId?: string) => Prisma.sql`
  history AS (
    SELECT space_id, state, at, id FROM occupancy_change
    WHERE at >= ${w.from}::timestamptz AND at < ${w.to}::timestamptz
      ${facilityIs(Prisma.sql`facility_id`, facilityId)}
    UNION ALL
    SELECT sp.id, before.state, before.at, before.id
    FROM space sp CROSS JOIN LATERAL (
      SELECT state, at, id FROM occupancy_change oc
      WHERE oc.space_id = sp.id AND oc.at < ${w.from}::timestamptz
      ORDER BY oc.at DESC, oc.id DESC LIMIT 1) before
    WHERE true ${facilityIs(Prisma.sql`sp.facility_id`, facilityId)}),
  changes AS (
    SELECT space_id, state, at, lead(at) OVER (PARTITION BY space_id ORDER BY at, id) AS until
    FROM history),
  occupied AS MATERIALIZED (
    SELECT s.facility_id, c.space_id, s.kind::text AS kind,
           greatest(c.at, ${w.from}::timestamptz) AS s_at,
           least(coalesce(c.until, ${w.to}::timestamptz), ${w.to}::timestamptz) AS e_at
    FROM changes c JOIN space s ON s.id = c.space_id
    WHERE c.state = 'occupied' AND coalesce(c.until, ${w.to}::timestamptz) > ${w.from}::timestamptz)`;

/**
 * Occupied seconds per bucket (`bucket`), kind and whatever else `by` names, from `occupied` (o):
 * each stretch is spread over the few buckets it spans (generate_series per stretch), which stays
 * linear in the number of stretches however long the period.
 */
export const occupiedSecondsBy = (bucket: 'hour' | 'day', by: Prisma.Sql = Prisma.empty) => Prisma.sql`
  SELECT b AS bucket, o.kind ${by}, sum(extract(epoch FROM
           least(o.e_at, b + ${STEP[bucket]}::interval) - greatest(o.s_at, b)))::float8 AS seconds
  FROM occupied o CROSS JOIN LATERAL generate_series(
    date_trunc(${bucket}, o.s_at, 'UTC'), o.e_at - interval '1 millisecond', ${STEP[bucket]}::interval) b
  GROUP BY b, o.kind ${by}`;
