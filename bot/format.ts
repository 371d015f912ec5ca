import { DateTime } from 'luxon';
import { localTime, type LocalTime } from '../booking-core/index.ts';
import type { Locale } from './ports.ts';

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', es: 'es-ES' };

// Building an Intl.NumberFormat costs more than a whole reply's other text: one per locale and currency.
const moneyFormats = new Map<string, { format: (n: number) => string; digits: number }>();

/** Integer minor units as money text: formatMoney(1350, 'GBP', 'en') → "£13.50". */
export function formatMoney(amountMinor: number, currency: string, locale: Locale): string {
  const key = `${locale}|${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    const nf = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency });
    f = { format: (n) => nf.format(n), digits: nf.resolvedOptions().maximumFractionDigits ?? 2 };
    moneyFormats.set(key, f);
  }
  return f.format(amountMinor / 10 ** f.digits);
}

const hhmm = (t: LocalTime) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;

/** A time in the facility's zone, relative to today when close: "today 09:00", "tomorrow 14:30", "Fri 5 Dec 08:00". */
export function formatWhen(at: Date, timeZone: string, locale: Locale, now: Date): string {
  return `${formatDay(at, timeZone, locale, now)} ${hhmm(localTime(at, timeZone))}`;
}

/** A day in the facility's zone, relative to today when close: "today", "tomorrow", "Fri 5 Dec". */
export function formatDay(at: Date, timeZone: string, locale: Locale, now: Date): string {
  const days = localTime(at, timeZone).day - localTime(now, timeZone).day;
  const words = locale === 'es' ? ['hoy', 'mañana'] : ['today', 'tomorrow'];
  if (days === 0 || days === 1) return words[days]!;
  return DateTime.fromJSDate(at, { zone: timeZone }).setLocale(INTL_LOCALE[locale]).toFormat('ccc d LLL');
}

/** A window: "tomorrow 09:00–11:00", or "today 22:00 – tomorrow 06:00" across days. */
export function formatWindow(from: Date, to: Date, timeZone: string, locale: Locale, now: Date): string {
  const b = localTime(to, timeZone);
  if (localTime(from, timeZone).day === b.day) return `${formatWhen(from, timeZone, locale, now)}–${hhmm(b)}`;
  return `${formatWhen(from, timeZone, locale, now)} – ${formatWhen(to, timeZone, locale, now)}`;
}

/** A duration in minutes as words: 90 → "1 h 30 min". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}
