import { ActivityTypes, TurnContext, type Activity, type Middleware } from 'botbuilder';
import type { Driver } from '../../booking-core/index.ts';
import type { ConversationStore } from '../storage/conversation-store.ts';
import { CONVERSATION_ID, DRIVER, ERASED } from '../turn.ts';

/** What of an activity goes into the transcript besides its text. */
const payloadOf = (a: Partial<Activity>) => {
  const p = {
    ...(a.suggestedActions?.actions.length
      ? {
          suggestedActions: a.suggestedActions.actions.map((x) => ({
            title: String(x.title),
            value: String(x.value),
          })),
        }
      : {}),
    ...(a.attachments?.length
      ? {
          attachments: a.attachments.map((x) => ({
            contentType: x.contentType,
            content: x.content as unknown,
          })),
        }
      : {}),
    ...(typeof a.value === 'string' ? { value: a.value } : {}),
  };
  return Object.keys(p).length ? p : null;
};

/**
 * Records every message in and out as the conversation's transcript, and keeps the conversation's
 * reference so the platform can message the driver later. Skips what follows a data erasure.
 */
export class TranscriptMiddleware implements Middleware {
  constructor(
    private readonly store: ConversationStore,
    private readonly onError: (e: unknown) => void,
  ) {}

  async onTurn(ctx: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = ctx.activity;
    if (a.type !== ActivityTypes.Message) return next();
    const driver = ctx.turnState.get(DRIVER) as Driver | undefined;
    const conversationId = await this.store.touch(
      { channel: a.channelId, externalId: a.conversation.id },
      {
        ...(driver ? { driverId: driver.id } : {}),
        reference: TurnContext.getConversationReference(a),
        ...(a.locale ? { locale: a.locale } : {}),
      },
    );
    ctx.turnState.set(CONVERSATION_ID, conversationId);
    await this.store.append(conversationId, {
      direction: 'in',
      sender: 'driver',
      text: a.text ?? null,
      payload: payloadOf(a),
    });
    ctx.onSendActivities(async (_ctx, activities, sendNext) => {
      const sent = await sendNext();
      if (!ctx.turnState.get(ERASED)) {
        for (const out of activities.filter((x) => x.type === ActivityTypes.Message)) {
          await this.store
            .append(conversationId, {
              direction: 'out',
              sender: 'bot',
              text: out.text ?? null,
              payload: payloadOf(out),
            })
            .catch(this.onError);
        }
      }
      return sent;
    });
    await next();
  }
}
