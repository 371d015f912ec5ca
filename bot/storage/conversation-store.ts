import type { Database } from '../../booking-core/index.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';

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

/** A transcript entry to record (its id and, unless given, its time are the store's). */
export type NewTranscriptEntry = Omit<TranscriptEntry, 'id' | 'at'> & { at?: Date };

/** Finds a conversation by the channel's key or by the platform's id. */
export type ConversationLookup = ConversationKey | { readonly id: string };

/**
 * Conversations, their transcripts and handoff requests. `PrismaConversationStore` in PostgreSQL;
 * `MemoryConversationStore` for tests and tools. Both pass `conversation-store.contract.ts`.
 */
export interface ConversationStore {
  /**
   * Creates or updates the conversation and returns its id; keeps the latest reference for
   * proactive messages. With `entry` (the driver's message of a turn), records it too, in the
   * same step (one statement in PostgreSQL).
   */
  touch(
    key: ConversationKey,
    update: { driverId?: string; reference?: unknown; locale?: string },
    entry?: NewTranscriptEntry,
  ): Promise<string>;
  append(conversationId: string, entry: NewTranscriptEntry): Promise<void>;
  /** Records several entries in this order, at once (a turn's replies: one statement in PostgreSQL). */
  appendMany(conversationId: string, entries: readonly NewTranscriptEntry[]): Promise<void>;
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

/**
 * Conversations in PostgreSQL. What every chat turn writes — the conversation's touch with the
 * driver's message, then the replies — goes as one plain SQL statement each (on the pool under
 * Prisma, which costs several times the CPU of a query per row); the rest through Prisma.
 */
export class PrismaConversationStore implements ConversationStore {
  private readonly prisma: PrismaClient;
  private readonly sql: Database['sql'];

  constructor(db: Pick<Database, 'prisma' | 'sql'>) {
    this.prisma = db.prisma;
    this.sql = db.sql;
  }

  async touch(
    key: ConversationKey,
    u: { driverId?: string; reference?: unknown; locale?: string },
    entry?: NewTranscriptEntry,
  ): Promise<string> {
    // The insert of the entry is a data-modifying CTE: it runs whether or not the outer query reads it.
    const [row] = await this.sql.query<{ id: string }>(
      `WITH c AS (
         INSERT INTO conversation (id, channel, external_id, driver_id, reference, locale, created_at, updated_at, last_message_at)
         VALUES (gen_random_uuid(), $1, $2, $3::uuid, $4::jsonb, $5, now(), now(), now())
         ON CONFLICT (channel, external_id) DO UPDATE SET
           driver_id = COALESCE(EXCLUDED.driver_id, conversation.driver_id),
           reference = COALESCE(EXCLUDED.reference, conversation.reference),
           locale = COALESCE(EXCLUDED.locale, conversation.locale),
           updated_at = now(), last_message_at = now()
         RETURNING id
       ), entry AS (
         INSERT INTO transcript_message (conversation_id, direction, sender, text, payload, at)
         SELECT c.id, $6::text, $7::text, $8::text, $9::jsonb, COALESCE($10::timestamptz, now())
         FROM c WHERE $6::text IS NOT NULL
       )
       SELECT id FROM c`,
      [
        key.channel,
        key.externalId,
        u.driverId ?? null,
        u.reference ? JSON.stringify(u.reference) : null,
        u.locale ?? null,
        entry?.direction ?? null,
        entry?.sender ?? null,
        entry?.text ?? null,
        jsonOrNull(entry?.payload),
        entry?.at ?? null,
      ],
      'conversation_touch',
    );
    if (!row) throw new Error(`conversation ${key.channel}/${key.externalId} was not stored`);
    return row.id;
  }

  async append(conversationId: string, e: NewTranscriptEntry): Promise<void> {
    await this.appendMany(conversationId, [e]);
  }

  async appendMany(conversationId: string, entries: readonly NewTranscriptEntry[]): Promise<void> {
    if (!entries.length) return;
    const params: unknown[] = [conversationId];
    const rows = entries.map((e) => {
      const at = params.push(e.direction, e.sender, e.text, jsonOrNull(e.payload), e.at ?? null);
      return `($1::uuid, $${at - 4}::text, $${at - 3}::text, $${at - 2}::text, $${at - 1}::jsonb, COALESCE($${at}::timestamptz, now()))`;
    });
    // One statement: its rows get their ids (the transcript's order) in the order listed.
    await this.sql.query(
      `INSERT INTO transcript_message (conversation_id, direction, sender, text, payload, at) VALUES ${rows.join(', ')}`,
      params,
      entries.length <= 8 ? `transcript_append_${entries.length}` : undefined, // the same text for a count
    );
  }

  async recent(key: ConversationKey, limit: number): Promise<TranscriptEntry[]> {
    // a widget's history when it (re)connects: newest first by the index, then put in order
    const rows = await this.sql.query<TranscriptEntry & { id: string | number }>(
      `SELECT m.id::text AS id, m.direction, m.sender, m.text, m.payload, m.at
       FROM conversation c JOIN transcript_message m ON m.conversation_id = c.id
       WHERE c.channel = $1 AND c.external_id = $2
       ORDER BY m.id DESC LIMIT $3`,
      [key.channel, key.externalId, limit],
      'transcript_recent',
    );
    return rows.reverse().map((r) => ({ ...r, id: String(r.id) }));
  }

  async reference(key: ConversationKey): Promise<unknown> {
    return (await this.find(key))?.reference ?? null;
  }

  async find(lookup: ConversationLookup): Promise<StoredConversation | null> {
    if ('id' in lookup && !UUID.test(lookup.id)) return null; // not a uuid: PostgreSQL would refuse the query
    // every delivery (a reply from elsewhere, a reminder, an agent's message) looks one up
    const [row] = await this.sql.query<StoredConversation>(
      `SELECT id, channel, external_id AS "externalId", driver_id AS "driverId", locale, mode::text AS mode,
              reference, last_message_at AS "lastMessageAt"
       FROM conversation WHERE ${'id' in lookup ? 'id = $1::uuid' : 'channel = $1 AND external_id = $2'}`,
      'id' in lookup ? [lookup.id] : [lookup.channel, lookup.externalId],
      'id' in lookup ? 'conversation_by_id' : 'conversation_by_key',
    );
    return row ?? null;
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

/** A JSON column's parameter: SQL NULL for nothing (as Prisma stores an absent payload). */
const jsonOrNull = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
