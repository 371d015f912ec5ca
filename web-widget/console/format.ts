/** "3 min", "1 h 5 min": how long someone has waited. */
export function waited(sinceIso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const time = (iso: string, timeZone?: string) =>
  new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  });

export const money = (amountMinor: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amountMinor / 100);

export const CHANNELS: Record<string, string> = {
  web: 'Web chat',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  'whatsapp-web': 'WhatsApp',
};
export const LANGUAGES: Record<string, string> = { en: 'English', es: 'Spanish' };
