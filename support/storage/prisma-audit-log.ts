import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';
import type { AuditLog } from '../ports.ts';
import type { AuditEntry, InternalNote } from '../types.ts';

export const NOTE_ACTION = 'handoff.note';

/** Agent actions in PostgreSQL, append-only. */
export class PrismaAuditLog implements AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(e: AuditEntry): Promise<void> {
    await this.prisma.agentAuditEvent.create({
      data: {
        agentId: e.agentId,
        action: e.action,
        handoffId: e.handoffId ?? null,
        conversationId: e.conversationId ?? null,
        bookingId: e.bookingId ?? null,
        ...(e.detail ? { detail: e.detail as Prisma.InputJsonValue } : {}),
      },
    });
  }

  async notes(handoffId: string): Promise<InternalNote[]> {
    const rows = await this.prisma.agentAuditEvent.findMany({
      where: { handoffId, action: NOTE_ACTION },
      orderBy: { id: 'asc' },
      select: { agentId: true, detail: true, at: true },
    });
    return rows.map((r) => ({
      agentId: r.agentId,
      text: String((r.detail as { text?: unknown } | null)?.text ?? ''),
      at: r.at,
    }));
  }

  async forHandoff(handoffId: string) {
    const rows = await this.prisma.agentAuditEvent.findMany({
      where: { handoffId },
      orderBy: { id: 'asc' },
      select: {
        agentId: true,
        action: true,
        handoffId: true,
        conversationId: true,
        bookingId: true,
        detail: true,
        at: true,
      },
    });
    return rows.map((r) => ({
      agentId: r.agentId,
      action: r.action,
      at: r.at,
      ...(r.handoffId ? { handoffId: r.handoffId } : {}),
      ...(r.conversationId ? { conversationId: r.conversationId } : {}),
      ...(r.bookingId ? { bookingId: r.bookingId } : {}),
      ...(r.detail ? { detail: r.detail as Record<string, unknown> } : {}),
    }));
  }
}
