import { randomUUID } from 'node:crypto';
import type {
  ConversationKey,
  ConversationLookup,
  ConversationMode,
  ConversationStore,
  NewTranscriptEntry,
  StoredConversation,
  TranscriptEntry,
} from './conversation-store.ts';

interface Row {
  conversation: StoredConversation;
  entries: TranscriptEntry[];
}

/**
 * Conversations in memory, for tests and tools (the platform keeps them in PostgreSQL). Behaves
 * like `PrismaConversationStore`: both pass the same contract test.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly rows = new Map<string, Row>();
  private readonly byKey = new Map<string, string>();
  private readonly handoffs: Array<{ conversationId: string; reason: string | null }> = [];
  private nextEntry = 1;

  async touch(
    key: ConversationKey,
    u: { driverId?: string; reference?: unknown; locale?: string },
    entry?: NewTranscriptEntry,
  ): Promise<string> {
    const k = keyOf(key);
    const id = this.byKey.get(k) ?? randomUUID();
    const old = this.rows.get(id)?.conversation;
    const conversation: StoredConversation = {
      id,
      channel: key.channel,
      externalId: key.externalId,
      driverId: u.driverId ?? old?.driverId ?? null,
      locale: u.locale ?? old?.locale ?? null,
      mode: old?.mode ?? 'bot',
      reference: u.reference ? structuredClone(u.reference) : (old?.reference ?? null),
      lastMessageAt: new Date(),
    };
    this.byKey.set(k, id);
    this.rows.set(id, { conversation, entries: this.rows.get(id)?.entries ?? [] });
    if (entry) await this.append(id, entry);
    return id;
  }

  async appendMany(conversationId: string, entries: readonly NewTranscriptEntry[]): Promise<void> {
    for (const e of entries) await this.append(conversationId, e);
  }

  async append(conversationId: string, e: NewTranscriptEntry): Promise<void> {
    const row = this.rows.get(conversationId);
    if (!row) throw new Error(`no conversation ${conversationId}`);
    row.entries.push({
      id: String(this.nextEntry++),
      direction: e.direction,
      sender: e.sender,
      text: e.text,
      payload: e.payload === undefined ? null : structuredClone(e.payload),
      at: e.at ?? new Date(),
    });
  }

  async recent(key: ConversationKey, limit: number): Promise<TranscriptEntry[]> {
    const id = this.byKey.get(keyOf(key));
    const entries = (id && this.rows.get(id)?.entries) || [];
    return limit > 0 ? entries.slice(-limit) : [];
  }

  async reference(key: ConversationKey): Promise<unknown> {
    return (await this.find(key))?.reference ?? null;
  }

  async find(lookup: ConversationLookup): Promise<StoredConversation | null> {
    const id = 'id' in lookup ? lookup.id : this.byKey.get(keyOf(lookup));
    const row = id ? this.rows.get(id) : undefined;
    return row ? { ...row.conversation } : null;
  }

  async setMode(conversationId: string, mode: ConversationMode): Promise<void> {
    const row = this.rows.get(conversationId);
    if (!row) throw new Error(`no conversation ${conversationId}`);
    row.conversation = { ...row.conversation, mode };
  }

  async requestHandoff(conversationId: string, reason: string | null): Promise<void> {
    await this.setMode(conversationId, 'handoff_requested');
    this.handoffs.push({ conversationId, reason });
  }

  async eraseDriver(driverId: string): Promise<number> {
    let count = 0;
    for (const [id, row] of this.rows) {
      if (row.conversation.driverId !== driverId) continue;
      this.rows.delete(id);
      this.byKey.delete(keyOf(row.conversation));
      count++;
    }
    return count;
  }
}

const keyOf = (k: ConversationKey) => `${k.channel}\u0000${k.externalId}`;
