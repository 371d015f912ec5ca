import type { Database } from '../../booking-core/index.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import type { HandoffQuery, HandoffRepository } from '../ports.ts';
import type { Handoff, HandoffStatus, TranscriptLine } from '../types.ts';

const select = {
  id: true,
  conversationId: true,
  status: true,
  reason: true,
  summary: true,
  resolution: true,
  rating: true,
  createdAt: true,
  takenAt: true,
  closedAt: true,
  agent: { select: { id: true, displayName: true } },
  conversation: { select: { channel: true, locale: true, driverId: true } },
} as const;

type Row = {
  id: string;
  conversationId: string;
  status: string;
  reason: string | null;
  summary: string | null;
  resolution: string | null;
  rating: number | null;
  createdAt: Date;
  takenAt: Date | null;
  closedAt: Date | null;
  agent: { id: string; displayName: string } | null;
  conversation: { channel: string; locale: string | null; driverId: string | null };
};

const toHandoff = ({ conversation, ...r }: Row): Handoff => ({
  ...r,
  status: r.status as HandoffStatus,
  channel: conversation.channel,
  locale: conversation.locale,
  driverId: conversation.driverId,
});

/**
 * The open (waiting or active) request of each conversation `c` (a row of `conversation c`), as
 * a `Row`'s columns — one statement for what Prisma reads in three (request, agent, conversation).
 * The runtime asks on every driver's message, so it is plain SQL.
 */
const OPEN_REQUEST = `
  LEFT JOIN LATERAL (
    SELECT h.id, h.conversation_id AS "conversationId", h.status, h.reason, h.summary, h.resolution,
           h.rating, h.created_at AS "createdAt", h.taken_at AS "takenAt", h.closed_at AS "closedAt",
           a.id AS "agentId", a.display_name AS "agentName"
    FROM handoff_request h LEFT JOIN agent a ON a.id = h.agent_id
    WHERE h.conversation_id = c.id AND h.status IN ('waiting', 'active')
    ORDER BY h.created_at LIMIT 1
  ) o ON true`;

type OpenRow = Omit<Row, 'agent' | 'conversation' | 'id' | 'conversationId' | 'status' | 'createdAt'> & {
  /** null when the conversation has no open request */
  id: string | null;
  conversationId: string | null;
  status: string | null;
  createdAt: Date | null;
  agentId: string | null;
  agentName: string | null;
  c_id: string;
  c_mode: string;
  c_channel: string;
  c_locale: string | null;
  c_driverId: string | null;
};

const openOf = (r: OpenRow): Handoff | null =>
  r.id && r.conversationId && r.status && r.createdAt
    ? toHandoff({
        id: r.id,
        conversationId: r.conversationId,
        status: r.status,
        reason: r.reason,
        summary: r.summary,
        resolution: r.resolution,
        rating: r.rating,
        createdAt: r.createdAt,
        takenAt: r.takenAt,
        closedAt: r.closedAt,
        agent: r.agentId ? { id: r.agentId, displayName: r.agentName ?? '' } : null,
        conversation: { channel: r.c_channel, locale: r.c_locale, driverId: r.c_driverId },
      })
    : null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the conversation's mode becomes with each handoff state (the runtime routes on it). */
const MODE: Record<HandoffStatus, string> = {
  waiting: 'handoff_requested',
  active: 'agent',
  released: 'bot',
  closed: 'bot',
};

/**
 * Handoff requests in PostgreSQL. Claiming is one conditional UPDATE (`… WHERE status =
 * 'waiting'`): under concurrent claims PostgreSQL re-checks the condition after the first writer
 * commits, so exactly one agent's update matches.
 */
export class PrismaHandoffRepository implements HandoffRepository {
  private readonly prisma: PrismaClient;
  private readonly sql: Database['sql'];

  constructor(db: Pick<Database, 'prisma' | 'sql'>) {
    this.prisma = db.prisma;
    this.sql = db.sql;
  }

  /**
   * Conversations (`where` on `conversation c`) with their open request, if any. `name` keeps the
   * statement prepared (every chat turn asks by key); one name per `where`.
   */
  private conversationsWithOpen(where: string, params: unknown[], name?: string): Promise<OpenRow[]> {
    return this.sql.query<OpenRow>(
      `SELECT o.*, c.id AS c_id, c.mode AS c_mode, c.channel AS c_channel, c.locale AS c_locale,
              c.driver_id AS "c_driverId"
       FROM conversation c ${OPEN_REQUEST}
       WHERE ${where}`,
      params,
      name,
    );
  }

  async list(q: HandoffQuery): Promise<Handoff[]> {
    const rows = await this.prisma.handoffRequest.findMany({
      where: q.status ? { status: q.status } : {},
      orderBy: [{ createdAt: q.status === 'closed' ? 'desc' : 'asc' }, { id: 'asc' }],
      take: q.limit ?? 200,
      select,
    });
    return rows.map(toHandoff);
  }

  async get(id: string): Promise<Handoff | null> {
    if (!UUID.test(id)) return null;
    const r = await this.prisma.handoffRequest.findUnique({ where: { id }, select });
    return r ? toHandoff(r) : null;
  }

  async openFor(conversationId: string): Promise<Handoff | null> {
    if (!UUID.test(conversationId)) return null;
    const [row] = await this.conversationsWithOpen('c.id = $1::uuid', [conversationId]);
    return row ? openOf(row) : null;
  }

  async request(
    conversationId: string,
    reason: string | null,
    summary: string | null,
  ): Promise<Handoff | null> {
    if (!UUID.test(conversationId)) return null;
    const exists = await this.prisma.conversation.findUnique({
      where: { id: conversationId },
      select: { id: true },
    });
    if (!exists) return null;
    // ON CONFLICT DO NOTHING against the partial unique index: asking twice keeps the first request.
    await this.prisma.$transaction([
      this.prisma.handoffRequest.createMany({
        data: [{ conversationId, reason, summary }],
        skipDuplicates: true,
      }),
      this.prisma.conversation.updateMany({
        where: { id: conversationId, mode: { not: MODE.active } },
        data: { mode: MODE.waiting },
      }),
    ]);
    const open = await this.openFor(conversationId);
    if (!open) throw new Error(`handoff for conversation ${conversationId} vanished after it was requested`);
    return open;
  }

  async claim(id: string, agentId: string, at: Date): Promise<boolean> {
    if (!UUID.test(id)) return false;
    return this.move(id, { status: 'waiting' }, { status: 'active', agentId, takenAt: at }, 'active');
  }

  async finish(id: string, agentId: string, to: 'released' | 'closed', at: Date, resolution: string | null) {
    if (!UUID.test(id)) return false;
    return this.move(id, { status: 'active', agentId }, { status: to, closedAt: at, resolution }, to);
  }

  async withdraw(id: string, at: Date): Promise<boolean> {
    if (!UUID.test(id)) return false;
    return this.move(
      id,
      { status: 'waiting' },
      { status: 'closed', closedAt: at, resolution: 'withdrawn' },
      'closed',
    );
  }

  async rate(id: string, rating: number, at: Date): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const r = await this.prisma.handoffRequest.updateMany({
      where: { id, status: 'closed', rating: null },
      data: { rating, ratedAt: at },
    });
    return r.count === 1;
  }

  async transcript(conversationId: string, limit: number): Promise<TranscriptLine[]> {
    const rows = await this.prisma.transcriptMessage.findMany({
      where: { conversationId },
      orderBy: { id: 'desc' },
      take: limit,
      select: { id: true, sender: true, text: true, payload: true, at: true },
    });
    return rows.reverse().map((r) => ({
      id: String(r.id),
      sender: r.sender as TranscriptLine['sender'],
      text: r.text,
      value: valueOf(r.payload),
      at: r.at,
    }));
  }

  async conversationByKey(channel: string, externalId: string) {
    const [row] = await this.conversationsWithOpen(
      'c.channel = $1 AND c.external_id = $2',
      [channel, externalId],
      'handoff_conversation_by_key',
    );
    return row
      ? { id: row.c_id, mode: row.c_mode, locale: row.c_locale, driverId: row.c_driverId, open: openOf(row) }
      : null;
  }

  async setMode(conversationId: string, mode: 'bot' | 'handoff_requested' | 'agent' | 'closed') {
    await this.prisma.conversation.updateMany({ where: { id: conversationId }, data: { mode } });
  }

  async markQueued(id: string, summary: string | null, at: Date): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const r = await tx.handoffRequest.updateMany({
        where: { id, queuedNoticeAt: null },
        data: { queuedNoticeAt: at },
      });
      if (r.count !== 1) return false;
      if (summary) await tx.handoffRequest.updateMany({ where: { id, summary: null }, data: { summary } });
      return true;
    });
  }

  async markWaitNotice(id: string, at: Date): Promise<boolean> {
    const r = await this.prisma.handoffRequest.updateMany({
      where: { id, status: 'waiting', waitNoticeAt: null },
      data: { waitNoticeAt: at },
    });
    return r.count === 1;
  }

  async overdue(before: Date): Promise<Handoff[]> {
    const rows = await this.prisma.handoffRequest.findMany({
      where: { status: 'waiting', waitNoticeAt: null, createdAt: { lt: before } },
      orderBy: { createdAt: 'asc' },
      take: 100,
      select,
    });
    return rows.map(toHandoff);
  }

  async position(id: string): Promise<number> {
    const h = await this.prisma.handoffRequest.findUnique({ where: { id }, select: { createdAt: true } });
    if (!h) return 1;
    return (
      1 +
      (await this.prisma.handoffRequest.count({
        where: { status: 'waiting', createdAt: { lt: h.createdAt } },
      }))
    );
  }

  async typicalWaitMinutes(): Promise<number | null> {
    const rows = await this.prisma.handoffRequest.findMany({
      where: { takenAt: { not: null } },
      orderBy: { takenAt: 'desc' },
      take: 20,
      select: { createdAt: true, takenAt: true },
    });
    if (!rows.length) return null;
    const waits = rows
      .map((r) => (r.takenAt!.getTime() - r.createdAt.getTime()) / 60_000)
      .sort((a, b) => a - b);
    return waits[Math.floor(waits.length / 2)]!;
  }

  async unrated(conversationId: string): Promise<Handoff | null> {
    const r = await this.prisma.handoffRequest.findFirst({
      where: { conversationId, status: 'closed', rating: null, agentId: { not: null } },
      orderBy: { closedAt: 'desc' },
      select,
    });
    return r ? toHandoff(r) : null;
  }

  /** One conditional state change and the conversation's mode, in one transaction. */
  private async move(
    id: string,
    where: { status: HandoffStatus; agentId?: string },
    data: {
      status: HandoffStatus;
      agentId?: string;
      takenAt?: Date;
      closedAt?: Date;
      resolution?: string | null;
    },
    to: HandoffStatus,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const r = await tx.handoffRequest.updateMany({ where: { id, ...where }, data });
      if (r.count !== 1) return false;
      const h = await tx.handoffRequest.findUniqueOrThrow({
        where: { id },
        select: { conversationId: true },
      });
      await tx.conversation.update({ where: { id: h.conversationId }, data: { mode: MODE[to] } });
      return true;
    });
  }
}

const valueOf = (payload: unknown): string | null => {
  const v = (payload as { value?: unknown } | null)?.value;
  return typeof v === 'string' ? v : null;
};
