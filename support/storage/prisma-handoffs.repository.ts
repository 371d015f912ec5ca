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
  constructor(private readonly prisma: PrismaClient) {}

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
    const r = await this.prisma.handoffRequest.findFirst({
      where: { conversationId, status: { in: ['waiting', 'active'] } },
      select,
    });
    return r ? toHandoff(r) : null;
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
