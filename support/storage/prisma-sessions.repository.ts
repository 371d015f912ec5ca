import type { PrismaClient } from '../../prisma/generated/client.ts';
import type { SessionRepository, StoredSession } from '../ports.ts';

/** Signed-in browsers in PostgreSQL, so every instance recognises every session. */
export class PrismaSessionRepository implements SessionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(id: string, s: StoredSession): Promise<void> {
    await this.prisma.agentSession.create({ data: { id, ...s } });
  }

  async find(id: string): Promise<StoredSession | null> {
    const r = await this.prisma.agentSession.findUnique({
      where: { id },
      select: {
        agentId: true,
        csrfToken: true,
        method: true,
        createdAt: true,
        lastSeenAt: true,
        expiresAt: true,
      },
    });
    return r ? { ...r, method: r.method === 'oidc' ? 'oidc' : 'password' } : null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.agentSession.updateMany({ where: { id }, data: { lastSeenAt: at } });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.agentSession.deleteMany({ where: { id } });
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.prisma.agentSession.deleteMany({ where: { expiresAt: { lte: now } } })).count;
  }
}
