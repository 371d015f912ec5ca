import { randomUUID } from 'node:crypto';
import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { ChatActivity } from './protocol.ts';
import { toChatActivity } from './render.ts';

/** Delivers rendered activities to everyone in a conversation (its sockets, on any instance). */
export type Deliver = (conversationId: string, activity: ChatActivity) => void;

/**
 * The web widget's `BotAdapter`: runs the bot's middleware and logic for each widget message and
 * delivers replies to the conversation's sockets. Also sends proactive messages (reminders, agent
 * replies) to a stored conversation reference.
 */
export class WebChatAdapter extends BotAdapter {
  constructor(private readonly deliver: Deliver) {
    super();
  }

  /** Runs one incoming activity through middleware and the bot. */
  async processActivity(
    activity: Partial<Activity>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    const ctx = new TurnContext(this, activity);
    await this.runMiddleware(ctx, logic);
  }

  async sendActivities(_ctx: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return activities.map((a) => {
      const id = a.id ?? randomUUID();
      if (a.type === 'message' && a.conversation?.id) this.deliver(a.conversation.id, toChatActivity(a, id));
      return { id };
    });
  }

  async updateActivity(): Promise<void> {
    throw new Error('the web chat channel does not edit sent messages');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('the web chat channel does not delete sent messages');
  }

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
