import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';

export interface TranscriptEntry {
  readonly id: string;
  readonly direction: 'in' | 'out';
  readonly sender: 'driver' | 'bot' | 'agent';
  readonly text: string | null;
  readonly payload: unknown;
  readonly at: Date;
}

export interface ConversationKey {
  readonly channel: string;
  /** the channel's own conversation id */
  readonly externalId: string;
}

/** Conversations, their transcripts and handoff requests. */
export interface ConversationStore {
  /** Creates or updates the conversation and returns its id; keeps the latest reference for proactive messages. */
  touch(
    key: ConversationKey,
    update: { driverId?: string; reference?: unknown; locale?: string },
  ): Promise<string>;
  append(conversationId: string, entry: Omit<TranscriptEntry, 'id' | 'at'> & { at?: Date }): Promise<void>;
  /** the last `limit` messages, oldest first */
  recent(key: ConversationKey, limit: number): Promise<TranscriptEntry[]>;
  requestHandoff(conversationId: string, reason: string | null): Promise<void>;
  /** Deletes every conversation (and transcript) of a driver. */
  eraseDriver(driverId: string): Promise<number>;
}

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
