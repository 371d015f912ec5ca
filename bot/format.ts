import { DateTime } from 'luxon';
import type { Locale } from './ports.ts';

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', es: 'es-ES' };

/** Integer minor units as money text: formatMoney(1350, 'GBP', 'en') → "£13.50". */
export function formatMoney(amountMinor: number, currency: string, locale: Locale): string {
  const f = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(amountMinor / 10 ** digits);
}

/** A time in the facility's zone, relative to today when close: "today 09:00", "tomorrow 14:30", "Fri 5 Dec 08:00". */
export function formatWhen(at: Date, timeZone: string, locale: Locale, now: Date): string {
  const t = DateTime.fromJSDate(at, { zone: timeZone }).setLocale(INTL_LOCALE[locale]);
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const days = Math.round(t.startOf('day').diff(today, 'days').days);
  const time = t.toFormat('HH:mm');
  const words = locale === 'es' ? ['hoy', 'mañana'] : ['today', 'tomorrow'];
  if (days === 0) return `${words[0]} ${time}`;
  if (days === 1) return `${words[1]} ${time}`;
  return `${t.toFormat('ccc d LLL')} ${time}`;
}

/** A window: "tomorrow 09:00–11:00", or "today 22:00 – tomorrow 06:00" across days. */
export function formatWindow(from: Date, to: Date, timeZone: string, locale: Locale, now: Date): string {
  const a = DateTime.fromJSDate(from, { zone: timeZone });
  const b = DateTime.fromJSDate(to, { zone: timeZone });
  if (a.hasSame(b, 'day')) return `${formatWhen(from, timeZone, locale, now)}–${b.toFormat('HH:mm')}`;
  return `${formatWhen(from, timeZone, locale, now)} – ${formatWhen(to, timeZone, locale, now)}`;
}

/** A duration in minutes as words: 90 → "1 h 30 min". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}
