import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';

/** Who wrote a transcript entry: the driver, the bot, a support agent, or the platform itself. */
export type TranscriptSender = 'driver' | 'bot' | 'agent' | 'system';
export const TRANSCRIPT_SENDERS: readonly TranscriptSender[] = ['driver', 'bot', 'agent', 'system'];

/** Who answers a conversation: the bot, or (during a handoff) the agents. */
export type ConversationMode = 'bot' | 'handoff_requested' | 'agent' | 'closed';
export const CONVERSATION_MODES: readonly ConversationMode[] = [
  'bot',
  'handoff_requested',
  'agent',
  'closed',
];

export interface TranscriptEntry {
  readonly id: string;
  readonly direction: 'in' | 'out';
  readonly sender: TranscriptSender;
  readonly text: string | null;
  readonly payload: unknown;
  readonly at: Date;
}

export interface ConversationKey {
  readonly channel: string;
  /** the channel's own conversation id */
  readonly externalId: string;
}

/** A stored conversation, as read back. */
export interface StoredConversation {
  /** the platform's own id (a uuid), the same on every channel */
  readonly id: string;
  readonly channel: string;
  readonly externalId: string;
  readonly driverId: string | null;
  readonly locale: string | null;
  readonly mode: ConversationMode;
  /** the latest botbuilder ConversationReference, for proactive messages; null before the first message */
  readonly reference: unknown;
  readonly lastMessageAt: Date | null;
}

/** Finds a conversation by the channel's key or by the platform's id. */
export type ConversationLookup = ConversationKey | { readonly id: string };

/**
 * Conversations, their transcripts and handoff requests. `PrismaConversationStore` in PostgreSQL;
 * `MemoryConversationStore` for tests and tools. Both pass `conversation-store.contract.ts`.
 */
export interface ConversationStore {
  /** Creates or updates the conversation and returns its id; keeps the latest reference for proactive messages. */
  touch(
    key: ConversationKey,
    update: { driverId?: string; reference?: unknown; locale?: string },
  ): Promise<string>;
  append(conversationId: string, entry: Omit<TranscriptEntry, 'id' | 'at'> & { at?: Date }): Promise<void>;
  /** the last `limit` messages, oldest first */
  recent(key: ConversationKey, limit: number): Promise<TranscriptEntry[]>;
  /** The stored conversation reference (read back), or null for an unknown conversation. */
  reference(key: ConversationKey): Promise<unknown>;
  /** One conversation, or null. */
  find(lookup: ConversationLookup): Promise<StoredConversation | null>;
  /** Sets who answers the conversation (the handoff console's switch). */
  setMode(conversationId: string, mode: ConversationMode): Promise<void>;
  /** Records a handoff request and sets the mode to `handoff_requested`. */
  requestHandoff(conversationId: string, reason: string | null): Promise<void>;
  /** Deletes every conversation (and transcript) of a driver. */
  eraseDriver(driverId: string): Promise<number>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Conversations in PostgreSQL. */
export class PrismaConversationStore implements ConversationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async touch(
    key: ConversationKey,
    u: { driverId?: string; reference?: unknown; locale?: string },
  ): Promise<string> {
    const data = {
      ...(u.driverId ? { driverId: u.driverId } : {}),
      ...(u.reference ? { reference: u.reference as Prisma.InputJsonValue } : {}),
      ...(u.locale ? { locale: u.locale } : {}),
      lastMessageAt: new Date(),
    };
    const row = await this.prisma.conversation.upsert({
      where: { channel_externalId: { channel: key.channel, externalId: key.externalId } },
      create: { channel: key.channel, externalId: key.externalId, ...data },
      update: data,
      select: { id: true },
    });
    return row.id;
  }

  async append(conversationId: string, e: Omit<TranscriptEntry, 'id' | 'at'> & { at?: Date }): Promise<void> {
    await this.prisma.transcriptMessage.create({
      data: {
        conversationId,
        direction: e.direction,
        sender: e.sender,
        text: e.text,
        ...(e.payload !== undefined && e.payload !== null
          ? { payload: e.payload as Prisma.InputJsonValue }
          : {}),
        ...(e.at ? { at: e.at } : {}),
      },
    });
  }

  async recent(key: ConversationKey, limit: number): Promise<TranscriptEntry[]> {
    const rows = await this.prisma.transcriptMessage.findMany({
      where: { conversation: { channel: key.channel, externalId: key.externalId } },
      orderBy: { id: 'desc' },
      take: limit,
      select: { id: true, direction: true, sender: true, text: true, payload: true, at: true },
    });
    return rows.reverse().map((r) => ({
      ...r,
      id: String(r.id),
      direction: r.direction as TranscriptEntry['direction'],
      sender: r.sender as TranscriptEntry['sender'],
    }));
  }

  async reference(key: ConversationKey): Promise<unknown> {
    const row = await this.prisma.conversation.findUnique({
      where: { channel_externalId: { channel: key.channel, externalId: key.externalId } },
      select: { reference: true },
    });
    return row?.reference ?? null;
  }

  async find(lookup: ConversationLookup): Promise<StoredConversation | null> {
    if ('id' in lookup && !UUID.test(lookup.id)) return null; // not a uuid: PostgreSQL would refuse the query
    const row = await this.prisma.conversation.findUnique({
      where:
        'id' in lookup
          ? { id: lookup.id }
          : { channel_externalId: { channel: lookup.channel, externalId: lookup.externalId } },
      select: {
        id: true,
        channel: true,
        externalId: true,
        driverId: true,
        locale: true,
        mode: true,
        reference: true,
        lastMessageAt: true,
      },
    });
    return row ? { ...row, mode: row.mode as ConversationMode } : null;
  }

  async setMode(conversationId: string, mode: ConversationMode): Promise<void> {
    await this.prisma.conversation.update({ where: { id: conversationId }, data: { mode } });
  }

  async requestHandoff(conversationId: string, reason: string | null): Promise<void> {
    // A conversation has at most one open request (a partial unique index): asking again while
    // waiting keeps the first request and its place in the queue.
    await this.prisma.$transaction([
      this.prisma.handoffRequest.createMany({ data: [{ conversationId, reason }], skipDuplicates: true }),
      this.prisma.conversation.update({ where: { id: conversationId }, data: { mode: 'handoff_requested' } }),
    ]);
  }

  async eraseDriver(driverId: string): Promise<number> {
    const r = await this.prisma.conversation.deleteMany({ where: { driverId } });
    return r.count;
  }
}
