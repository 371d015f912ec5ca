import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { REPLAYED_TURN } from '../../bot/index.ts';
import type { ChannelOutlet, ConversationAddress } from './types.ts';

const OUTBOX = Symbol('runtime.outbox');

/** One turn's way out: where its replies go, and what happened to them. */
export interface TurnOutput {
  readonly outlet: ChannelOutlet;
  readonly to: ConversationAddress;
  /** told the replies of a turn that finished, in order, to send them */
  readonly flush: (ctx: TurnContext, replies: Partial<Activity>[]) => Promise<void>;
}

/**
 * The runtime's `BotAdapter`: runs the bot's middleware and logic for one inbound activity. The
 * turn's replies are held until the turn has finished — state saved — and then sent in order, so a
 * turn that fails (and is run again after a state conflict) never shows the driver half an answer.
 */
export class TurnAdapter extends BotAdapter {
  /** Runs one turn; rejects with the turn's error (nothing of a failed turn is sent). */
  async runTurn(
    activity: Partial<Activity>,
    output: TurnOutput,
    logic: (ctx: TurnContext) => Promise<void>,
    options: { replay: boolean; onContext: (ctx: TurnContext) => void },
  ): Promise<void> {
    const ctx = new TurnContext(this, activity);
    const outbox: Partial<Activity>[] = [];
    ctx.turnState.set(OUTBOX, { outbox, output });
    if (options.replay) ctx.turnState.set(REPLAYED_TURN, true);
    options.onContext(ctx);
    const flush = async () => {
      if (outbox.length) await output.flush(ctx, outbox.splice(0));
    };
    // Sent as soon as the bot has finished (its state saved), before middleware records them;
    // what middleware itself sends (a rate-limit notice) goes when the whole turn has run.
    await this.runMiddleware(ctx, async (c) => {
      await logic(c);
      await flush();
    });
    await flush();
  }

  async sendActivities(ctx: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const turn = ctx.turnState.get(OUTBOX) as { outbox: Partial<Activity>[]; output: TurnOutput } | undefined;
    if (!turn) throw new Error('the runtime sends outside a turn with deliver(), not the adapter');
    return activities.map((a) => {
      const id = a.id ?? randomUUID();
      if (a.type === ActivityTypes.Message) turn.outbox.push({ ...a, id });
      else if (a.type === ActivityTypes.Typing)
        void turn.output.outlet.typing?.(turn.output.to).catch(() => undefined);
      return { id };
    });
  }

  async updateActivity(): Promise<void> {
    throw new Error('the conversation runtime does not edit sent messages');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('the conversation runtime does not delete sent messages');
  }

  async continueConversation(
    _reference: Partial<ConversationReference>,
    _logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    throw new Error('send proactive messages with ConversationRuntime.deliver()');
  }
}
