import type { Facility, Quote, SpaceKind, TimeWindow } from './types.ts';

/** Demand pricing never charges more than this multiple of the base rate. */
export const MAX_MULTIPLIER = 3;

/**
 * Demand multiplier for a share of spaces taken (0..1), in the spirit of SFpark's 60–80 % target
 * band: no surcharge below the band, a gentle rise inside it (to 1.25×), and a steep rise above it
 * so the last spaces stay available to those who need them most, capped at 3×. Non-decreasing.
 *
 *   demandMultiplier(0.5) === 1; demandMultiplier(0.7) === 1.13; demandMultiplier(1) === 3
 */
export function demandMultiplier(occupancy: number): number {
  const occ = Math.min(1, Math.max(0, Number.isFinite(occupancy) ? occupancy : 0));
  let m: number;
  if (occ <= 0.6) m = 1;
  else if (occ <= 0.8) m = 1 + ((occ - 0.6) / 0.2) * 0.25;
  else m = 1.25 + ((occ - 0.8) / 0.2) * (MAX_MULTIPLIER - 1.25);
  return Math.min(MAX_MULTIPLIER, Math.round(m * 100) / 100);
}

/** Whole minutes in a window, rounded up: a started minute is a minute. */
export const windowMinutes = (w: TimeWindow): number =>
  Math.ceil((w.to.getTime() - w.from.getTime()) / 60_000);

/** Base amount (no demand) for `minutes` at an hourly rate, in minor units, rounded up. */
export const baseAmount = (hourlyRateMinor: number, minutes: number): number =>
  Math.ceil((hourlyRateMinor * minutes) / 60);

/** What `minutes` cost at an hourly rate under a demand multiplier, in minor units. */
export const demandAmount = (hourlyRateMinor: number, minutes: number, multiplier: number): number =>
  // Multiply the exact base, then round once, so the total never exceeds 3 × the rounded base.
  Math.min(
    Math.ceil(((hourlyRateMinor * minutes) / 60) * multiplier),
    baseAmount(hourlyRateMinor, minutes) * MAX_MULTIPLIER,
  );

/** Occupancy when `taken` of `total` comparable spaces are taken; a kind with no spaces counts as full. */
export const occupancyOf = (taken: number, total: number): number => (total ? taken / total : 1);

const stepsByTotal = new Map<number, ReadonlyArray<{ fromTaken: number; multiplier: number }>>();

/**
 * The demand multiplier as steps over the number of spaces taken, for `total` comparable spaces:
 * `multiplier` applies from `fromTaken` taken spaces up to the next step. Lets the database pick the
 * price for the occupancy it sees in the same statement that takes the space. Cached per total.
 *
 *   demandSteps(10) // [{ fromTaken: 0, multiplier: 1 }, { fromTaken: 7, multiplier: 1.13 }, …]
 */
export function demandSteps(total: number): ReadonlyArray<{ fromTaken: number; multiplier: number }> {
  let steps = stepsByTotal.get(total);
  if (steps) return steps;
  const out: Array<{ fromTaken: number; multiplier: number }> = [];
  for (let taken = 0; taken <= total; taken++) {
    const multiplier = demandMultiplier(occupancyOf(taken, total));
    if (out.at(-1)?.multiplier !== multiplier) out.push({ fromTaken: taken, multiplier });
  }
  if (stepsByTotal.size >= 512) stepsByTotal.clear();
  stepsByTotal.set(total, (steps = out));
  return steps;
}

/**
 * What a window costs for each number of spaces taken, as steps (`totalMinor[i]` from
 * `fromTaken[i]` taken on), for `total` comparable spaces; equal neighbours are merged.
 * `quotePrice(…, occupancyOf(taken, total)).totalMinor` is the step that covers `taken`.
 */
export function priceSteps(
  hourlyRateMinor: number,
  minutes: number,
  total: number,
): { fromTaken: number[]; totalMinor: number[] } {
  const fromTaken: number[] = [];
  const totalMinor: number[] = [];
  for (const step of demandSteps(total)) {
    const amount = demandAmount(hourlyRateMinor, minutes, step.multiplier);
    if (totalMinor.at(-1) === amount) continue;
    fromTaken.push(step.fromTaken);
    totalMinor.push(amount);
  }
  return { fromTaken, totalMinor };
}

/**
 * Prices a window: base rate × duration × demand multiplier, with an explanation a driver can read.
 *
 *   quotePrice(facility, { from, to }, 'ev', 0.72).totalMinor
 */
export function quotePrice(
  facility: Pick<Facility, 'id' | 'hourlyRateMinor' | 'currency'>,
  window: TimeWindow,
  kind: SpaceKind | null,
  occupancy: number,
): Quote {
  const minutes = windowMinutes(window);
  const base = baseAmount(facility.hourlyRateMinor, minutes);
  const multiplier = demandMultiplier(occupancy);
  const totalMinor = demandAmount(facility.hourlyRateMinor, minutes, multiplier);
  const pct = Math.round(Math.min(1, Math.max(0, occupancy)) * 100);
  return {
    facilityId: facility.id,
    kind,
    from: window.from,
    to: window.to,
    minutes,
    hourlyRateMinor: facility.hourlyRateMinor,
    baseAmountMinor: base,
    occupancy: Math.round(Math.min(1, Math.max(0, occupancy)) * 1000) / 1000,
    multiplier,
    totalMinor,
    currency: facility.currency,
    explanation:
      `${minutes} min at ${facility.hourlyRateMinor} ${facility.currency} minor units per hour = ${base}; ` +
      `demand ×${multiplier.toFixed(2)} (${pct}% of comparable spaces taken) = ${totalMinor} ${facility.currency} minor units`,
  };
}
