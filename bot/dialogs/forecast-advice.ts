import type { Activity } from 'botbuilder';
import { distanceKm, type Facility } from '../../booking-core/index.ts';
import type { DialogDeps } from '../deps.ts';
import { alternativeLine, forecastHint, HourlyForecastCache, likelyAlternative } from '../forecast-hint.ts';
import type { Locale } from '../ports.ts';
import { button, reply } from '../turn.ts';

/** Only a stay starting at least this far ahead gets a hint: for sooner ones, live counts say more. */
const HINT_AHEAD_MS = 60 * 60_000;
const ALTERNATIVES = 3;

interface Asked {
  readonly from: Date;
  readonly to: Date;
  readonly kind: string;
  readonly locale: Locale;
}

/**
 * What the forecast tells a driver booking ahead: "King's Cross is usually full by 09:00 — book
 * now, or Paddington usually has space", and, when a car park is full for the asked window, the
 * nearest car park likely to have room. Forecasts are cached per car park and hour, so a turn
 * costs at most a few forecasts once an hour. A forecast that fails just says nothing.
 */
export class ForecastAdvice {
  private readonly forecasts: HourlyForecastCache;

  constructor(private readonly deps: DialogDeps) {
    this.forecasts = new HourlyForecastCache(deps.core.forecasts, () => new Date());
  }

  /** The hint for a stay asked ahead of time, or null (likely room, too soon, or no forecast). */
  async hint(facility: Facility, asked: Asked, now: Date): Promise<string | null> {
    if (asked.from.getTime() - now.getTime() < HINT_AHEAD_MS) return null;
    return forecastHint(this.forecasts, {
      place: facility,
      alternatives: await this.nearest(facility),
      ...asked,
    }).catch(() => null);
  }

  /** A reply proposing the nearest car park likely to have room, with a button to book there; or null. */
  async alternativeTo(facility: Facility, asked: Asked, bookHere: string): Promise<Partial<Activity> | null> {
    const alt = await likelyAlternative(this.forecasts, await this.nearest(facility), asked).catch(
      () => null,
    );
    return alt
      ? reply(alternativeLine(alt, asked.locale), [button(`${bookHere}: ${alt.name}`, `facility:${alt.id}`)])
      : null;
  }

  private async nearest(f: Facility): Promise<Facility[]> {
    return (await this.deps.directory.all())
      .filter((x) => x.id !== f.id)
      .map((x) => ({ x, km: distanceKm(f, x) }))
      .sort((a, b) => a.km - b.km)
      .slice(0, ALTERNATIVES)
      .map(({ x }) => x);
  }
}
