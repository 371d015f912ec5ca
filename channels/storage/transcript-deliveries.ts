import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';

/** A delivery status a channel reports for a message it sent. */
export interface DeliveryStatus {
  readonly status: 'sent' | 'delivered' | 'read' | 'failed';
  readonly at: Date;
  /** why it failed, e.g. "131047 Re-engagement message" */
  readonly error?: string;
}

/** How far a message got; a later callback never moves it back (read stays read). */
const RANK: Record<DeliveryStatus['status'], number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * Delivery statuses on the transcript entries they belong to: an outgoing entry is found by the
 * `activityId` its payload carries (the id the channel sent it with).
 */
export interface TranscriptDeliveries {
  /** true when the entry was found (and updated unless the status was older news) */
  record(channel: string, externalId: string, activityId: string, status: DeliveryStatus): Promise<boolean>;
}

export class PrismaTranscriptDeliveries implements TranscriptDeliveries {
  constructor(private readonly prisma: PrismaClient) {}

  async record(channel: string, externalId: string, activityId: string, s: DeliveryStatus): Promise<boolean> {
    const row = await this.prisma.transcriptMessage.findFirst({
      where: {
        conversation: { channel, externalId },
        direction: 'out',
        payload: { path: ['activityId'], equals: activityId },
      },
      orderBy: { id: 'desc' },
      select: { id: true, payload: true },
    });
    if (!row) return false;
    const payload = (row.payload ?? {}) as Record<string, unknown>;
    const current = payload['delivery'] as { status?: DeliveryStatus['status'] } | undefined;
    if (current?.status && RANK[current.status] >= RANK[s.status]) return true;
    const delivery = { status: s.status, at: s.at.toISOString(), ...(s.error ? { error: s.error } : {}) };
    await this.prisma.transcriptMessage.update({
      where: { id: row.id },
      data: { payload: { ...payload, delivery } as Prisma.InputJsonValue },
    });
    return true;
  }
}
