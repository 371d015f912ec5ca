import type { Activity } from 'botbuilder';
import type { Booking, Facility, Notification } from '../booking-core/index.ts';
import { BOOKING_SUMMARY, type BookingCard } from './cards.ts';
import { formatMoney, formatWhen, formatWindow } from './format.ts';
import { messages } from './messages/index.ts';
import { paymentTexts } from './payment-texts.ts';
import type { Locale } from './ports.ts';
import { button, openUrl, reply } from './turn.ts';

export interface NotificationContext {
  readonly booking: Booking;
  readonly facility: Pick<Facility, 'name' | 'timeZone' | 'latitude' | 'longitude' | 'address'>;
  readonly locale: Locale;
  readonly now: Date;
  /** ends soon: the space is free for another hour, so "Extend 1 hour" is offered */
  readonly extendable?: boolean;
}

/** The booking card without a turn (a notification arrives on its own). */
function card(c: NotificationContext): BookingCard {
  const m = messages(c.locale);
  const b = c.booking;
  return {
    contentType: BOOKING_SUMMARY,
    content: {
      title: m.bookingCardTitle,
      reference: b.reference,
      status: b.status,
      statusLabel: m.statuses[b.status] ?? b.status,
      facilityName: c.facility.name,
      spaceCode: b.spaceCode,
      spaceKind: m.kinds[b.spaceKind] ?? b.spaceKind,
      plate: b.plate,
      when: formatWindow(b.from, b.to, c.facility.timeZone, c.locale, c.now),
      price: formatMoney(b.priceMinor, b.currency, c.locale),
    },
  };
}

const directionsUrl = (f: NotificationContext['facility']) =>
  `https://www.google.com/maps/dir/?api=1&destination=${f.latitude},${f.longitude}`;

type Render = (n: Notification, c: NotificationContext) => Partial<Activity>[];

/** One renderer per kind of notification (a lookup map, not a switch ladder). */
const RENDER: Record<Notification['kind'], Render> = {
  confirmed: (n, c) => {
    const t = paymentTexts(c.locale);
    const d = n.detail ?? {};
    const amount = formatMoney(
      Number(d['amountMinor'] ?? 0),
      String(d['currency'] ?? c.booking.currency),
      c.locale,
    );
    const provider = t.providers[String(d['provider'])] ?? String(d['provider'] ?? '');
    const receiptUrl =
      typeof d['receiptUrl'] === 'string' && /^https?:\/\//.test(d['receiptUrl']) ? d['receiptUrl'] : null;
    return [
      reply(d['purpose'] === 'extension' ? t.extensionPaid : t.confirmed, [], [card(c)]),
      reply(
        t.receipt(amount, c.booking.reference, provider),
        receiptUrl ? [openUrl(t.receiptLink, receiptUrl)] : [],
      ),
    ];
  },
  starts_soon: (_n, c) => {
    const t = paymentTexts(c.locale);
    const time = formatWhen(c.booking.from, c.facility.timeZone, c.locale, c.now);
    return [
      reply(`${t.startsSoon(c.facility.name, c.booking.spaceCode, time)} ${c.facility.address}`, [
        openUrl(t.directions, directionsUrl(c.facility)),
      ]),
    ];
  },
  ends_soon: (_n, c) => {
    const t = paymentTexts(c.locale);
    const time = formatWhen(c.booking.to, c.facility.timeZone, c.locale, c.now);
    return c.extendable
      ? [reply(t.endsSoonExtend(time), [button(t.extendHour, `extend:${c.booking.id}+60`)])]
      : [reply(t.endsSoon(time))];
  },
  hold_lapsed: (_n, c) => {
    const t = paymentTexts(c.locale);
    return [reply(t.holdLapsed(c.booking.reference), [button(t.bookAgain, `book:${c.booking.facilityId}`)])];
  },
  refunded: (n, c) => {
    const t = paymentTexts(c.locale);
    const d = n.detail ?? {};
    const amount = formatMoney(
      Number(d['amountMinor'] ?? 0),
      String(d['currency'] ?? c.booking.currency),
      c.locale,
    );
    return [reply(t.refunded(amount, c.booking.reference))];
  },
};

/**
 * What a booking notification says, in the driver's language and the facility's time zone, as
 * channel-neutral activities for the runtime's `deliver`.
 */
export const notificationActivities = (n: Notification, c: NotificationContext): Partial<Activity>[] =>
  RENDER[n.kind](n, c);
