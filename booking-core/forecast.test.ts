import { describe, expect, it } from 'vitest';
import { forecastOccupancy, ForecastService, type HourlyObservation } from './forecast.ts';

const HOUR = 3_600_000;
const start = Date.parse('2030-06-03T00:00:00Z'); // a Monday

/** Weeks of history where weekdays fill up 9–17 and weekends stay quiet. */
function history(weeks: number, capacity: number, busy = (_w: number) => 1): HourlyObservation[] {
  const out: HourlyObservation[] = [];
  for (let h = 0; h < weeks * 168; h++) {
    const d = new Date(start + h * HOUR);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    const peak = d.getUTCHours() >= 9 && d.getUTCHours() < 17;
    const rate = weekend ? 0.2 : peak ? 1 * busy(Math.floor(h / 168)) : 0.3;
    out.push({ hour: d, occupied: Math.min(capacity, rate * capacity) });
  }
  return out;
}

const at = (weeksIn: number, plusHours: number) => new Date(start + weeksIn * 168 * HOUR + plusHours * HOUR);

describe('forecast', () => {
  it('learns weekday × hour seasonality: full at 10 on Monday, room on Saturday', () => {
    const [monday10, saturday10] = forecastOccupancy({
      capacity: 20,
      timeZone: 'UTC',
      history: history(4, 20),
      hours: [at(4, 10), at(4, 5 * 24 + 10)],
    });
    expect(monday10!.expectedFree).toBeCloseTo(0, 0);
    expect(monday10!.probabilityFree).toBeLessThan(0.2);
    expect(saturday10!.expectedFree).toBeCloseTo(16, 0);
    expect(saturday10!.probabilityFree).toBeGreaterThan(0.99);
  });

  it('weighs recent weeks more than old ones', () => {
    // peaks were 50% full for three weeks, then full for the last two
    const h = history(5, 10, (w) => (w < 3 ? 0.5 : 1));
    const [p] = forecastOccupancy({ capacity: 10, timeZone: 'UTC', history: h, hours: [at(5, 10)] });
    // a plain mean of the five weeks would say 7
    expect(p!.expectedOccupied).toBeGreaterThan(7.5);
  });

  it('follows today’s departure from the usual at short horizons, less so further out', () => {
    const h = history(4, 20);
    // this Monday morning is unusually busy: 15 occupied at 6–8 instead of 6
    const today = h.map((o) => (o.hour >= at(4, -3) ? { ...o, occupied: 15 } : o));
    const origin = at(4, 0);
    const base = history(4, 20).filter((o) => o.hour < origin);
    const busy = today.filter((o) => o.hour < origin);
    const next = (hist: HourlyObservation[], hour: Date) =>
      forecastOccupancy({ capacity: 20, timeZone: 'UTC', history: hist, hours: [hour] })[0]!.expectedOccupied;
    const lift1 = next(busy, at(4, 0)) - next(base, at(4, 0));
    const lift24 = next(busy, at(4, 23)) - next(base, at(4, 23));
    expect(lift1).toBeGreaterThan(3);
    expect(lift24).toBeLessThan(lift1 / 5);
  });

  it('never expects fewer occupied than are booked, and no free space when all are booked', () => {
    const [p] = forecastOccupancy({
      capacity: 5,
      timeZone: 'UTC',
      history: history(2, 5),
      hours: [at(2, 5 * 24 + 3)],
      booked: () => 5,
    });
    expect(p).toMatchObject({ expectedFree: 0, probabilityFree: 0 });
  });

  it('uses the car park’s local weekday and hour', () => {
    // in Tokyo (UTC+9) the local 10:00 peak is at 01:00 UTC
    const h = history(3, 10).map((o) => ({ ...o, hour: new Date(o.hour.getTime() - 9 * HOUR) }));
    const [peak] = forecastOccupancy({ capacity: 10, timeZone: 'Asia/Tokyo', history: h, hours: [at(3, 1)] });
    expect(peak!.expectedFree).toBeLessThan(1);
  });

  it('with no history, expects only the booked spaces', () => {
    const [p] = forecastOccupancy({
      capacity: 4,
      timeZone: 'UTC',
      history: [],
      hours: [at(0, 1)],
      booked: () => 1,
    });
    expect(p!.expectedFree).toBe(3);
  });

  it('the service forecasts each kind for the next 7 days by default', async () => {
    const svc = new ForecastService({
      clock: { now: () => at(2, 0.5) },
      sources: {
        facility: async (id) =>
          id === 'f1'
            ? {
                timeZone: 'UTC',
                capacity: new Map([
                  ['standard', 10],
                  ['ev', 2],
                ]),
              }
            : null,
        occupancyHistory: async () =>
          history(2, 10).map((o) => ({
            bucket: o.hour,
            kind: 'standard',
            capacity: 10,
            occupiedAvg: o.occupied,
          })),
        bookedByHour: async () => [{ hour: at(2, 1), kind: 'ev', booked: 2 }],
      },
    });
    expect(await svc.forecast('nope', {})).toBeNull();
    const f = (await svc.forecast('f1', {}))!;
    expect(f.from).toEqual(at(2, 0));
    expect(f.kinds.map((k) => [k.kind, k.hours.length])).toEqual([
      ['ev', 168],
      ['standard', 168],
    ]);
    expect(f.kinds[0]!.hours[1]).toMatchObject({ expectedFree: 0, probabilityFree: 0 });
    const onlyEv = (await svc.forecast('f1', { kind: 'ev', to: at(2, 3) }))!;
    expect(onlyEv.kinds.map((k) => [k.kind, k.hours.length])).toEqual([['ev', 3]]);
  });

  it('the service reads a car park’s history once an hour, and its bookings for every forecast', async () => {
    let now = at(2, 0.5);
    const reads = { history: 0, booked: 0, facility: 0 };
    const svc = new ForecastService({
      clock: { now: () => now },
      sources: {
        facility: async () => {
          reads.facility++;
          return { timeZone: 'UTC', capacity: new Map([['standard', 10]]) };
        },
        occupancyHistory: async (_id, _from, to) => {
          reads.history++;
          return history(2, 10)
            .filter((o) => o.hour < to)
            .map((o) => ({ bucket: o.hour, kind: 'standard', capacity: 10, occupiedAvg: o.occupied }));
        },
        bookedByHour: async () => {
          reads.booked++;
          return [];
        },
      },
    });
    const first = await svc.forecast('f1', { from: at(2, 3), to: at(2, 5) });
    await svc.forecast('f1', { from: at(2, 6), to: at(2, 9) });
    expect(reads).toEqual({ history: 1, booked: 2, facility: 1 });
    // the same answer as a model fitted afresh
    expect(first!.kinds[0]!.hours).toEqual(
      forecastOccupancy({
        capacity: 10,
        timeZone: 'UTC',
        history: history(2, 10).filter((o) => o.hour < at(2, 0)),
        hours: [at(2, 3), at(2, 4)],
      }),
    );
    now = at(2, 1.5); // the hour turned: a new hour of history
    await svc.forecast('f1', { from: at(2, 3), to: at(2, 5) });
    expect(reads).toEqual({ history: 2, booked: 3, facility: 2 });
  });
});
