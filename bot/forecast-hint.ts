import { DateTime } from 'luxon';
import type { ForecastService } from '../booking-core/index.ts';

type Forecasts = Pick<ForecastService, 'forecast'>;

interface Place {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
}

/** Below this chance of a free space during the asked window, the car park counts as "usually full". */
export const LIKELY_FULL = 0.5;
/** An alternative is offered only if it is at least this likely to have room throughout. */
export const LIKELY_FREE = 0.7;

const texts = {
  en: (name: string, at: string, alt: string | null) =>
    `${name} is usually full by ${at} — book now` + (alt ? `, or ${alt} usually has space.` : '.'),
  es: (name: string, at: string, alt: string | null) =>
    `${name} suele llenarse hacia las ${at}: reserva ya` + (alt ? `, o ${alt} suele tener sitio.` : '.'),
};

const alternativeTexts = {
  en: (alt: string) => `${alt} usually has space then — shall I book there?`,
  es: (alt: string) => `${alt} suele tener sitio a esa hora: ¿reservo allí?`,
};

/** "Paddington usually has space then — shall I book there?" for a car park found full. */
export const alternativeLine = (alt: { name: string }, locale: 'en' | 'es') =>
  alternativeTexts[locale](alt.name);

interface Window {
  readonly from: Date;
  readonly to: Date;
  readonly kind?: string;
}

const hoursOf = async (forecasts: Forecasts, p: Place, w: Window) => {
  const kind = w.kind ?? 'standard';
  return (
    (await forecasts.forecast(p.id, { from: w.from, to: w.to, kind }))?.kinds.find((k) => k.kind === kind)
      ?.hours ?? []
  );
};

/** The first of `alternatives` (nearest first) likely to have room throughout the window, or null. */
export async function likelyAlternative<P extends Place>(
  forecasts: Forecasts,
  alternatives: readonly P[],
  w: Window,
): Promise<P | null> {
  for (const alt of alternatives) {
    const h = await hoursOf(forecasts, alt, w);
    if (h.length && h.every((x) => x.probabilityFree >= LIKELY_FREE)) return alt;
  }
  return null;
}

const HOUR_MS = 3_600_000;

/**
 * Forecasts remembered per car park, window and kind until the hour turns (the forecast changes
 * hourly at most), so a chat turn costs a map lookup once a car park has been forecast this hour.
 *
 *   const forecasts = new HourlyForecastCache(core.forecasts, () => new Date());
 */
export class HourlyForecastCache implements Forecasts {
  private hour = -1;
  private readonly entries = new Map<string, ReturnType<ForecastService['forecast']>>();

  constructor(
    private readonly forecasts: Forecasts,
    private readonly now: () => Date,
    private readonly maxEntries = 2000,
  ) {}

  forecast(
    id: string,
    w: { from?: Date; to?: Date; kind?: string },
  ): ReturnType<ForecastService['forecast']> {
    const hour = Math.floor(this.now().getTime() / HOUR_MS);
    if (hour !== this.hour || this.entries.size >= this.maxEntries) {
      this.entries.clear();
      this.hour = hour;
    }
    const key = `${id}|${w.from?.getTime() ?? ''}|${w.to?.getTime() ?? ''}|${w.kind ?? ''}`;
    let hit = this.entries.get(key);
    if (!hit) {
      hit = this.forecasts.forecast(id, w);
      this.entries.set(key, hit);
      void hit.catch(() => this.entries.delete(key)); // a failure is not remembered
    }
    return hit;
  }
}

/**
 * A line for a driver asking about a future time, from the forecast: "King's Cross is usually
 * full by 09:00 — book now, or Paddington usually has space." Null when the car park is likely to
 * have room. `alternatives` in the order to offer them (nearest first). For the dialogs to use:
 *
 *   const hint = await forecastHint(core.forecasts, { place, alternatives, from, to, locale });
 */
export async function forecastHint(
  forecasts: Forecasts,
  o: {
    place: Place;
    alternatives: readonly Place[];
    from: Date;
    to: Date;
    kind?: string;
    locale: 'en' | 'es';
  },
): Promise<string | null> {
  const w = { from: o.from, to: o.to, ...(o.kind ? { kind: o.kind } : {}) };
  const full = (await hoursOf(forecasts, o.place, w)).find((h) => h.probabilityFree < LIKELY_FULL);
  if (!full) return null;
  const alternative = (await likelyAlternative(forecasts, o.alternatives, w))?.name ?? null;
  const at = DateTime.fromJSDate(full.hour, { zone: o.place.timeZone }).toFormat('HH:mm');
  return texts[o.locale](o.place.name, at, alternative);
}
