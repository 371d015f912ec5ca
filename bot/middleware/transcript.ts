import { randomUUID } from 'node:crypto';
import { ActivityTypes, TurnContext, type Activity, type Middleware } from 'botbuilder';
import type { Driver } from '../../booking-core/index.ts';
import { actionsOf } from '../cards.ts';
import type { ConversationStore } from '../storage/conversation-store.ts';
import { CONVERSATION_ID, DRIVER, ERASED, FACILITY_OF_TURN, REPLAYED_TURN, turnInfo } from '../turn.ts';

/**
 * What of an activity goes into the transcript besides its text: its channel-neutral actions
 * (`{ title, value }` for a postBack, `{ type: 'openUrl', title, url }`…), cards and button value.
 */
export const transcriptPayload = (a: Partial<Activity>): Record<string, unknown> | null => {
  const actions = actionsOf(a as { suggestedActions?: { actions: Array<{ type: string }> } });
  const p = {
    ...(actions.length ? { suggestedActions: actions } : {}),
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
 * reference so the platform can message the driver later. The bot's replies are recorded when the
 * turn has finished (so a turn that fails and is run again leaves no half-recorded answer). Skips
 * what follows a data erasure, and the driver's message when a turn is replayed.
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
    // The touch and the driver's message are one write (not on a replayed turn: already recorded).
    const conversationId = await this.store.touch(
      { channel: a.channelId, externalId: a.conversation.id },
      {
        ...(driver ? { driverId: driver.id } : {}),
        reference: TurnContext.getConversationReference(a),
        ...(a.locale ? { locale: a.locale } : {}),
      },
      ctx.turnState.get(REPLAYED_TURN)
        ? undefined
        : { direction: 'in', sender: 'driver', text: a.text ?? null, payload: transcriptPayload(a) },
    );
    ctx.turnState.set(CONVERSATION_ID, conversationId);
    const replies: Partial<Activity>[] = [];
    ctx.onSendActivities(async (_ctx, activities, sendNext) => {
      for (const x of activities) x.id ??= randomUUID(); // the id the channel sends it with
      replies.push(...activities.filter((x) => x.type === ActivityTypes.Message));
      return sendNext();
    });
    await next();
    if (ctx.turnState.get(ERASED)) return;
    const nlu = understoodOf(ctx);
    // The turn's replies, in order, in one write.
    await this.store
      .appendMany(
        conversationId,
        replies.map((out, i) => ({
          direction: 'out' as const,
          sender: 'bot' as const,
          text: out.text ?? null,
          // the id the channel sent it with (a delivery status — WhatsApp's read ticks — finds its
          // entry); the first reply to a typed message notes what the NLU made of it (analytics)
          payload: { ...transcriptPayload(out), activityId: out.id, ...(i === 0 && nlu ? { nlu } : {}) },
        })),
      )
      .catch(this.onError);
  }
}

/**
 * What the NLU made of a typed message this turn: its intent, whether it fell back (none), and
 * the car park the turn was about when there was one (named, or the booking under way).
 */
function understoodOf(ctx: TurnContext): { intent: string; fallback: boolean; facilityId?: string } | null {
  try {
    const info = turnInfo(ctx);
    if (!info.text || info.value !== null) return null;
    const facilityId =
      (ctx.turnState.get(FACILITY_OF_TURN) as string | undefined) ?? info.understood.entities.facility?.id;
    return {
      intent: info.understood.intent,
      fallback: info.understood.intent === 'none',
      ...(facilityId ? { facilityId } : {}),
    };
  } catch {
    return null; // no turn info: the bot did not run (e.g. a rate-limited message)
  }
}
