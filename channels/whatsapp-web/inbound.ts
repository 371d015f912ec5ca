import type { Message } from 'whatsapp-web.js';

export const WHATSAPP_WEB_CHANNEL = 'whatsapp-web';

/** A driver's message from the linked phone, in the runtime's InboundMessage shape. */
export interface WhatsAppWebInbound {
  readonly channel: typeof WHATSAPP_WEB_CHANNEL;
  /** the chat id, e.g. 447700900123@c.us */
  readonly conversationId: string;
  readonly user: { id: string; name?: string; phone?: string };
  readonly messageId: string;
  readonly text?: string;
  readonly value?: string;
  readonly address: { chatId: string };
}

/** Message types read; anything else (voice notes, photos, stickers) gets the polite answer. */
const readers: Record<string, (m: Message) => Pick<WhatsAppWebInbound, 'text' | 'value'> | null> = {
  chat: (m) => (m.body ? { text: m.body } : null),
  location: (m) => (m.location ? { value: `location:${m.location.latitude},${m.location.longitude}` } : null),
};

/** Only one-to-one chats with people: not our own messages, groups, channels or status updates. */
const fromPerson = (m: Message) => !m.fromMe && /@(c\.us|lid)$/.test(m.from);

/**
 * A whatsapp-web.js message as an inbound message; `supported: false` for types the bot cannot
 * read; null for messages that are not a driver writing to us.
 */
export function readMessage(m: Message): { inbound: WhatsAppWebInbound; supported: boolean } | null {
  if (!fromPerson(m)) return null;
  const content = readers[m.type]?.(m) ?? null;
  const digits = /^(\d{6,15})@c\.us$/.exec(m.from)?.[1];
  const name = (m as unknown as { _data?: { notifyName?: string } })._data?.notifyName;
  return {
    supported: content !== null,
    inbound: {
      channel: WHATSAPP_WEB_CHANNEL,
      conversationId: m.from,
      user: { id: m.from, ...(digits ? { phone: `+${digits}` } : {}), ...(name ? { name } : {}) },
      messageId: m.id._serialized,
      ...content,
      address: { chatId: m.from },
    },
  };
}
