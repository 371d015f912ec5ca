import { randomUUID } from 'node:crypto';
import { ActivityTypes, type Activity } from 'botbuilder';
import type { Namespace } from 'socket.io';
import type { ChannelOutlet, ConversationAddress, Sender } from '../runtime/index.ts';
import { WEB_CHANNEL } from './inbound.ts';
import { FACILITY_LIST, type ClientToServerEvents, type ServerToClientEvents } from './protocol.ts';
import { toChatActivity } from './render.ts';

type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;

export const conversationRoom = (id: string) => `conv:${id}`;
export const facilityRoom = (id: string) => `facility:${id}`;

/**
 * The web widget's outlet on the conversation runtime: emits each activity to the conversation's
 * room, so every socket of it gets it, on any instance (socket.io's Redis adapter carries it), and
 * has those sockets follow the live counts of the car parks on its cards.
 */
export class WebChatOutlet implements ChannelOutlet {
  readonly channel = WEB_CHANNEL;

  /** `namespace()` is null until the socket.io server is attached; nothing is sent before. */
  constructor(private readonly namespace: () => ChatNamespace | null) {}

  async send(to: ConversationAddress, activities: readonly Partial<Activity>[], from: Sender): Promise<void> {
    const nsp = this.namespace();
    if (!nsp) return;
    const room = conversationRoom(to.conversationId);
    for (const a of activities) {
      if (a.type !== ActivityTypes.Message) continue;
      const activity = {
        ...toChatActivity(a, a.id ?? randomUUID(), from.role === 'agent' ? 'agent' : 'bot'),
        ...(from.role === 'agent' && from.name ? { name: from.name } : {}),
      };
      nsp.to(room).emit('activity', activity);
      const facilities = (activity.attachments ?? []).flatMap((c) =>
        c.contentType === FACILITY_LIST ? c.content.facilities.map((f) => f.facilityId) : [],
      );
      if (facilities.length) nsp.in(room).socketsJoin(facilities.map(facilityRoom));
    }
  }

  /** The widget shows "typing…", naming an agent who writes. */
  async typing(to: ConversationAddress, from?: Sender): Promise<void> {
    const name = from?.role === 'agent' ? from.name : undefined;
    this.namespace()
      ?.to(conversationRoom(to.conversationId))
      .emit('typing', name ? { name } : {});
  }
}
