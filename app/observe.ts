import type { BookingCore, Database } from '../booking-core/index.ts';
import type { HandoffDesk } from '../support/index.ts';
import type { Metrics } from './metrics.ts';
import type { Logger } from './logger.ts';

const BOOKING_CHANGES = [
  'held',
  'confirmed',
  'cancelled',
  'extended',
  'expired',
  'activated',
  'completed',
] as const;

/**
 * Counts what booking-core does: every booking change (from its events, whoever caused it) and
 * every attempt to hold a space with its outcome (held, or the refusal's code) — chat and REST
 * alike — and every payment outcome. Changes are logged at debug with the booking's id.
 */
export function observeBookingCore(core: BookingCore, metrics: Metrics, logger: Logger): void {
  for (const change of BOOKING_CHANGES) {
    core.events.on(`booking.${change}`, ({ booking }) => {
      metrics.bookings.inc({ outcome: change });
      logger.debug({ bookingId: booking.id, facilityId: booking.facilityId }, `booking.${change}`);
    });
  }
  for (const status of ['paid', 'expired', 'failed', 'refunded'] as const) {
    core.events.on(`payment.${status}`, ({ payment, booking }) => {
      metrics.payments.inc({ status });
      logger.debug({ paymentId: payment.id, bookingId: booking.id }, `payment.${status}`);
    });
  }
  const hold = core.bookings.hold.bind(core.bookings);
  core.bookings.hold = async (request) => {
    const result = await hold(request);
    metrics.holds.inc({ outcome: result.ok ? 'held' : result.error.code });
    return result;
  };
}

/**
 * Counts handoffs by channel: each request with the kind of reason (`asked`: the driver said so;
 * `button`: they pressed "Talk to a person", offered at the start and after misunderstandings;
 * `integration`: queued over the REST API), and what became of it — `claimed`, `released` (back
 * to the bot), `closed` by an agent, or `withdrawn` by the driver before anyone took it. Each
 * event is counted on the instance where it happened, so once in all.
 */
export function observeHandoffs(desk: Pick<HandoffDesk, 'events'>, metrics: Metrics): void {
  desk.events.on('handoff.requested', ({ handoff, source }) => {
    const reason = source === 'integration' ? 'integration' : handoff.reason ? 'asked' : 'button';
    metrics.handoffs.inc({ channel: handoff.channel, event: 'requested', reason });
  });
  desk.events.on('handoff.claimed', ({ handoff }) =>
    metrics.handoffs.inc({ channel: handoff.channel, event: 'claimed' }),
  );
  desk.events.on('handoff.released', ({ handoff }) =>
    metrics.handoffs.inc({ channel: handoff.channel, event: 'released' }),
  );
  desk.events.on('handoff.closed', ({ handoff }) =>
    metrics.handoffs.inc({ channel: handoff.channel, event: handoff.agent ? 'closed' : 'withdrawn' }),
  );
}

/** Database pool usage (PostgreSQL) and Redis connection states, read at scrape time. */
export function observeConnections(
  metrics: Metrics,
  db: Database,
  redis: { states(): Array<{ purpose: string; status: string }> } | null,
): void {
  const pool = db.poolStats;
  if (pool) {
    metrics.gauge({
      name: 'spp_db_pool_connections',
      help: 'PostgreSQL pool connections by state (max is the configured size)',
      labelNames: ['state'],
      collect() {
        const s = pool();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
        this.set({ state: 'max' }, s.max);
      },
    });
  }
  if (redis) {
    metrics.gauge({
      name: 'spp_redis_connected',
      help: 'Redis connections by purpose: 1 when ready, 0 otherwise',
      labelNames: ['purpose'],
      collect() {
        for (const c of redis.states()) this.set({ purpose: c.purpose }, c.status === 'ready' ? 1 : 0);
      },
    });
  }
}

/** Rejects after `ms` so a readiness probe never hangs on an unreachable server. */
export const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
