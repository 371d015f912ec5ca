import { z } from 'zod';

/**
 * Channel-neutral rich content the bot sends: suggested actions (buttons) and two card types.
 * Each channel renders them in its best form (widget cards, Telegram inline keyboards, WhatsApp
 * numbered choices).
 */
export const suggestedActionSchema = z.object({
  title: z.string(),
  /** what comes back as the activity's `value` when pressed, e.g. "facility:<id>" */
  value: z.string(),
});

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
  action: suggestedActionSchema.optional(),
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

export type SuggestedAction = z.infer<typeof suggestedActionSchema>;
export type FacilityCardItem = z.infer<typeof facilityCardItemSchema>;
export type FacilityListCard = z.infer<typeof facilityListCardSchema>;
export type BookingCard = z.infer<typeof bookingCardSchema>;
export type ChatAttachment = z.infer<typeof attachmentSchema>;
