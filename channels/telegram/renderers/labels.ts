/**
 * The few words the Telegram channel adds itself (everything else comes from the bot, already
 * in the driver's language), as the widget has them. English is the fallback.
 */
const en = {
  free: (free: number, total: number) => `${free} of ${total} free`,
  full: (total: number) => `Full (${total} spaces)`,
  today: (hours: string) => `today ${hours}`,
  reference: 'Reference',
  status: 'Status',
  facility: 'Car park',
  space: 'Space',
  plate: 'Plate',
  when: 'When',
  price: 'Price',
  agent: 'Support agent',
};

export type Labels = typeof en;

const es: Labels = {
  free: (free, total) => `${free} de ${total} libres`,
  full: (total) => `Completo (${total} plazas)`,
  today: (hours) => `hoy ${hours}`,
  reference: 'Referencia',
  status: 'Estado',
  facility: 'Aparcamiento',
  space: 'Plaza',
  plate: 'Matrícula',
  when: 'Cuándo',
  price: 'Precio',
  agent: 'Agente de soporte',
};

const byLang: Record<string, Labels> = { en, es };

/** Labels for a locale such as `es` or `es-MX`; English when the language has none. */
export const labels = (locale?: string): Labels => byLang[locale?.slice(0, 2).toLowerCase() ?? 'en'] ?? en;
