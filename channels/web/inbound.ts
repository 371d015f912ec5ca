import { ActivityTypes, type Activity } from 'botbuilder';
import type { ClientMessage } from './protocol.ts';
import type { WebSession } from './session.ts';

export const WEB_CHANNEL = 'web';

/** A widget message (typed text or a pressed button) as a bot activity. */
export function toActivity(message: ClientMessage, session: WebSession, locale?: string): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    channelId: WEB_CHANNEL,
    id: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    timestamp: new Date(),
    serviceUrl: 'socket.io:/chat',
    from: { id: session.visitorId, name: '', role: 'user' },
    recipient: { id: 'parking-bot', name: 'Parking bot', role: 'bot' },
    conversation: { id: session.conversationId, isGroup: false, conversationType: 'personal', name: '' },
    ...('text' in message ? { text: message.text } : { value: message.value, text: '' }),
    ...(locale ? { locale } : {}),
  };
}
