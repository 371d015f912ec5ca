import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demandMultiplier, MAX_MULTIPLIER, occupancyOf, priceSteps, quotePrice } from './pricing.ts';

const facility = (rate: number) => ({ id: 'f', hourlyRateMinor: rate, currency: 'GBP' });
const window = (minutes: number) => ({ from: new Date(0), to: new Date(minutes * 60_000) });

const rate = fc.integer({ min: 1, max: 100_000 });
const mins = fc.integer({ min: 1, max: 60 * 24 * 30 });
const occ = fc.double({ min: -1, max: 2, noNaN: true });

describe('demand pricing', () => {
  it('charges the base rate below the 60% target band and rises inside and above it', () => {
    expect(demandMultiplier(0)).toBe(1);
    expect(demandMultiplier(0.6)).toBe(1);
    expect(demandMultiplier(0.7)).toBeGreaterThan(1);
    expect(demandMultiplier(0.8)).toBe(1.25);
    expect(demandMultiplier(0.9)).toBeGreaterThan(1.25);
    expect(demandMultiplier(1)).toBe(MAX_MULTIPLIER);
  });

  it('never charges more than 3× the base, for any rate, duration and occupancy', () => {
    fc.assert(
      fc.property(rate, mins, occ, (r, m, o) => {
        const q = quotePrice(facility(r), window(m), null, o);
        expect(q.multiplier).toBeLessThanOrEqual(MAX_MULTIPLIER);
        expect(q.totalMinor).toBeLessThanOrEqual(MAX_MULTIPLIER * q.baseAmountMinor);
        expect(q.totalMinor).toBeGreaterThanOrEqual(q.baseAmountMinor);
      }),
    );
  });

  it('is monotonic in duration: a longer stay never costs less', () => {
    fc.assert(
      fc.property(rate, mins, mins, occ, (r, a, b, o) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        expect(quotePrice(facility(r), window(long), null, o).totalMinor).toBeGreaterThanOrEqual(
          quotePrice(facility(r), window(short), null, o).totalMinor,
        );
      }),
    );
  });

  it('is monotonic in occupancy: busier never costs less', () => {
    fc.assert(
      fc.property(occ, occ, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(demandMultiplier(high)).toBeGreaterThanOrEqual(demandMultiplier(low));
      }),
    );
  });

  it('uses integer minor units and explains itself', () => {
    const q = quotePrice(facility(450), window(90), 'ev', 0.9);
    expect(q.baseAmountMinor).toBe(675);
    expect(Number.isInteger(q.totalMinor)).toBe(true);
    expect(q.multiplier).toBe(2.13);
    expect(q.totalMinor).toBe(Math.ceil(675 * 2.13));
    expect(q.currency).toBe('GBP');
    expect(q.explanation).toContain('90 min');
    expect(q.explanation).toContain('×2.13');
    expect(q.explanation).toContain('90% of comparable spaces taken');
  });

  it('rounds a started minute up', () => {
    const q = quotePrice(facility(600), { from: new Date(0), to: new Date(61_000) }, null, 0);
    expect(q.minutes).toBe(2);
    expect(q.totalMinor).toBe(20);
  });
});

describe('price steps (the database picks the step for the occupancy it sees)', () => {
  it('give, for every number of spaces taken, exactly the quote’s total', () => {
    fc.assert(
      fc.property(rate, mins, fc.integer({ min: 0, max: 400 }), (r, m, total) => {
        const steps = priceSteps(r, m, total);
        expect(steps.fromTaken[0]).toBe(0);
        for (let taken = 0; taken <= total; taken++) {
          const i = steps.fromTaken.findLastIndex((from) => from <= taken);
          expect(steps.totalMinor[i]).toBe(
            quotePrice(facility(r), window(m), null, occupancyOf(taken, total)).totalMinor,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
