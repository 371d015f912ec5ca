import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingCore, type Database } from '../../booking-core/index.ts';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { createSupport, MemorySignInAttempts, type Agent, type Support } from '../index.ts';

const AGENTS = 6;
const ROUNDS = 10;

describe.each(BACKENDS)('claiming a handoff on %s', (backend) => {
  let db: TestDatabase;
  const pools: Database[] = [];
  let desks: Support[];
  let agents: Agent[];

  const supportOn = (d: Database) =>
    createSupport({
      db: d,
      core: createBookingCore({ db: d }),
      attempts: new MemorySignInAttempts(),
      maxSignInFailures: 5,
      session: { maxAgeMs: 3_600_000, idleMs: 3_600_000 },
    });

  beforeAll(async () => {
    db = await freshDatabase(backend, { poolSize: 2 });
    // each agent on its own connection pool, as if on its own instance
    for (let i = 0; i < AGENTS; i++) pools.push(await db.connectAgain());
    desks = pools.map(supportOn);
    const first = supportOn(db);
    agents = [];
    for (let i = 0; i < AGENTS; i++) {
      const a = await first.accounts.add(null, {
        email: `agent${i}@parking.test`,
        displayName: `Agent ${i}`,
      });
      agents.push(a!);
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  it('exactly one of several agents claiming at once wins; the others are told who has it', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const c = await db.prisma.conversation.create({
        data: { channel: 'web', externalId: `race-${round}` },
        select: { id: true },
      });
      const h = await desks[0]!.desk.request(c.id, 'asked for a person', null);
      const results = await Promise.all(desks.map((s, i) => s.desk.claim(h!.id, agents[i]!)));
      const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
      expect(winners).toHaveLength(1);
      const winner = agents[winners[0]!]!;
      for (const r of results) {
        if (!r.ok) expect(r.error).toMatchObject({ code: 'HANDOFF.TAKEN', heldBy: winner.displayName });
      }
      const row = await db.prisma.handoffRequest.findUniqueOrThrow({ where: { id: h!.id } });
      expect(row).toMatchObject({ status: 'active', agentId: winner.id });
      expect(
        await db.prisma.agentAuditEvent.count({ where: { handoffId: h!.id, action: 'handoff.claimed' } }),
      ).toBe(1);
      expect((await db.prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).mode).toBe('agent');
    }
  });

  it('two requests for one conversation at once leave one open request', async () => {
    const c = await db.prisma.conversation.create({
      data: { channel: 'web', externalId: 'twice' },
      select: { id: true },
    });
    const made = await Promise.all(desks.map((s) => s.desk.request(c.id, 'help', null)));
    expect(new Set(made.map((h) => h!.id)).size).toBe(1);
    expect(await db.prisma.handoffRequest.count({ where: { conversationId: c.id } })).toBe(1);
  });

  it('the database itself refuses a second open request for a conversation, whoever writes', async () => {
    const c = await db.prisma.conversation.create({
      data: { channel: 'web', externalId: 'raw' },
      select: { id: true },
    });
    await db.prisma.handoffRequest.create({ data: { conversationId: c.id } });
    await expect(db.prisma.handoffRequest.create({ data: { conversationId: c.id } })).rejects.toThrow();
    await expect(
      db.prisma.handoffRequest.create({ data: { conversationId: c.id, status: 'taken' } }),
    ).rejects.toThrow();
  });
});
