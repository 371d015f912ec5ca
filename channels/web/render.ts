import type { Activity } from 'botbuilder';
import {
  attachmentSchema,
  type ChatActivity,
  type ChatAttachment,
  type SuggestedAction,
} from './protocol.ts';

const buttonsOf = (a: Partial<Activity>): SuggestedAction[] =>
  (a.suggestedActions?.actions ?? []).map((x) => ({
    title: String(x.title ?? x.value),
    value: String(x.value ?? x.title),
  }));

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
  const buttons = buttonsOf(a);
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
