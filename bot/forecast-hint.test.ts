import { describe, expect, it } from 'vitest';
import type { ForecastService } from '../booking-core/index.ts';
import { forecastHint } from './forecast-hint.ts';

const HOUR = 3_600_000;
const from = new Date('2030-06-03T07:00:00Z'); // 08:00 in London (BST)
const to = new Date(from.getTime() + 3 * HOUR);

/** A forecast where each car park has a fixed chance of a free space per hour. */
const forecasts = (chances: Record<string, number[]>): Pick<ForecastService, 'forecast'> => ({
  forecast: async (id) => ({
    from,
    to,
    kinds: [
      {
        kind: 'standard',
        capacity: 10,
        hours: (chances[id] ?? []).map((p, i) => ({
          hour: new Date(from.getTime() + i * HOUR),
          expectedOccupied: 10 * (1 - p),
          expectedFree: 10 * p,
          probabilityFree: p,
        })),
      },
    ],
  }),
});

const kx = { id: 'kx', name: "King's Cross", timeZone: 'Europe/London' };
const pad = { id: 'pad', name: 'Paddington', timeZone: 'Europe/London' };
const wem = { id: 'wem', name: 'Wembley', timeZone: 'Europe/London' };

describe('forecast hint', () => {
  it('warns when the car park usually fills during the window and offers a likely alternative', async () => {
    const f = forecasts({ kx: [0.9, 0.3, 0.1], wem: [0.9, 0.6, 0.8], pad: [0.95, 0.9, 0.85] });
    const hint = await forecastHint(f, { place: kx, alternatives: [wem, pad], from, to, locale: 'en' });
    expect(hint).toBe("King's Cross is usually full by 09:00 — book now, or Paddington usually has space.");
    const es = await forecastHint(f, { place: kx, alternatives: [pad], from, to, locale: 'es' });
    expect(es).toBe(
      "King's Cross suele llenarse hacia las 09:00: reserva ya, o Paddington suele tener sitio.",
    );
  });

  it('says nothing when there is likely room, and offers no alternative that is likely full too', async () => {
    const f = forecasts({ kx: [0.9, 0.8, 0.7], pad: [0.2, 0.2, 0.2] });
    expect(await forecastHint(f, { place: kx, alternatives: [pad], from, to, locale: 'en' })).toBeNull();
    const full = forecasts({ kx: [0.1, 0.1, 0.1], pad: [0.2, 0.2, 0.2] });
    expect(await forecastHint(full, { place: kx, alternatives: [pad], from, to, locale: 'en' })).toBe(
      "King's Cross is usually full by 08:00 — book now.",
    );
  });
});
