import {
  describeDay,
  localTime,
  WEEKDAYS,
  type BookingCore,
  type Facility,
  type FacilitySummary,
} from '../booking-core/index.ts';
import { FACILITY_LIST, type FacilityCardItem, type FacilityListCard, type PostBackAction } from './cards.ts';
import { formatMoney } from './format.ts';
import { messages } from './messages/index.ts';
import type { Locale, Understanding } from './ports.ts';

const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'of',
  'near',
  'close',
  'to',
  'by',
  'at',
  'el',
  'la',
  'los',
  'las',
  'de',
  'del',
  'cerca',
  'junto',
  'al',
]);

/** Spanish words for the landmarks our car parks are named after. */
const SPANISH: Record<string, string> = {
  estadio: 'stadium',
  estacion: 'station',
  centro: 'centre',
  noria: 'eye',
};

const words = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w))
    .map((w) => SPANISH[w] ?? w);

/**
 * The bot's view of the car parks: cached for a minute, matched against landmarks drivers name
 * ("near the stadium"), and turned into facility-list cards with live free counts.
 */
export class FacilityDirectory {
  private cache: { at: number; facilities: Facility[] } | null = null;

  constructor(
    private readonly core: BookingCore,
    private readonly understanding: Understanding,
    private readonly ttlMs = 60_000,
  ) {}

  async all(now = Date.now()): Promise<Facility[]> {
    if (!this.cache || now - this.cache.at > this.ttlMs) {
      const facilities = await this.core.facilities.list();
      this.cache = { at: now, facilities };
      this.understanding.setFacilities(facilities.map(({ id, name, aliases }) => ({ id, name, aliases })));
    }
    return this.cache.facilities;
  }

  async get(id: string): Promise<Facility | null> {
    return (await this.all()).find((f) => f.id === id) ?? (await this.core.facilities.get(id));
  }

  /** Facilities whose name, aliases or address share words with the landmark, best match first. */
  async matchPlace(place: string): Promise<Facility[]> {
    const wanted = new Set(words(place));
    if (!wanted.size) return [];
    const scored = (await this.all()).map((f) => {
      const names = [f.name, ...f.aliases].map((n) => new Set(words(n)));
      const best = Math.max(...names.map((n) => [...wanted].filter((w) => n.has(w)).length / wanted.size));
      const address = new Set(words(f.address));
      const inAddress = [...wanted].filter((w) => address.has(w)).length / wanted.size;
      return { f, score: Math.max(best, inAddress * 0.8) };
    });
    return scored
      .filter((s) => s.score >= 0.5)
      .sort((a, b) => b.score - a.score)
      .map((s) => s.f);
  }

  /** Live summaries (free now) for some facilities, or the nearest to a point. */
  summaries(query: {
    near?: { latitude: number; longitude: number };
    ids?: readonly string[];
  }): Promise<FacilitySummary[]> {
    const { ids } = query;
    return this.core.facilities
      .list({ ...(query.near ? { near: query.near } : {}), ...(ids ? { ids } : {}) })
      .then((list) => (ids ? ids.flatMap((id) => list.filter((f) => f.id === id)) : list)); // keep the caller's order
  }

  /** A facility-list card with a "book here" button on each. */
  card(
    title: string,
    list: readonly FacilitySummary[],
    locale: Locale,
    action: (f: FacilitySummary) => PostBackAction,
  ): FacilityListCard {
    return {
      contentType: FACILITY_LIST,
      content: { title, facilities: list.map((f) => this.cardItem(f, locale, action(f))) },
    };
  }

  private cardItem(f: FacilitySummary, locale: Locale, action: PostBackAction): FacilityCardItem {
    const weekday = WEEKDAYS[localTime(Date.now(), f.timeZone).weekday - 1] ?? 'mon';
    return {
      facilityId: f.id,
      name: f.name,
      address: f.address,
      ...(f.distanceKm !== undefined ? { distanceKm: f.distanceKm } : {}),
      free: f.freeNow.free,
      total: f.freeNow.total,
      price: `${formatMoney(f.hourlyRateMinor, f.currency, locale)}/h`,
      hoursToday: hoursIn(describeDay(f.openingHours, weekday), locale),
      action,
    };
  }
}

/** A day's opening hours in the driver's language ("cerrado", "abierto 24 horas"). */
function hoursIn(hours: string, locale: Locale): string {
  const m = messages(locale);
  return hours === 'closed' ? m.closedText : hours === 'open 24 hours' ? m.open24 : hours;
}
