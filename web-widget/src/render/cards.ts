import { el } from '../dom.ts';
import type { Lang, Strings } from '../i18n.ts';
import type {
  BookingSummaryContent,
  ChatAttachment,
  FacilityCardItem,
  FacilityFree,
  FacilityListContent,
} from '../protocol.ts';
import { actionButton } from './actions.ts';
import { appendLinkedText } from './linked-text.ts';

/** What a card renderer needs besides the card. */
export interface CardContext {
  readonly t: Strings;
  readonly lang: Lang;
}

type CardRenderer<K extends ChatAttachment['contentType']> = (
  content: Extract<ChatAttachment, { contentType: K }>['content'],
  ctx: CardContext,
) => HTMLElement;

/** Renderers by content type; the compiler insists on one for each type the protocol defines. */
const renderers: { [K in ChatAttachment['contentType']]: CardRenderer<K> } = {
  'application/vnd.parking.facility-list+json': renderFacilityList,
  'application/vnd.parking.booking+json': renderBookingSummary,
};

/** The card for an attachment (already checked by `guards.ts`). */
export function renderAttachment(attachment: ChatAttachment, ctx: CardContext): HTMLElement {
  const render = renderers[attachment.contentType] as CardRenderer<typeof attachment.contentType>;
  return render(attachment.content as never, ctx);
}

/** A list of car parks, each with its live free count and an action button. */
export function renderFacilityList(content: FacilityListContent, ctx: CardContext): HTMLElement {
  return el('div', { class: 'card card-facilities' }, [
    el('p', { class: 'card-title', text: content.title, attrs: { dir: 'auto' } }),
    el(
      'ul',
      { class: 'facilities' },
      content.facilities.map((f) => renderFacility(f, ctx)),
    ),
  ]);
}

function renderFacility(f: FacilityCardItem, { t, lang }: CardContext): HTMLElement {
  const where = [f.address, f.distanceKm === undefined ? '' : formatKm(f.distanceKm, lang)].filter(Boolean);
  const facts = [f.price, f.hoursToday ? t.today(f.hoursToday) : ''].filter(Boolean);
  const free = el('p', { class: 'free' });
  setFree(free, f.free, f.total, t);
  return el('li', { class: 'facility', attrs: { 'data-facility-id': f.facilityId } }, [
    el('p', { class: 'facility-name', text: f.name, attrs: { dir: 'auto' } }),
    el('p', { class: 'facility-where', text: where.join(' · '), attrs: { dir: 'auto' } }),
    free,
    el('p', { class: 'facility-facts', text: facts.join(' · '), attrs: { dir: 'auto' } }),
    f.action ? actionButton(f.action, 'action-primary') : undefined,
  ]);
}

/** A booking's summary: reference, status and the details a driver checks. */
export function renderBookingSummary(b: BookingSummaryContent, { t }: CardContext): HTMLElement {
  const space = [b.spaceCode, b.spaceKind].filter(Boolean).join(' · ');
  const rows: Array<[string, string]> = [
    [t.reference, b.reference],
    [t.facility, b.facilityName],
    [t.space, space],
    [t.plate, b.plate],
    [t.when, b.when],
    [t.price, b.price],
  ];
  return el('div', { class: 'card card-booking' }, [
    el('p', { class: 'card-title', text: b.title, attrs: { dir: 'auto' } }),
    el('p', {
      class: 'booking-status',
      text: b.statusLabel,
      attrs: { 'data-status': b.status, 'aria-label': `${t.status}: ${b.statusLabel}` },
    }),
    el(
      'dl',
      {},
      rows
        .filter(([, value]) => value !== '')
        .flatMap(([label, value]) => [
          el('dt', { text: label }),
          el('dd', { text: value, attrs: { dir: 'auto' } }),
        ]),
    ),
    b.note ? appendLinkedText(el('p', { class: 'note', attrs: { dir: 'auto' } }), b.note) : undefined,
  ]);
}

/**
 * Applies a `facility.free` update to every card on screen that shows that facility. Cards are
 * found by comparing `data-facility-id` values, never by building a selector from the id.
 */
export function applyFacilityFree(root: ParentNode, update: FacilityFree, t: Strings): number {
  let changed = 0;
  for (const item of root.querySelectorAll<HTMLElement>('[data-facility-id]')) {
    const free = item.dataset['facilityId'] === update.facilityId ? item.querySelector('.free') : null;
    if (free instanceof HTMLElement) {
      setFree(free, update.free, update.total, t);
      changed++;
    }
  }
  return changed;
}

function setFree(node: HTMLElement, free: number, total: number, t: Strings): void {
  const level = free <= 0 ? 'full' : free <= Math.max(2, total * 0.1) ? 'low' : 'ok';
  node.dataset['level'] = level;
  node.textContent = level === 'full' ? t.full(total) : t.free(free, total);
}

function formatKm(km: number, lang: Lang): string {
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(km)} km`;
}
