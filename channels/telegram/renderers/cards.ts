import { bold, code, escapeHtml, italic, type Block } from './html.ts';
import type { Labels } from './labels.ts';

/** The two card types' content, as bot/cards.ts defines them (validated before rendering). */
export interface FacilityListContent {
  title: string;
  facilities: Array<{
    facilityId: string;
    name: string;
    address: string;
    distanceKm?: number;
    free: number;
    total: number;
    price: string;
    hoursToday?: string;
    action?: { title: string; value: string; type?: string };
  }>;
}

export interface BookingContent {
  title: string;
  reference: string;
  status: string;
  statusLabel: string;
  facilityName: string;
  spaceCode: string;
  spaceKind: string;
  plate: string;
  when: string;
  price: string;
  note?: string;
}

export interface CardRender {
  blocks: Block[];
  /** the card's own actions ("Book here"), shown as buttons */
  actions: Array<{ title: string; value: string; type?: string }>;
}

const km = (d: number) => (d < 1 ? `${Math.round(d * 1000)} m` : `${d.toFixed(1)} km`);

/**
 * A list of car parks as text: each with its free count at the moment of sending, price and
 * hours, and a "Book here" button named after it (several identical titles would be ambiguous).
 */
export function renderFacilityList(c: FacilityListContent, t: Labels): CardRender {
  const blocks: Block[] = [{ html: bold(c.title), plain: c.title }];
  const actions: CardRender['actions'] = [];
  c.facilities.forEach((f, i) => {
    const where = [f.address, f.distanceKm === undefined ? '' : km(f.distanceKm)].filter(Boolean).join(' · ');
    const free = f.free <= 0 ? t.full(f.total) : t.free(f.free, f.total);
    const facts = [free, f.price, f.hoursToday ? t.today(f.hoursToday) : ''].filter(Boolean).join(' · ');
    const lines = [`${i + 1}. ${f.name}`, where, facts].filter(Boolean);
    blocks.push({
      html: [bold(lines[0]!), ...lines.slice(1).map(escapeHtml)].join('\n'),
      plain: lines.join('\n'),
    });
    if (f.action) {
      const title = f.action.title.includes(f.name) ? f.action.title : `${f.action.title}: ${f.name}`;
      actions.push({ ...f.action, title });
    }
  });
  return { blocks, actions };
}

/** A booking's summary: title, status and the details a driver checks, one per line. */
export function renderBooking(b: BookingContent, t: Labels): CardRender {
  const space = [b.spaceCode, b.spaceKind].filter(Boolean).join(' · ');
  const rows: Array<[string, string, (s: string) => string]> = [
    [t.reference, b.reference, code],
    [t.status, b.statusLabel, escapeHtml],
    [t.facility, b.facilityName, escapeHtml],
    [t.space, space, escapeHtml],
    [t.plate, b.plate, escapeHtml],
    [t.when, b.when, escapeHtml],
    [t.price, b.price, escapeHtml],
  ];
  const shown = rows.filter(([, v]) => v);
  const html = [
    bold(b.title),
    ...shown.map(([k, v, f]) => `${escapeHtml(k)}: ${f(v)}`),
    ...(b.note ? [italic(b.note)] : []),
  ];
  const plain = [b.title, ...shown.map(([k, v]) => `${k}: ${v}`), ...(b.note ? [b.note] : [])];
  return { blocks: [{ html: html.join('\n'), plain: plain.join('\n') }], actions: [] };
}

/**
 * A card this channel does not know, as whatever readable text it carries (its title, text,
 * link), or its type when it carries none — never nothing.
 */
export function renderUnknown(
  contentType: string,
  content: unknown,
  contentUrl?: string,
  name?: string,
): CardRender {
  const c = (content && typeof content === 'object' ? content : {}) as Record<string, unknown>;
  const strings = ['title', 'subtitle', 'text', 'summary']
    .map((k) => c[k])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (typeof content === 'string' && content.trim()) strings.push(content);
  if (contentUrl) strings.push(name ? `${name}: ${contentUrl}` : contentUrl);
  const plain = strings.length ? strings.join('\n') : `[${name ?? contentType}]`;
  const buttons = Array.isArray(c['buttons']) ? (c['buttons'] as CardRender['actions']) : [];
  return {
    blocks: [{ html: escapeHtml(plain), plain }],
    actions: buttons.filter((b) => typeof b?.title === 'string'),
  };
}
