import type { Activity } from 'botbuilder';
import { actionsOf, attachmentSchema, type ChatActivity, type ChatAttachment } from './protocol.ts';

/** Only the card types the widget knows travel; anything else is dropped, not passed through. */
const cardsOf = (a: Partial<Activity>): ChatAttachment[] =>
  (a.attachments ?? []).flatMap((x) => {
    const parsed = attachmentSchema.safeParse({ contentType: x.contentType, content: x.content });
    return parsed.success ? [parsed.data] : [];
  });

/** A bot activity as the widget's `activity` event. */
export function toChatActivity(
  a: Partial<Activity>,
  id: string,
  from: ChatActivity['from'] = 'bot',
): ChatActivity {
  const buttons = actionsOf(a);
  const cards = cardsOf(a);
  return {
    id,
    type: 'message',
    from,
    ...(a.text ? { text: a.text } : {}),
    ...(buttons.length ? { suggestedActions: buttons } : {}),
    ...(cards.length ? { attachments: cards } : {}),
    timestamp: new Date().toISOString(),
    ...(a.locale ? { locale: a.locale } : {}),
  };
}
