import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import type { MaintenanceRepository, RetentionCutoffs, RetentionRun, RollupRun } from '../retention.ts';
import { occupiedCte, occupiedSecondsBy } from './occupancy-sql.ts';

type Tx = Prisma.TransactionClient;
const HOUR_MS = 3_600_000;
/** a first run over a long history takes a while: far beyond Prisma's 5-second default */
const LONG = { timeout: 10 * 60_000, maxWait: 60_000 };
const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
const earlier = (a: Date, b: Date | null) => (b && b < a ? b : a);

/** Claims a job's row for this transaction, or null when another instance holds it. */
async function claim(tx: Tx, job: string) {
  const [row] = await tx.$queryRaw<Array<{ doneUntil: Date | null; seenId: string | null }>>`
    SELECT done_until AS "doneUntil", seen_id::text AS "seenId" FROM maintenance_state
    WHERE job = ${job} FOR UPDATE SKIP LOCKED`;
  return row ? { doneUntil: row.doneUntil ? new Date(row.doneUntil) : null, seenId: row.seenId } : null;
}

/** How far a job has got; `settled` waits for a run of it under way to commit first. */
async function watermark(tx: Tx, job: string, settled = false): Promise<Date | null> {
  const [row] = await tx.$queryRaw<Array<{ doneUntil: Date | null }>>`
    SELECT done_until AS "doneUntil" FROM maintenance_state WHERE job = ${job}
    ${settled ? Prisma.sql`FOR SHARE` : Prisma.empty}`;
  return row?.doneUntil ? new Date(row.doneUntil) : null;
}

/** Roll-ups and retention in PostgreSQL (or PGlite); each job runs in one transaction on its claimed row. */
export class PrismaMaintenanceRepository implements MaintenanceRepository {
  constructor(private readonly prisma: PrismaClient) {}

  rollUpOccupancy(until: Date, maxHours: number): Promise<RollupRun> {
    return this.prisma.$transaction(async (tx) => {
      const state = await claim(tx, 'occupancy-rollup');
      if (!state) return { claimed: false, from: null, to: null };
      // Rows added since the last run (by id) and older than the watermark are late readings:
      // their hours are rolled up again — but never before the retention horizon, where the
      // detail they would need is gone.
      const [fresh] = await tx.$queryRaw<Array<{ maxId: string | null; earliest: Date | null }>>`
        SELECT (SELECT max(id) FROM occupancy_change)::text AS "maxId",
               (SELECT min(at) FROM occupancy_change WHERE id > ${state.seenId ?? '0'}::bigint) AS earliest`;
      const horizon = await watermark(tx, 'retention');
      let from = state.doneUntil;
      if (fresh?.earliest) from = earlier(floorHour(new Date(fresh.earliest)), from);
      if (from && horizon && from < horizon) from = horizon;
      const seenId = fresh?.maxId ?? state.seenId;
      const to = from ? new Date(Math.min(until.getTime(), from.getTime() + maxHours * HOUR_MS)) : until;
      if (from && to > from) {
        await tx.$executeRaw`
          DELETE FROM occupancy_hourly WHERE hour >= ${from}::timestamptz AND hour < ${to}::timestamptz`;
        const w = { from, to };
        await tx.$executeRaw`
          INSERT INTO occupancy_hourly (hour, kind, facility_id, occupied_seconds)
          WITH ${occupiedCte(w)} ${occupiedSecondsBy('hour', Prisma.sql`, o.facility_id`)}`;
      }
      const doneUntil = from && to > from ? to : (state.doneUntil ?? until);
      await tx.$executeRaw`
        UPDATE maintenance_state SET done_until = ${doneUntil}::timestamptz, seen_id = ${seenId}::bigint
        WHERE job = 'occupancy-rollup'`;
      return { claimed: true, from: from && to > from ? from : null, to: doneUntil };
    }, LONG);
  }

  deleteExpired(c: RetentionCutoffs): Promise<RetentionRun> {
    return this.prisma.$transaction(async (tx) => {
      const none = { transcripts: 0, occupancy: 0, sensorEvents: 0, audit: 0, payments: 0, bookedHours: 0 };
      const state = await claim(tx, 'retention');
      if (!state) return { claimed: false, deleted: none };
      // Detail goes only once it is rolled up; each space keeps its last change before the
      // cutoffs, which says its state from then on.
      const rolled = (await watermark(tx, 'occupancy-rollup', true)) ?? new Date(0);
      const occupancyCut = earlier(floorHour(c.occupancy), rolled);
      const eventsCut = earlier(floorHour(c.sensorEvents), rolled);
      const keepBefore = occupancyCut > eventsCut ? occupancyCut : eventsCut;
      const [history] = await tx.$queryRaw<Array<{ occupancy: number; events: number }>>`
        WITH gone AS (
          DELETE FROM occupancy_change oc
          WHERE ((oc.source <> 'health' AND oc.at < ${occupancyCut}::timestamptz)
              OR (oc.source = 'health' AND oc.at < ${eventsCut}::timestamptz))
            AND oc.id <> (SELECT l.id FROM occupancy_change l
                          WHERE l.space_id = oc.space_id AND l.at < ${keepBefore}::timestamptz
                          ORDER BY l.at DESC, l.id DESC LIMIT 1)
          RETURNING oc.source)
        SELECT count(*) FILTER (WHERE source <> 'health')::int AS occupancy,
               count(*) FILTER (WHERE source = 'health')::int AS events
        FROM gone`;
      const transcriptsCut = floorHour(c.transcripts);
      await tx.$executeRaw`
        INSERT INTO nlu_hourly (hour, turns, fallbacks)
        SELECT date_trunc('hour', at, 'UTC'), count(*)::int,
               count(*) FILTER (WHERE (payload->'nlu'->>'fallback')::boolean)::int
        FROM transcript_message WHERE at < ${transcriptsCut}::timestamptz AND payload ? 'nlu'
        GROUP BY 1
        ON CONFLICT (hour) DO UPDATE SET turns = nlu_hourly.turns + excluded.turns,
          fallbacks = nlu_hourly.fallbacks + excluded.fallbacks`;
      const transcripts = await tx.$executeRaw`
        DELETE FROM transcript_message WHERE at < ${transcriptsCut}::timestamptz`;
      const audit =
        (await tx.$executeRaw`DELETE FROM booking_event WHERE at < ${c.audit}::timestamptz`) +
        (await tx.$executeRaw`DELETE FROM agent_audit_event WHERE at < ${c.audit}::timestamptz`);
      // An unpaid checkout still open is never deleted; refunds go with their payment.
      const payments =
        (await tx.$executeRaw`
          DELETE FROM payment WHERE created_at < ${c.payments}::timestamptz AND status <> 'pending'`) +
        (await tx.$executeRaw`
          DELETE FROM payment_webhook_event WHERE received_at < ${c.payments}::timestamptz`);
      // The hold bitmaps' past hours: no hold reads them again (an extension only adds hours ahead).
      const bookedHours = await tx.$executeRaw`
        DELETE FROM booked_hour WHERE hour < ${c.bookedHours}::timestamptz`;
      if (!state.doneUntil || keepBefore > state.doneUntil)
        await tx.$executeRaw`
          UPDATE maintenance_state SET done_until = ${keepBefore}::timestamptz WHERE job = 'retention'`;
      return {
        claimed: true,
        deleted: {
          transcripts,
          occupancy: history?.occupancy ?? 0,
          sensorEvents: history?.events ?? 0,
          audit,
          payments,
          bookedHours,
        },
      };
    }, LONG);
  }
}
