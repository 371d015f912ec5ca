// Predictive availability: expected free spaces per hour, learned from the occupancy history.
//
// Model: weekday × hour seasonality (an exponentially weighted mean per local weekday-hour, so
// recent weeks count more), plus the latest hours' departure from it, fading with the horizon
// (recent-trend smoothing). Spaces already booked for an hour are a floor. The chance that at
// least one space is free comes from the seasonal slot's own spread.
import { localTime } from './local-time.ts';

export interface HourlyObservation {
  /** the start of the hour (UTC) */
  readonly hour: Date;
  /** average occupied spaces over that hour */
  readonly occupied: number;
}

export interface ForecastInput {
  readonly capacity: number;
  /** hourly, oldest first, up to the forecast's origin */
  readonly history: readonly HourlyObservation[];
  /** IANA zone of the car park: weekdays and hours are local */
  readonly timeZone: string;
  /** the hours to forecast (their starts, UTC) */
  readonly hours: readonly Date[];
  /** spaces already booked during an hour (default none) */
  readonly booked?: (hour: Date) => number;
}

export interface ForecastPoint {
  readonly hour: Date;
  readonly expectedOccupied: number;
  readonly expectedFree: number;
  /** probability that at least one space is free during the hour */
  readonly probabilityFree: number;
}

export interface ForecastSettings {
  /** weight of the newest week in a weekday-hour's mean (0–1) */
  readonly seasonalAlpha: number;
  /** how many latest hours set the current departure from the seasonal mean */
  readonly trendHours: number;
  /** per hour of horizon, the share of that departure that remains */
  readonly trendDecay: number;
}

export const DEFAULT_FORECAST: ForecastSettings = { seasonalAlpha: 0.3, trendHours: 3, trendDecay: 0.85 };

const HOUR_MS = 3_600_000;

/** weekday (0–6) × 24 + local hour */
const slotOf = (hour: Date, zone: string) => {
  const t = localTime(hour, zone);
  return (t.weekday - 1) * 24 + t.hour;
};

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round2 = (x: number) => Math.round(x * 100) / 100;

/** A forecast fitted to one history: asks for any hours at the cost of a few lookups each. */
export interface ForecastModel {
  predict(hours: readonly Date[], booked?: (hour: Date) => number): ForecastPoint[];
}

/**
 * Fits the model to a car park's history (the expensive part: a local weekday-hour per observed
 * hour), so that many windows can be asked of it. With no history, it expects the booked spaces only.
 */
export function fitForecast(
  input: Omit<ForecastInput, 'hours' | 'booked'>,
  s: ForecastSettings = DEFAULT_FORECAST,
): ForecastModel {
  const { capacity, history, timeZone } = input;
  const mean = new Map<number, number>();
  const variance = new Map<number, number>();
  const byHour = new Map<number, { sum: number; n: number }>();
  const slots = history.map((o) => slotOf(o.hour, timeZone));
  history.forEach((o, i) => {
    const slot = slots[i]!;
    const m = mean.get(slot);
    if (m === undefined) {
      mean.set(slot, o.occupied);
      variance.set(slot, 0);
    } else {
      const d = o.occupied - m;
      mean.set(slot, m + s.seasonalAlpha * d);
      variance.set(slot, (1 - s.seasonalAlpha) * ((variance.get(slot) ?? 0) + s.seasonalAlpha * d * d));
    }
    const h = byHour.get(slot % 24) ?? { sum: 0, n: 0 };
    byHour.set(slot % 24, { sum: h.sum + o.occupied, n: h.n + 1 });
  });
  const overall = history.length ? history.reduce((a, o) => a + o.occupied, 0) / history.length : 0;
  const seasonal = (slot: number) => {
    const m = mean.get(slot);
    if (m !== undefined) return m;
    const h = byHour.get(slot % 24);
    return h ? h.sum / h.n : overall;
  };
  const recent = history.slice(-s.trendHours);
  const recentSlots = slots.slice(-s.trendHours);
  const departure = recent.length
    ? recent.reduce((a, o, i) => a + (o.occupied - seasonal(recentSlots[i]!)), 0) / recent.length
    : 0;
  const origin = history.length ? history[history.length - 1]!.hour.getTime() : null;
  // the spread of a slot never below a binomial's at its mean (a slot seen once says nothing of it)
  const spread = (slot: number, occupied: number) => {
    const p = capacity > 0 ? clamp(occupied / capacity, 0, 1) : 0;
    return Math.sqrt((variance.get(slot) ?? 0) + capacity * p * (1 - p) + 0.25);
  };
  return {
    predict: (hours, bookedOf) =>
      hours.map((hour) => {
        const slot = slotOf(hour, timeZone);
        const k = origin === null ? 0 : Math.max(1, Math.round((hour.getTime() - origin) / HOUR_MS));
        const booked = clamp(bookedOf?.(hour) ?? 0, 0, capacity);
        const raw = history.length ? seasonal(slot) + departure * s.trendDecay ** k : booked;
        const occupied = clamp(raw, booked, capacity);
        const probabilityFree =
          booked >= capacity
            ? 0
            : clamp(normalCdf((capacity - 0.5 - occupied) / spread(slot, occupied)), 0, 1);
        return {
          hour,
          expectedOccupied: round2(occupied),
          expectedFree: round2(capacity - occupied),
          probabilityFree: Math.round(probabilityFree * 1000) / 1000,
        };
      }),
  };
}

/** The forecast for each asked hour. With no history at all, it expects the booked spaces only. */
export function forecastOccupancy(
  input: ForecastInput,
  s: ForecastSettings = DEFAULT_FORECAST,
): ForecastPoint[] {
  return fitForecast(input, s).predict(input.hours, input.booked);
}

/** What the forecast service reads: hourly occupancy history and spaces booked per hour. */
export interface ForecastSources {
  occupancyHistory(
    facilityId: string,
    from: Date,
    to: Date,
  ): Promise<Array<{ bucket: Date; kind: string; capacity: number; occupiedAvg: number }>>;
  bookedByHour(
    facilityId: string,
    from: Date,
    to: Date,
  ): Promise<Array<{ hour: Date; kind: string; booked: number }>>;
  facility(facilityId: string): Promise<{ timeZone: string; capacity: Map<string, number> } | null>;
}

export interface KindForecast {
  readonly kind: string;
  readonly capacity: number;
  readonly hours: readonly ForecastPoint[];
}

/** At most this far ahead (7 days and a day's slack for the zone). */
export const FORECAST_MAX_HOURS = 8 * 24;

/** A car park's fitted models, one per space kind, as of the start of one hour. */
interface FittedFacility {
  readonly capacity: ReadonlyMap<string, number>;
  readonly models: ReadonlyMap<string, ForecastModel>;
}

/**
 * Forecasts per car park and space kind from the stored history (the last `historyWeeks` weeks).
 * The history only grows by whole hours, so each car park's models are fitted once an hour and
 * kept (`maxFacilities` of them): a forecast then costs the query of spaces booked in its window.
 */
export class ForecastService {
  private readonly fitted = new Map<string, { hour: number; models: Promise<FittedFacility | null> }>();

  constructor(
    private readonly o: {
      sources: ForecastSources;
      clock: { now(): Date };
      historyWeeks?: number;
      settings?: ForecastSettings;
      maxFacilities?: number;
    },
  ) {}

  /** Hour by hour from `from` (rounded down to the hour) to `to`; null: no such car park. */
  async forecast(
    facilityId: string,
    w: { from?: Date; to?: Date; kind?: string },
  ): Promise<{ from: Date; to: Date; kinds: KindForecast[] } | null> {
    const now = this.o.clock.now();
    const thisHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
    const from = new Date(Math.floor((w.from ?? now).getTime() / HOUR_MS) * HOUR_MS);
    const to = w.to ?? new Date(from.getTime() + 7 * 24 * HOUR_MS);
    const hours: Date[] = [];
    for (let t = from.getTime(); t < to.getTime() && hours.length < FORECAST_MAX_HOURS; t += HOUR_MS)
      hours.push(new Date(t));
    const [fitted, booked] = await Promise.all([
      this.fit(facilityId, thisHour),
      hours.length ? this.o.sources.bookedByHour(facilityId, from, to) : Promise.resolve([]),
    ]);
    if (!fitted) return null;
    const kinds = [...fitted.capacity.keys()].filter((k) => !w.kind || k === w.kind).sort();
    return {
      from,
      to,
      kinds: kinds.map((kind) => {
        const bookedAt = new Map(
          booked.filter((b) => b.kind === kind).map((b) => [b.hour.getTime(), b.booked]),
        );
        return {
          kind,
          capacity: fitted.capacity.get(kind) ?? 0,
          hours: fitted.models.get(kind)!.predict(hours, (h) => bookedAt.get(h.getTime()) ?? 0),
        };
      }),
    };
  }

  /** The car park's models as of `hour`: kept from earlier this hour, or fitted now. */
  private fit(facilityId: string, hour: number): Promise<FittedFacility | null> {
    const kept = this.fitted.get(facilityId);
    if (kept?.hour === hour) return kept.models;
    const models = this.load(facilityId, hour);
    const entry = { hour, models };
    this.fitted.delete(facilityId);
    if (this.fitted.size >= (this.o.maxFacilities ?? 1000))
      this.fitted.delete(this.fitted.keys().next().value!); // oldest first out
    this.fitted.set(facilityId, entry);
    // neither a failure nor an unknown car park is kept
    const forget = () => this.fitted.get(facilityId) === entry && this.fitted.delete(facilityId);
    void models.then((f) => f ?? forget(), forget);
    return models;
  }

  private async load(facilityId: string, hour: number): Promise<FittedFacility | null> {
    const facility = await this.o.sources.facility(facilityId);
    if (!facility) return null;
    const historyFrom = new Date(hour - (this.o.historyWeeks ?? 8) * 7 * 24 * HOUR_MS);
    const history = await this.o.sources.occupancyHistory(facilityId, historyFrom, new Date(hour));
    const models = new Map<string, ForecastModel>();
    for (const [kind, capacity] of facility.capacity)
      models.set(
        kind,
        fitForecast(
          {
            capacity,
            timeZone: facility.timeZone,
            history: history
              .filter((r) => r.kind === kind)
              .map((r) => ({ hour: r.bucket, occupied: r.occupiedAvg })),
          },
          this.o.settings,
        ),
      );
    return { capacity: facility.capacity, models };
  }
}
