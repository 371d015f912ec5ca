import { z } from 'zod';

export const WHATSAPP_CHANNEL = 'whatsapp';

/** Meta's webhook body for the `messages` field; unknown fields pass, unknown message types are kept. */
const contactSchema = z.object({
  wa_id: z.string(),
  profile: z.object({ name: z.string() }).partial().optional(),
});
const messageSchema = z.looseObject({
  from: z.string(),
  id: z.string(),
  timestamp: z.string(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  /** a quick-reply button on a template message */
  button: z.object({ payload: z.string(), text: z.string() }).partial().optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
});
const statusSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  timestamp: z.string(),
  recipient_id: z.string(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z
    .array(z.looseObject({ code: z.number(), title: z.string().optional(), message: z.string().optional() }))
    .optional(),
});
export const webhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.looseObject({
            metadata: z.object({ phone_number_id: z.string() }).partial().optional(),
            contacts: z.array(contactSchema).optional(),
            messages: z.array(messageSchema).optional(),
            statuses: z.array(statusSchema).optional(),
          }),
        }),
      ),
    }),
  ),
});
export type WebhookPayload = z.infer<typeof webhookSchema>;
type WaMessage = z.infer<typeof messageSchema>;

/** A driver's message as the channel hands it on (the runtime's InboundMessage shape). */
export interface WhatsAppInbound {
  readonly channel: typeof WHATSAPP_CHANNEL;
  readonly conversationId: string;
  readonly user: { id: string; name?: string; phone: string };
  readonly messageId: string;
  readonly text?: string;
  readonly value?: string;
  /** kept with the conversation's reference: where to answer, and when the driver last wrote */
  readonly address: WhatsAppAddress;
}

export interface WhatsAppAddress extends Record<string, unknown> {
  readonly waId: string;
  readonly phoneNumberId?: string;
  /** ISO instant of the driver's last message: opens WhatsApp's 24-hour customer-service window */
  readonly lastInboundAt: string;
  /** the driver's last message id (wamid…): a typing indicator is shown by marking it read */
  readonly lastMessageId?: string;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A status callback for a message we sent. */
export interface StatusUpdate {
  readonly messageId: string;
  readonly status: DeliveryStatus;
  readonly recipient: string;
  readonly at: Date;
  readonly errors: ReadonlyArray<{ code: number; title?: string; message?: string }>;
  /** what we sent as `biz_opaque_callback_data`: the activity id of the message */
  readonly activityId?: string;
}

/** What one webhook delivery carries. */
export interface WebhookBatch {
  readonly messages: ReadonlyArray<{ inbound: WhatsAppInbound; supported: boolean; at: Date }>;
  readonly statuses: readonly StatusUpdate[];
}

type Content = Pick<WhatsAppInbound, 'text' | 'value'>;

/** How each message type reads; types not listed (image, audio, sticker…) are not understood. */
const readers: Record<string, (m: WaMessage) => Content | null> = {
  text: (m) => (m.text ? { text: m.text.body } : null),
  interactive: (m) => {
    const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
    return reply ? { value: reply.id } : null;
  },
  button: (m) =>
    m.button?.payload ? { value: m.button.payload } : m.button?.text ? { text: m.button.text } : null,
  // the same value the widget sends for a shared position
  location: (m) => (m.location ? { value: `location:${m.location.latitude},${m.location.longitude}` } : null),
};

const STATUSES = new Set<string>(['sent', 'delivered', 'read', 'failed']);
const instant = (unixSeconds: string) => new Date(Number(unixSeconds) * 1000);

/**
 * A webhook body (already signature-checked and JSON-parsed) as drivers' messages and status
 * callbacks. Returns null when it is not a WhatsApp messages webhook at all.
 */
export function readWebhook(body: unknown): WebhookBatch | null {
  const parsed = webhookSchema.safeParse(body);
  if (!parsed.success) return null;
  const messages: Array<WebhookBatch['messages'][number]> = [];
  const statuses: StatusUpdate[] = [];
  for (const change of parsed.data.entry.flatMap((e) => e.changes)) {
    if (change.field !== 'messages') continue;
    const { value } = change;
    const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
    for (const m of value.messages ?? []) {
      const content = readers[m.type]?.(m) ?? null;
      const at = instant(m.timestamp);
      const name = names.get(m.from);
      messages.push({
        supported: content !== null,
        at,
        inbound: {
          channel: WHATSAPP_CHANNEL,
          conversationId: m.from,
          user: { id: m.from, phone: `+${m.from}`, ...(name ? { name } : {}) },
          messageId: m.id,
          ...content,
          address: {
            waId: m.from,
            lastInboundAt: at.toISOString(),
            lastMessageId: m.id,
            ...(value.metadata?.phone_number_id ? { phoneNumberId: value.metadata.phone_number_id } : {}),
          },
        },
      });
    }
    for (const s of value.statuses ?? []) {
      if (!STATUSES.has(s.status)) continue;
      statuses.push({
        messageId: s.id,
        status: s.status as DeliveryStatus,
        recipient: s.recipient_id,
        at: instant(s.timestamp),
        errors: s.errors ?? [],
        ...(s.biz_opaque_callback_data ? { activityId: s.biz_opaque_callback_data } : {}),
      });
    }
  }
  return { messages, statuses };
}

/** The polite answer to a voice note, photo or sticker. */
export const UNSUPPORTED_REPLY: Record<string, string> = {
  en: 'Sorry, I can read text, buttons and locations, but not that kind of message. Please type it.',
  es: 'Lo siento, puedo leer texto, botones y ubicaciones, pero no ese tipo de mensaje. Escríbelo, por favor.',
};
