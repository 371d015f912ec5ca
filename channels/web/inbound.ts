import type { InboundMessage } from '../runtime/index.ts';
import type { ClientMessage } from './protocol.ts';
import type { WebSession } from './session.ts';

export const WEB_CHANNEL = 'web';

/** A widget message (typed text or a pressed button) as the runtime's inbound message. */
export function toInbound(message: ClientMessage, session: WebSession, locale?: string): InboundMessage {
  return {
    channel: WEB_CHANNEL,
    conversationId: session.conversationId,
    user: { id: session.visitorId },
    ...('text' in message ? { text: message.text } : { value: message.value }),
    ...(locale ? { locale } : {}),
  };
}
