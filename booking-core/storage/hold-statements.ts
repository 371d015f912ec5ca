import { BOOKING_COLUMN_LIST } from './booking-rows.ts';

/** What a hold asks for: exactly one space, any space of a kind, or any space at all. */
export type HoldTarget = 'space' | 'kind' | 'any';

export const HOUR_MS = 3_600_000;

/** A window from one whole UTC hour to another, which the hourly bitmaps answer exactly. */
export const isWholeHours = (from: Date, to: Date): boolean =>
  from.getTime() % HOUR_MS === 0 && to.getTime() % HOUR_MS === 0;

// Parameters of both statements:
// $1 facility, $2 facility version (xmin), $3 space or null, $4 kind or null, $5 sensor-blocked
// spaces, $6..$7 window, $8 asOf, $9 reference, $10 driver, $11 plate, $12 currency, $13 pricing,
// $14 hold expiry, $15 idempotency key, $16 request hash, $17 actor, $18..$19 price steps,
// $20 comparable spaces the caller assumed.

const WINDOW = `tstzrange($6::timestamptz, $7::timestamptz, '[)')`;
const LIVE = `('held', 'confirmed', 'active')`;

/**
 * True when space `id` has a booking in the window that counts as taken (a lapsed hold does not).
 * A scalar subquery, not EXISTS: it stays a per-space probe of `booking_no_overlap`'s index
 * instead of becoming a join that reads the whole window, whatever the statistics say.
 */
const countingBookingOf = (id: string) => `coalesce((
  SELECT true FROM booking cb WHERE cb.space_id = ${id} AND cb.status IN ${LIVE}
    AND (cb.status <> 'held' OR cb.hold_expires_at > $8::timestamptz)
    AND tstzrange(cb.starts_at, cb.ends_at, '[)') && ${WINDOW} LIMIT 1), false)`;

/** True when space `id` has a live booking in the window (lapsed holds too): the same kind of probe. */
const liveBookingOf = (id: string) => `coalesce((
  SELECT true FROM booking lb WHERE lb.space_id = ${id} AND lb.status IN ${LIVE}
    AND tstzrange(lb.starts_at, lb.ends_at, '[)') && ${WINDOW} LIMIT 1), false)`;

/**
 * The common end of both statements: given CTEs `demand` (taken, total), `fresh` (ok) and
 * `candidate` (at most one space id), inserts the booking priced for that demand and its audit
 * row unless the idempotency key already has a booking, which it returns instead.
 */
const insertAndAnswer = (lapsedInTheWay: string) => `
  existing AS (SELECT * FROM booking WHERE idempotency_key = $15),
  ins AS (
    INSERT INTO booking (id, reference, driver_id, facility_id, space_id, starts_at, ends_at, plate, status,
      price_minor, currency, pricing, hold_expires_at, idempotency_key, request_hash, updated_at)
    SELECT gen_random_uuid(), $9, $10::uuid, $1::uuid, c.id, $6::timestamptz, $7::timestamptz, $11, 'held',
      (SELECT p.amount FROM unnest($18::int[], $19::int[]) AS p(from_taken, amount)
        WHERE p.from_taken <= d.taken ORDER BY p.from_taken DESC LIMIT 1),
      $12, $13::jsonb || jsonb_build_object('taken', d.taken, 'total', d.total), $14::timestamptz, $15, $16, now()
    FROM candidate c, demand d, fresh f
    WHERE f.ok AND NOT EXISTS (SELECT FROM existing)
    ON CONFLICT DO NOTHING
    RETURNING *),
  ev AS (
    INSERT INTO booking_event (booking_id, action, from_status, to_status, actor, detail)
    SELECT id, 'hold', NULL, 'held', $17, jsonb_build_object('priceMinor', price_minor) FROM ins)
  SELECT f.ok AS fresh, d.taken, d.total, EXISTS (SELECT FROM candidate) AS "hadCandidate",
    NOT EXISTS (SELECT FROM candidate) AND ${lapsedInTheWay} AS "lapsedInTheWay",
    b.inserted, b.request_hash AS "requestHash", b.pricing, ${BOOKING_COLUMN_LIST}
  FROM demand d CROSS JOIN fresh f
  LEFT JOIN (SELECT ins.*, true AS inserted FROM ins UNION ALL SELECT existing.*, false FROM existing) b ON true
  LEFT JOIN space s ON s.id = b.space_id`;

/** The caller's facility snapshot is current: same facility row version, same comparable spaces. */
const FRESH = `
  fresh AS (
    SELECT coalesce((SELECT xmin::text = $2 FROM facility WHERE id = $1::uuid), false) AND d.total = $20::int
      AND ($3::uuid IS NULL OR coalesce(
        (SELECT s.facility_id = $1::uuid AND s.kind = $4::space_kind FROM space s WHERE s.id = $3::uuid), false)) AS ok
    FROM demand d)`;

/**
 * A hold in one statement, for any window. In one snapshot it counts the comparable spaces taken
 * (demand, for the price step) by reading the window's bookings, checks that the caller's facility
 * snapshot is current, picks a free candidate — preferring one no concurrent hold has claimed
 * (SKIP LOCKED), else any free one — and inserts the booking and its audit row.
 * Concurrent writers that pick the same space are serialised by the exclusion constraint
 * `booking_no_overlap`; the loser inserts nothing (DO NOTHING) and the caller tries again.
 */
export const anyWindowHoldStatement = (target: HoldTarget): string => {
  // Each target has its own text, so no plan has to serve them all.
  const ofKind = target === 'any' ? '' : 'AND s.kind = $4::space_kind';
  const onlySpace = target === 'space' ? 'AND s.id = $3::uuid' : '';
  return `
  WITH comparable AS (
    SELECT s.id FROM space s WHERE s.facility_id = $1::uuid ${ofKind}),
  busy AS (
    SELECT b.space_id, (b.status <> 'held' OR b.hold_expires_at > $8::timestamptz) AS counts
    FROM booking b WHERE b.facility_id = $1::uuid AND b.status IN ${LIVE}
      AND tstzrange(b.starts_at, b.ends_at, '[)') && ${WINDOW}),
  counted AS (SELECT space_id AS id FROM busy WHERE counts UNION SELECT unnest($5::uuid[])),
  demand AS (
    SELECT count(*)::int AS total, count(t.id)::int AS taken FROM comparable c LEFT JOIN counted t ON t.id = c.id),
  ${FRESH},
  eligible AS (
    SELECT s.id FROM space s WHERE s.facility_id = $1::uuid ${ofKind} ${onlySpace} AND s.id <> ALL($5::uuid[])),
  free AS (SELECT e.id FROM eligible e WHERE NOT ${liveBookingOf('e.id')}),
  claimed AS (
    SELECT s.id FROM space s WHERE s.facility_id = $1::uuid AND s.id IN (SELECT id FROM free)
    ORDER BY random() LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED),
  candidate AS (
    SELECT id FROM claimed
    UNION ALL (SELECT id FROM free WHERE NOT EXISTS (SELECT FROM claimed) ORDER BY random() LIMIT 1)),
  ${insertAndAnswer('EXISTS (SELECT FROM eligible e WHERE e.id NOT IN (SELECT space_id FROM busy WHERE counts))')}`;
};

/**
 * A hold in one statement for a window of whole UTC hours, with the same answers as
 * `anyWindowHoldStatement` but without reading the window's bookings: demand is the number of
 * comparable spaces set in the window's hourly bitmaps (`booked_hour`, kept by triggers), less the
 * spaces whose only bookings there are lapsed holds, plus sensor-blocked spaces with no booking.
 * A space is free when its bit is clear in every hour of the window (whole hours: exactly when it
 * has no live booking there). An "any space" hold picks a random 64-space chunk with a free bit,
 * then a random free space in it that no concurrent hold has claimed (SKIP LOCKED). The
 * exclusion constraint still decides races.
 */
export const wholeHoursHoldStatement = (target: HoldTarget): string => {
  const ofKind = (alias: string) => (target === 'any' ? '' : `AND ${alias}.kind = $4::space_kind`);
  const candidate =
    target === 'space'
      ? `
  candidate AS (
    SELECT $3::uuid AS id FROM chunks c, (SELECT ordinal FROM space WHERE id = $3::uuid) t
    WHERE c.chunk = space_chunk(t.ordinal) AND (c.mask & ~c.busy & ~c.blocked) & space_bit(t.ordinal) <> 0),`
      : `
  free_chunk AS (
    SELECT chunk, mask & ~busy & ~blocked AS free FROM chunks
    WHERE mask & ~busy & ~blocked <> 0 ORDER BY random() LIMIT 1),
  free AS (
    SELECT (SELECT s.id FROM space s WHERE s.facility_id = $1::uuid AND s.ordinal = space_ordinal(f.chunk, i)) AS id
    FROM free_chunk f, generate_series(0, 63) AS i WHERE f.free & (1::bigint << i) <> 0),
  claimed AS (
    SELECT s.id FROM space s WHERE s.id IN (SELECT id FROM free)
    ORDER BY random() LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED),
  candidate AS (
    SELECT id FROM claimed
    UNION ALL (SELECT id FROM free WHERE NOT EXISTS (SELECT FROM claimed) ORDER BY random() LIMIT 1)),`;
  const lapsedInTheWay =
    target === 'space'
      ? `EXISTS (SELECT FROM lapsed WHERE id = $3::uuid)`
      : `EXISTS (SELECT FROM lapsed WHERE id <> ALL($5::uuid[]))`;
  return `
  WITH blocked_spaces AS (SELECT id, facility_id, kind, ordinal FROM space WHERE id = ANY($5::uuid[]) OFFSET 0),
  -- Per 64-space chunk with comparable spaces: which are comparable, booked in some hour of the
  -- window, and blocked by a sensor.
  chunks AS (
    SELECT chunk, bit_or(mask) AS mask, bit_or(busy) AS busy, bit_or(blocked) AS blocked FROM (
      SELECT chunk, mask, 0::bigint AS busy, 0::bigint AS blocked FROM space_kind_mask k
      WHERE k.facility_id = $1::uuid ${ofKind('k')}
      UNION ALL
      SELECT chunk, 0, busy, 0 FROM booked_hour
      WHERE facility_id = $1::uuid AND hour >= $6::timestamptz AND hour < $7::timestamptz
      UNION ALL
      SELECT space_chunk(ordinal), 0, 0, space_bit(ordinal) FROM blocked_spaces WHERE facility_id = $1::uuid
    ) AS bits GROUP BY chunk HAVING bit_or(mask) <> 0),
  -- Lapsed holds not swept yet, in every facility: few, and found by their expiry (OFFSET 0 keeps
  -- the window and facility tests outside, so no plan reads the window's bookings instead).
  lapsed_holds AS (
    SELECT space_id, facility_id, starts_at, ends_at FROM booking
    WHERE status = 'held' AND hold_expires_at <= $8::timestamptz OFFSET 0),
  lapsed AS (
    SELECT DISTINCT l.space_id AS id FROM lapsed_holds l JOIN space s ON s.id = l.space_id
    WHERE l.facility_id = $1::uuid AND tstzrange(l.starts_at, l.ends_at, '[)') && ${WINDOW} ${ofKind('s')}
      AND NOT ${countingBookingOf('l.space_id')}),
  blocked_free AS (
    SELECT s.id FROM blocked_spaces s WHERE s.facility_id = $1::uuid ${ofKind('s')}
      AND NOT ${countingBookingOf('s.id')}),
  demand AS (
    SELECT coalesce(sum(bit_count(mask::bit(64))), 0)::int AS total,
      (coalesce(sum(bit_count((mask & busy)::bit(64))), 0)
        - (SELECT count(*) FROM lapsed) + (SELECT count(*) FROM blocked_free))::int AS taken
    FROM chunks),
  ${FRESH},${candidate}
  ${insertAndAnswer(lapsedInTheWay)}`;
};
