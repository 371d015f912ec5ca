import type { PrismaClient } from '../../prisma/generated/client.ts';
import type { AgentRepository, NewAgent } from '../ports.ts';
import type { Agent, AgentRole } from '../types.ts';

const select = {
  id: true,
  email: true,
  displayName: true,
  role: true,
  passwordHash: true,
  oidcSubject: true,
  removedAt: true,
  createdAt: true,
} as const;

type Row = {
  id: string;
  email: string;
  displayName: string;
  role: string;
  passwordHash: string | null;
  oidcSubject: string | null;
  removedAt: Date | null;
  createdAt: Date;
};

const toAgent = (r: Row): Agent => ({
  id: r.id,
  email: r.email,
  displayName: r.displayName,
  role: r.role as AgentRole,
  hasPassword: r.passwordHash !== null,
  sso: r.oidcSubject !== null,
  removedAt: r.removedAt,
  createdAt: r.createdAt,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Agent accounts in PostgreSQL. */
export class PrismaAgentRepository implements AgentRepository {
  constructor(private readonly prisma: PrismaClient) {}

  count(): Promise<number> {
    return this.prisma.agent.count();
  }

  async create(a: NewAgent): Promise<Agent | null> {
    const rows = await this.prisma.agent.createManyAndReturn({
      data: [
        {
          email: a.email.toLowerCase(),
          displayName: a.displayName,
          role: a.role,
          passwordHash: a.passwordHash,
        },
      ],
      skipDuplicates: true,
      select,
    });
    return rows[0] ? toAgent(rows[0]) : null;
  }

  async byId(id: string): Promise<Agent | null> {
    if (!UUID.test(id)) return null;
    const r = await this.prisma.agent.findUnique({ where: { id }, select });
    return r ? toAgent(r) : null;
  }

  async credentials(email: string) {
    const r = await this.prisma.agent.findUnique({ where: { email: email.toLowerCase() }, select });
    return r ? { agent: toAgent(r), passwordHash: r.passwordHash } : null;
  }

  async bySubject(subject: string): Promise<Agent | null> {
    const r = await this.prisma.agent.findUnique({ where: { oidcSubject: subject }, select });
    return r ? toAgent(r) : null;
  }

  async linkSubject(id: string, subject: string): Promise<void> {
    await this.prisma.agent.update({ where: { id }, data: { oidcSubject: subject } });
  }

  async list(): Promise<Agent[]> {
    const rows = await this.prisma.agent.findMany({ orderBy: { createdAt: 'asc' }, select });
    return rows.map(toAgent);
  }

  async remove(id: string, at: Date): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const [r] = await this.prisma.$transaction([
      this.prisma.agent.updateMany({ where: { id, removedAt: null }, data: { removedAt: at } }),
      this.prisma.agentSession.deleteMany({ where: { agentId: id } }),
    ]);
    return r.count === 1;
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.prisma.agent.update({ where: { id }, data: { passwordHash } });
  }
}
