import { DateTime } from 'luxon';
import type { ForecastService } from '../booking-core/index.ts';

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

/**
 * A line for a driver asking about a future time, from the forecast: "King's Cross is usually
 * full by 09:00 — book now, or Paddington usually has space." Null when the car park is likely to
 * have room. `alternatives` in the order to offer them (nearest first). For the dialogs to use:
 *
 *   const hint = await forecastHint(core.forecasts, { place, alternatives, from, to, locale });
 */
export async function forecastHint(
  forecasts: Pick<ForecastService, 'forecast'>,
  o: {
    place: Place;
    alternatives: readonly Place[];
    from: Date;
    to: Date;
    kind?: string;
    locale: 'en' | 'es';
  },
): Promise<string | null> {
  const kind = o.kind ?? 'standard';
  const hours = async (p: Place) =>
    (await forecasts.forecast(p.id, { from: o.from, to: o.to, kind }))?.kinds.find((k) => k.kind === kind)
      ?.hours ?? [];
  const here = await hours(o.place);
  const full = here.find((h) => h.probabilityFree < LIKELY_FULL);
  if (!full) return null;
  let alternative: string | null = null;
  for (const alt of o.alternatives) {
    const h = await hours(alt);
    if (h.length && h.every((x) => x.probabilityFree >= LIKELY_FREE)) {
      alternative = alt.name;
      break;
    }
  }
  const at = DateTime.fromJSDate(full.hour, { zone: o.place.timeZone }).toFormat('HH:mm');
  return texts[o.locale](o.place.name, at, alternative);
}
