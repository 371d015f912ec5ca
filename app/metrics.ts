import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/** Latency buckets (seconds) for HTTP requests and chat turns: 5 ms … 10 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Config<T, L extends string> = Omit<T, 'registers' | 'labelNames'> & { labelNames?: readonly L[] };

/**
 * The platform's Prometheus metrics, one registry per running platform (tests start several in
 * one process). The metrics below are the shared vocabulary; a module counts what it knows:
 *
 *   ctx.metrics.chatTurns.inc({ channel: 'telegram', outcome: 'answered' });
 *   const end = ctx.metrics.turnDuration.startTimer({ channel: 'telegram' }); … end();
 *
 * and registers anything of its own with `counter`/`gauge`/`histogram` (names start `spp_`).
 * Values known elsewhere (pool sizes, connection states) are read at scrape time with `collect`.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(c: Config<CounterConfiguration<L>, L>) =>
    new Counter<L>({
      ...c,
      labelNames: c.labelNames ?? [],
      registers: [registry],
    } as CounterConfiguration<L>);
  const gauge = <L extends string>(c: Config<GaugeConfiguration<L>, L>) =>
    new Gauge<L>({ ...c, labelNames: c.labelNames ?? [], registers: [registry] } as GaugeConfiguration<L>);
  const histogram = <L extends string>(c: Config<HistogramConfiguration<L>, L>) =>
    new Histogram<L>({
      buckets: LATENCY_BUCKETS,
      ...c,
      labelNames: c.labelNames ?? [],
      registers: [registry],
    } as HistogramConfiguration<L>);

  return {
    registry,
    counter,
    gauge,
    histogram,
    httpDuration: histogram({
      name: 'spp_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
    }),
    /** one per driver message handled: outcome answered | fallback | handoff | rate_limited | error */
    chatTurns: counter({
      name: 'spp_chat_turns_total',
      help: 'Chat turns by channel and outcome',
      labelNames: ['channel', 'outcome'],
    }),
    turnDuration: histogram({
      name: 'spp_chat_turn_duration_seconds',
      help: 'Time from a driver message to the last reply, by channel',
      labelNames: ['channel'],
    }),
    /** classifications that fell back to "didn't understand" (rate = this / chat turns) */
    nluFallbacks: counter({
      name: 'spp_nlu_fallbacks_total',
      help: 'Messages the NLU could not place in any intent, by locale',
      labelNames: ['locale'],
    }),
    /** event: requested (with reason asked | button | integration) | claimed | released | closed | withdrawn */
    handoffs: counter({
      name: 'spp_handoffs_total',
      help: 'Handoffs to agents by channel and event (requests also by kind of reason)',
      labelNames: ['channel', 'event', 'reason'],
    }),
    bookings: counter({
      name: 'spp_bookings_total',
      help: 'Booking changes by outcome (held, confirmed, cancelled, extended, expired, activated, completed)',
      labelNames: ['outcome'],
    }),
    holds: counter({
      name: 'spp_booking_holds_total',
      help: 'Attempts to hold a space: held, or the refusal code (e.g. BOOKING.NO_SPACE_AVAILABLE)',
      labelNames: ['outcome'],
    }),
    /** status: pending | paid | failed | refunded | expired */
    payments: counter({
      name: 'spp_payments_total',
      help: 'Payments by status',
      labelNames: ['status'],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
