import { z } from 'zod';

/**
 * Channel-neutral rich content the bot sends: suggested actions (buttons) and two card types.
 * Each channel renders them in its best form (widget buttons and cards, Telegram inline keyboards,
 * WhatsApp reply buttons or numbered choices) and degrades what it cannot show to readable text.
 *
 * Actions:
 * - `postBack` (the default when `type` is absent): a button whose `value` comes back as the
 *   activity's `value` when pressed, e.g. "facility:<id>";
 * - `openUrl`: a link, e.g. a payment page;
 * - `requestLocation`: asks for the driver's position, which comes back as the value
 *   `location:<lat>,<lng>` (see {@link LOCATION_REQUEST}).
 */
export const postBackActionSchema = z.object({
  type: z.literal('postBack').optional(),
  title: z.string(),
  /** what comes back as the activity's `value` when pressed, e.g. "facility:<id>" */
  value: z.string(),
});
export const openUrlActionSchema = z.object({
  type: z.literal('openUrl'),
  title: z.string(),
  /** http(s) only */
  url: z.url({ protocol: /^https?$/ }),
});
export const requestLocationActionSchema = z.object({
  type: z.literal('requestLocation'),
  title: z.string(),
});
export const suggestedActionSchema = z.union([
  postBackActionSchema,
  openUrlActionSchema,
  requestLocationActionSchema,
]);

/**
 * The postBack value a `requestLocation` action carries in its botbuilder `CardAction`, so that a
 * renderer that only knows postBacks still offers something; the web widget answers it by asking
 * the browser for the position. A shared position comes back as `location:<lat>,<lng>`.
 */
export const LOCATION_REQUEST = 'location:ask';

export const FACILITY_LIST = 'application/vnd.parking.facility-list+json';
export const BOOKING_SUMMARY = 'application/vnd.parking.booking+json';

/** A facility in a list card; `free` is live where the channel can update it. */
export const facilityCardItemSchema = z.object({
  facilityId: z.string(),
  name: z.string(),
  address: z.string(),
  distanceKm: z.number().optional(),
  free: z.number().int(),
  total: z.number().int(),
  /** e.g. "£6.50/h" */
  price: z.string(),
  /** opening hours today, e.g. "07:00–24:00" */
  hoursToday: z.string().optional(),
  action: postBackActionSchema.optional(),
});

export const facilityListCardSchema = z.object({
  contentType: z.literal(FACILITY_LIST),
  content: z.object({ title: z.string(), facilities: z.array(facilityCardItemSchema) }),
});

export const bookingCardSchema = z.object({
  contentType: z.literal(BOOKING_SUMMARY),
  content: z.object({
    title: z.string(),
    reference: z.string(),
    status: z.string(),
    /** status in words, in the driver's language */
    statusLabel: z.string(),
    facilityName: z.string(),
    spaceCode: z.string(),
    spaceKind: z.string(),
    plate: z.string(),
    /** formatted in the facility's time zone and the driver's language */
    when: z.string(),
    price: z.string(),
    note: z.string().optional(),
  }),
});

export const attachmentSchema = z.discriminatedUnion('contentType', [
  facilityListCardSchema,
  bookingCardSchema,
]);

export type PostBackAction = z.infer<typeof postBackActionSchema>;
export type OpenUrlAction = z.infer<typeof openUrlActionSchema>;
export type RequestLocationAction = z.infer<typeof requestLocationActionSchema>;
/** Any action a reply can offer (see the schemas above). */
export type SuggestedAction = z.infer<typeof suggestedActionSchema>;
export type FacilityCardItem = z.infer<typeof facilityCardItemSchema>;
export type FacilityListCard = z.infer<typeof facilityListCardSchema>;
export type BookingCard = z.infer<typeof bookingCardSchema>;
export type ChatAttachment = z.infer<typeof attachmentSchema>;

/** A botbuilder `CardAction` shape (kept structural so channels need no botbuilder import). */
export interface CardActionLike {
  type: string;
  title?: string;
  value?: unknown;
}

/** A channel-neutral action as a botbuilder `CardAction` (what `reply()` puts on an activity). */
export function toCardAction(a: SuggestedAction): { type: string; title: string; value: string } {
  if (a.type === 'openUrl') return { type: 'openUrl', title: a.title, value: a.url };
  if (a.type === 'requestLocation')
    return { type: 'requestLocation', title: a.title, value: LOCATION_REQUEST };
  return { type: 'postBack', title: a.title, value: a.value };
}

/**
 * A botbuilder `CardAction` back as a channel-neutral action, for renderers. Button-like types
 * (`imBack`, `messageBack`…) become postBacks; an action without a title or value, or a link that
 * is not http(s), is dropped.
 */
export function fromCardAction(a: CardActionLike): SuggestedAction | null {
  const title = String(a.title ?? a.value ?? '');
  if (!title) return null;
  if (a.type === 'openUrl') {
    const parsed = openUrlActionSchema.safeParse({ type: 'openUrl', title, url: a.value });
    return parsed.success ? parsed.data : null; // not an http(s) link: never shown
  }
  if (a.type === 'requestLocation') return { type: 'requestLocation', title };
  return { title, value: String(a.value ?? title) };
}

/** The actions of an activity's `suggestedActions`, channel-neutral. */
export const actionsOf = (activity: {
  suggestedActions?: { actions: CardActionLike[] };
}): SuggestedAction[] => (activity.suggestedActions?.actions ?? []).flatMap((x) => fromCardAction(x) ?? []);
