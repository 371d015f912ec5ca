import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../test/support/databases.ts';
import { metricValue } from '../test/ops/harness.ts';
import {
  addAgent,
  agentSocket,
  postSignIn,
  queueConversation,
  signIn,
  type AgentBrowser,
} from '../test/support/console.ts';
import {
  payAtTestCheckout,
  startTestPlatform,
  TEST_ADMIN,
  type RunningPlatform,
} from '../test/support/platform.ts';

const HANDOFF_ENDPOINTS = (id: string, bookingId = '00000000-0000-4000-8000-000000000000') =>
  [
    ['GET', '/api/v1/handoffs'],
    ['POST', '/api/v1/handoffs'],
    ['GET', `/api/v1/handoffs/${id}`],
    ['POST', `/api/v1/handoffs/${id}/claim`],
    ['POST', `/api/v1/handoffs/${id}/messages`],
    ['POST', `/api/v1/handoffs/${id}/release`],
    ['POST', `/api/v1/handoffs/${id}/close`],
    ['POST', `/api/v1/handoffs/${id}/bookings/${bookingId}/cancel`],
    ['POST', `/api/v1/handoffs/${id}/bookings/${bookingId}/extend`],
    ['POST', `/api/v1/handoffs/${id}/bookings/${bookingId}/refund`],
    ['GET', '/api/v1/agents'],
    ['POST', '/api/v1/agents'],
    ['POST', `/api/v1/agents/${id}/remove`],
  ] as const;

describe.each(BACKENDS)('support console on %s', (backend) => {
  let p: RunningPlatform;
  let admin: AgentBrowser;

  beforeAll(async () => {
    p = await startTestPlatform(backend, { AGENT_SIGNIN_MAX_FAILURES: '3' });
    admin = await signIn(p, TEST_ADMIN.email, TEST_ADMIN.password);
  });
  afterAll(() => p?.stop());

  describe('signing in', () => {
    it('shows a sign-in form with fields named email and password, and signs the first admin in', async () => {
      const page = await fetch(`${p.url}/console`);
      const html = await page.text();
      expect(html).toMatch(/<input name="email"/);
      expect(html).toMatch(/<input name="password" type="password"/);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      const r = await postSignIn(p, TEST_ADMIN.email, TEST_ADMIN.password);
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toBe('/console');
      const cookie = r.headers.getSetCookie().find((c) => c.startsWith('spp_agent='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(admin.agent).toMatchObject({ email: TEST_ADMIN.email, role: 'admin' });
      // the token is stored only as a hash
      const token = cookie.split(';')[0]!.split('=')[1]!;
      expect(await p.db.prisma.agentSession.count({ where: { id: token } })).toBe(0);
    });

    it('refuses a wrong password and an unknown email alike, and audits the failure', async () => {
      const wrong = await postSignIn(p, TEST_ADMIN.email, 'not the password at all');
      const unknown = await postSignIn(p, 'nobody@parking.test', 'not the password at all');
      for (const r of [wrong, unknown]) {
        expect(r.status).toBe(401);
        expect(r.headers.getSetCookie().some((c) => c.startsWith('spp_agent='))).toBe(false);
        expect(await r.text()).toMatch(/do not match an account/);
      }
      expect(
        await p.db.prisma.agentAuditEvent.count({ where: { action: 'auth.sign_in_failed' } }),
      ).toBeGreaterThanOrEqual(2);
    });

    it('refuses a sign-in form posted without its CSRF token or from another site', async () => {
      const bare = await fetch(`${p.url}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }).toString(),
      });
      expect(bare.status).toBe(403);
      const forged = await postSignIn(p, TEST_ADMIN.email, TEST_ADMIN.password, 'https://evil.example');
      expect(forged.status).toBe(403);
      for (const r of [bare, forged])
        expect(r.headers.getSetCookie().some((c) => c.startsWith('spp_agent='))).toBe(false);
    });

    it('limits sign-in attempts per account and address (429 with Retry-After)', async () => {
      const victim = await addAgent(p, 'agent', 'Rate Limited');
      const statuses: number[] = [];
      let limited: Response | undefined;
      // 3 per minute: within 8 attempts one is refused even if a minute boundary passes once
      for (let i = 0; i < 8 && !limited; i++) {
        const r = await postSignIn(p, victim.email, 'wrong password, again');
        statuses.push(r.status);
        if (r.status === 429) limited = r;
      }
      expect(limited).toBeDefined();
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited!.text()).toMatch(/Too many attempts/);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    });

    it('signs out: the session stops working at once', async () => {
      const a = await addAgent(p, 'agent', 'Leaving');
      const b = await signIn(p, a.email, a.password);
      expect((await b.fetch('/api/v1/handoffs')).status).toBe(200);
      const out = await b.fetch('/console/sign-out', { method: 'POST' });
      expect(out.status).toBe(303);
      expect((await b.fetch('/api/v1/handoffs')).status).toBe(401);
      expect((await b.fetch('/console/session')).status).toBe(401);
    });

    it('ends an expired session: REST and sockets refuse it, the page shows the sign-in form', async () => {
      const a = await addAgent(p, 'agent', 'Expiring');
      const b = await signIn(p, a.email, a.password);
      expect((await b.fetch('/api/v1/handoffs')).status).toBe(200);
      await p.db.prisma.agentSession.updateMany({
        where: { agentId: a.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expect((await b.fetch('/api/v1/handoffs')).status).toBe(401);
      expect(await (await b.fetch('/console')).text()).toMatch(/name="password"/);
      await expect(agentSocket(p, b.cookie)).rejects.toThrow(/AUTH.UNAUTHORIZED/);
      expect(await p.db.prisma.agentSession.count({ where: { agentId: a.id } })).toBe(0);
    });

    it('ends an idle session', async () => {
      const a = await addAgent(p, 'agent', 'Idle');
      const b = await signIn(p, a.email, a.password);
      await p.db.prisma.agentSession.updateMany({
        where: { agentId: a.id },
        data: { lastSeenAt: new Date(Date.now() - 61 * 60_000) },
      });
      expect((await b.fetch('/api/v1/handoffs')).status).toBe(401);
    });

    it('a removed agent is signed out everywhere and cannot sign in again', async () => {
      const a = await addAgent(p, 'agent', 'Removed');
      const b = await signIn(p, a.email, a.password);
      expect((await admin.fetch(`/api/v1/agents/${a.id}/remove`, { json: {} })).status).toBe(200);
      expect((await b.fetch('/api/v1/handoffs')).status).toBe(401);
      expect((await postSignIn(p, a.email, a.password)).status).toBe(401);
      expect((await admin.fetch(`/api/v1/agents/${admin.agent.id}/remove`, { json: {} })).status).toBe(409);
    });
  });

  describe('unauthorised access', () => {
    it('answers 401 on every handoff and account endpoint without credentials or with a bad key', async () => {
      const { handoffId } = await queueConversation(p);
      for (const [method, path] of HANDOFF_ENDPOINTS(handoffId)) {
        for (const headers of [
          {} as Record<string, string>,
          { authorization: 'Bearer wrong-key-wrong-key' },
          { cookie: 'spp_agent=forged-token' },
        ]) {
          const r = await fetch(p.url + path, {
            method,
            headers: { ...headers, 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: '{}' } : {}),
          });
          expect([method, path, r.status]).toEqual([method, path, 401]);
        }
      }
      expect((await p.db.prisma.handoffRequest.findUniqueOrThrow({ where: { id: handoffId } })).status).toBe(
        'waiting',
      );
    });

    it('refuses state changes from a session without the CSRF token, or from another origin', async () => {
      const { handoffId } = await queueConversation(p);
      const noToken = await admin.fetch(`/api/v1/handoffs/${handoffId}/claim`, { json: {}, csrf: false });
      expect(noToken.status).toBe(403);
      expect(await noToken.json()).toMatchObject({ code: 'AUTH.CSRF' });
      const badToken = await admin.fetch(`/api/v1/handoffs/${handoffId}/claim`, {
        json: {},
        csrf: false,
        headers: { 'x-csrf-token': 'guess' },
      });
      expect(badToken.status).toBe(403);
      const foreign = await admin.fetch(`/api/v1/handoffs/${handoffId}/claim`, {
        json: {},
        headers: { origin: 'https://evil.example' },
      });
      expect(foreign.status).toBe(403);
      expect((await p.db.prisma.handoffRequest.findUniqueOrThrow({ where: { id: handoffId } })).status).toBe(
        'waiting',
      );
      const ok = await admin.fetch(`/api/v1/handoffs/${handoffId}/claim`, { json: {} });
      expect(ok.status).toBe(200);
    });

    it('keeps each role to its part: operators see no conversations, agents manage no accounts', async () => {
      const op = await addAgent(p, 'operator', 'Olga Operator');
      const ag = await addAgent(p, 'agent', 'Andy Agent');
      const operator = await signIn(p, op.email, op.password);
      const agent = await signIn(p, ag.email, ag.password);
      expect((await operator.fetch('/api/v1/handoffs')).status).toBe(403);
      expect((await operator.fetch('/api/v1/facilities')).status).toBe(200);
      expect((await agent.fetch('/api/v1/agents')).status).toBe(403);
      expect(
        (
          await agent.fetch('/api/v1/agents', {
            json: {
              email: 'x@parking.test',
              displayName: 'X',
              role: 'admin',
              password: 'long enough password',
            },
          })
        ).status,
      ).toBe(403);
      expect((await admin.fetch('/api/v1/agents')).status).toBe(200);
      await expect(agentSocket(p, operator.cookie)).rejects.toThrow(/AUTH.UNAUTHORIZED/);
    });

    it('refuses sockets without a session, with a forged one, or from another origin', async () => {
      await expect(agentSocket(p)).rejects.toThrow(/AUTH.UNAUTHORIZED/);
      await expect(agentSocket(p, 'spp_agent=forged')).rejects.toThrow(/AUTH.UNAUTHORIZED/);
      await expect(agentSocket(p, admin.cookie, 'https://evil.example')).rejects.toThrow(/AUTH.ORIGIN/);
      const s = await agentSocket(p, admin.cookie);
      s.close();
    });
  });

  describe('handling a conversation', () => {
    it('queues it live, lets one agent claim, reply, note, hand back and close — all audited and counted', async () => {
      const counted = async () => {
        const text = await (await fetch(`${p.url}/metrics`)).text();
        const n = (labels: Record<string, string>) =>
          metricValue(text, 'spp_handoffs_total', { channel: 'web', ...labels }) ?? 0;
        return {
          requested: n({ event: 'requested', reason: 'integration' }),
          claimed: n({ event: 'claimed' }),
          released: n({ event: 'released' }),
          closed: n({ event: 'closed' }),
        };
      };
      const countedBefore = await counted();
      const ana = await addAgent(p, 'agent', 'Ana');
      const ben = await addAgent(p, 'agent', 'Ben');
      const a = await signIn(p, ana.email, ana.password);
      const b = await signIn(p, ben.email, ben.password);
      const socket = await agentSocket(p, a.cookie);
      const requested = new Promise<{ handoff: { id: string; channel: string; reason: string } }>((resolve) =>
        socket.on(
          'handoff.changed',
          (e: { change: string; handoff: { id: string; channel: string; reason: string } }) => {
            if (e.change === 'requested') resolve(e);
          },
        ),
      );
      const { handoffId, conversationId } = await queueConversation(p, {
        lines: [
          { sender: 'driver', text: 'I was charged twice for my booking' },
          { sender: 'bot', text: 'I can ask a person to help with that.' },
        ],
        reason: 'payment dispute',
        summary: 'Driver says they were charged twice for PK123.',
      });
      expect((await requested).handoff).toMatchObject({
        id: handoffId,
        channel: 'web',
        reason: 'payment dispute',
      });

      const waiting = (await (await a.fetch('/api/v1/handoffs?status=waiting')).json()) as {
        handoffs: Array<Record<string, unknown>>;
      };
      expect(waiting.handoffs.find((h) => h['id'] === handoffId)).toMatchObject({
        id: handoffId,
        conversationId,
        channel: 'web',
        status: 'waiting',
        reason: 'payment dispute',
        createdAt: expect.any(String),
      });

      expect((await a.fetch(`/api/v1/handoffs/${handoffId}/claim`, { json: {} })).status).toBe(200);
      const taken = await b.fetch(`/api/v1/handoffs/${handoffId}/claim`, { json: {} });
      expect(taken.status).toBe(409);
      expect(await taken.json()).toMatchObject({ code: 'HANDOFF.TAKEN' });
      expect(
        (await b.fetch(`/api/v1/handoffs/${handoffId}/messages`, { json: { text: 'me too' } })).status,
      ).toBe(409);

      socket.emit('handoff.watch', { handoffId });
      await new Promise((r) => setTimeout(r, 100));
      const live = new Promise<{ line: { text: string }; internal: boolean }>((resolve) =>
        socket.once('handoff.message', resolve),
      );
      expect(
        (
          await a.fetch(`/api/v1/handoffs/${handoffId}/messages`, {
            json: { text: 'Hi, I am Ana. Looking now.' },
          })
        ).status,
      ).toBe(201);
      expect(await live).toMatchObject({ line: { text: 'Hi, I am Ana. Looking now.' }, internal: false });
      expect(
        (
          await a.fetch(`/api/v1/handoffs/${handoffId}/messages`, {
            json: { text: 'check Stripe for PK123', internal: true },
          })
        ).status,
      ).toBe(201);

      const detail = (await (await a.fetch(`/api/v1/handoffs/${handoffId}`)).json()) as {
        handoff: { summary: string; status: string; agent: { displayName: string } };
        transcript: Array<{ sender: string; text: string }>;
        notes: Array<{ text: string }>;
      };
      expect(detail.handoff).toMatchObject({
        status: 'active',
        summary: 'Driver says they were charged twice for PK123.',
        agent: { displayName: 'Ana' },
      });
      expect(detail.transcript.map((l) => `${l.sender}: ${l.text}`)).toEqual([
        'driver: I was charged twice for my booking',
        'bot: I can ask a person to help with that.',
        'system: Ana from our team has joined the conversation.',
        'agent: Hi, I am Ana. Looking now.',
      ]);
      expect(detail.notes.map((n) => n.text)).toEqual(['check Stripe for PK123']);
      // the note never reaches the transcript (the driver's history)
      expect(
        await p.db.prisma.transcriptMessage.count({
          where: { conversationId, text: 'check Stripe for PK123' },
        }),
      ).toBe(0);

      expect((await a.fetch(`/api/v1/handoffs/${handoffId}/release`, { json: {} })).status).toBe(200);
      expect((await p.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).mode).toBe(
        'bot',
      );
      expect(
        (await a.fetch(`/api/v1/handoffs/${handoffId}/close`, { json: { resolution: 'x' } })).status,
      ).toBe(409);

      const again = await queueConversation(p, { reason: 'still charged twice' });
      expect((await a.fetch(`/api/v1/handoffs/${again.handoffId}/claim`, { json: {} })).status).toBe(200);
      const closed = await a.fetch(`/api/v1/handoffs/${again.handoffId}/close`, {
        json: { resolution: 'refund promised' },
      });
      expect(await closed.json()).toMatchObject({ status: 'closed', resolution: 'refund promised' });

      const actions = await p.db.prisma.agentAuditEvent.findMany({
        where: { handoffId },
        orderBy: { id: 'asc' },
        select: { action: true, agentId: true },
      });
      expect(actions).toEqual([
        { action: 'handoff.claimed', agentId: ana.id },
        { action: 'handoff.replied', agentId: ana.id },
        { action: 'handoff.note', agentId: ana.id },
        { action: 'handoff.released', agentId: ana.id },
      ]);
      const countedAfter = await counted();
      expect({
        requested: countedAfter.requested - countedBefore.requested,
        claimed: countedAfter.claimed - countedBefore.claimed,
        released: countedAfter.released - countedBefore.released,
        closed: countedAfter.closed - countedBefore.closed,
      }).toEqual({ requested: 2, claimed: 2, released: 1, closed: 1 });
      socket.close();
    });

    it('asking twice keeps one place in the queue', async () => {
      const { conversationId, handoffId } = await queueConversation(p);
      const r = await p.api('/api/v1/handoffs', {
        method: 'POST',
        json: { conversationId, reason: 'again' },
      });
      expect(((await r.json()) as { id: string }).id).toBe(handoffId);
      expect(await p.db.prisma.handoffRequest.count({ where: { conversationId } })).toBe(1);
    });

    it("cancels and extends the driver's booking from the console, audited with the agent's id; refunds go through the payments", async () => {
      const facilities = (await (await p.api('/api/v1/facilities')).json()) as {
        facilities: Array<{ id: string; code: string }>;
      };
      const kxc = facilities.facilities.find((f) => f.code === 'KXC')!;
      const driver = await p.db.prisma.driver.create({ data: { name: 'Dee' }, select: { id: true } });
      const from = new Date(Date.now() + 2 * 86_400_000);
      from.setUTCHours(9, 0, 0, 0);
      const hold = async () => {
        const r = await p.core.bookings.hold({
          facilityId: kxc.id,
          window: { from, to: new Date(from.getTime() + 2 * 3_600_000) },
          plate: 'AB12CDE',
          driverId: driver.id,
        });
        if (!r.ok) throw new Error(r.error.code);
        return r.value.booking;
      };
      const first = await hold();
      const other = await p.db.prisma.driver.create({ data: { name: 'Other' }, select: { id: true } });
      const notHers = await p.core.bookings.hold({
        facilityId: kxc.id,
        window: { from, to: new Date(from.getTime() + 3_600_000) },
        plate: 'ZZ99ZZZ',
        driverId: other.id,
      });
      const { handoffId } = await queueConversation(p, { driverId: driver.id });
      const carol = await addAgent(p, 'agent', 'Carol');
      const c = await signIn(p, carol.email, carol.password);
      expect(
        (await c.fetch(`/api/v1/handoffs/${handoffId}/bookings/${first.id}/cancel`, { json: {} })).status,
      ).toBe(409); // not claimed yet
      await c.fetch(`/api/v1/handoffs/${handoffId}/claim`, { json: {} });

      const detail = (await (await c.fetch(`/api/v1/handoffs/${handoffId}`)).json()) as {
        bookings: Array<{ id: string; facility: { name: string; free: number; total: number } }>;
      };
      expect(detail.bookings).toHaveLength(1);
      expect(detail.bookings[0]).toMatchObject({
        id: first.id,
        facility: { name: expect.any(String), total: expect.any(Number) },
      });

      const to = new Date(from.getTime() + 3 * 3_600_000).toISOString();
      const extended = await c.fetch(`/api/v1/handoffs/${handoffId}/bookings/${first.id}/extend`, {
        json: { to },
      });
      expect(extended.status).toBe(200);
      expect(await extended.json()).toMatchObject({ to });
      if (notHers.ok) {
        expect(
          (
            await c.fetch(`/api/v1/handoffs/${handoffId}/bookings/${notHers.value.booking.id}/cancel`, {
              json: {},
            })
          ).status,
        ).toBe(404);
      }
      const refund = await c.fetch(`/api/v1/handoffs/${handoffId}/bookings/${first.id}/refund`, { json: {} });
      // refunds go through the payments: this hold was never paid, so nothing is refunded
      expect(refund.status).toBe(409);
      expect(await refund.json()).toMatchObject({ code: 'PAYMENT.NOT_PAID' });
      const cancelled = await c.fetch(`/api/v1/handoffs/${handoffId}/bookings/${first.id}/cancel`, {
        json: { reason: 'driver asked' },
      });
      expect(await cancelled.json()).toMatchObject({ status: 'cancelled' });

      const trail = await p.db.prisma.bookingEvent.findMany({
        where: { bookingId: first.id },
        select: { action: true, actor: true },
      });
      expect(trail.filter((e) => e.action !== 'hold').map((e) => e.actor)).toEqual([
        `operator:agent:${carol.id}`,
        `operator:agent:${carol.id}`,
      ]);
      const audit = await p.db.prisma.agentAuditEvent.findMany({
        where: { bookingId: first.id },
        select: { action: true, agentId: true },
      });
      expect(audit).toEqual([
        { action: 'booking.extended', agentId: carol.id },
        { action: 'booking.cancelled', agentId: carol.id },
      ]);
    });

    it("refunds a paid booking from the console through the payments, audited with the agent's id", async () => {
      const facilities = (await (await p.api('/api/v1/facilities')).json()) as {
        facilities: Array<{ id: string; code: string }>;
      };
      const kxc = facilities.facilities.find((f) => f.code === 'KXC')!;
      const driver = await p.db.prisma.driver.create({ data: { name: 'Ria' }, select: { id: true } });
      const from = new Date(Date.now() + 3 * 86_400_000);
      from.setUTCHours(14, 0, 0, 0);
      const held = await p.core.bookings.hold({
        facilityId: kxc.id,
        window: { from, to: new Date(from.getTime() + 3_600_000) },
        plate: 'RF12UND',
        driverId: driver.id,
      });
      if (!held.ok) throw new Error(held.error.code);
      const booking = held.value.booking;
      const checkout = await p.api(`/api/v1/bookings/${booking.id}/checkout`, { method: 'POST' });
      const { url } = (await checkout.json()) as { url: string };
      await payAtTestCheckout(url, booking.reference); // the driver pays at the test checkout
      const { handoffId } = await queueConversation(p, { driverId: driver.id });
      const rafa = await addAgent(p, 'agent', 'Rafa');
      const c = await signIn(p, rafa.email, rafa.password);
      await c.fetch(`/api/v1/handoffs/${handoffId}/claim`, { json: {} });

      const refund = await c.fetch(`/api/v1/handoffs/${handoffId}/bookings/${booking.id}/refund`, {
        json: { reason: 'the barrier was broken' },
      });
      expect(refund.status).toBe(200);
      const payments = await p.db.prisma.payment.findMany({ where: { bookingId: booking.id } });
      expect(payments.map((x) => [x.status, x.refundedMinor === x.amountMinor])).toEqual([
        ['refunded', true],
      ]);
      const audit = await p.db.prisma.agentAuditEvent.findMany({
        where: { bookingId: booking.id },
        select: { action: true, agentId: true },
      });
      expect(audit).toEqual([{ action: 'booking.refunded', agentId: rafa.id }]);
      // nothing is left to refund a second time
      const again = await c.fetch(`/api/v1/handoffs/${handoffId}/bookings/${booking.id}/refund`, {
        json: {},
      });
      expect(await again.json()).toMatchObject({ code: 'PAYMENT.NOT_PAID' });
    });

    it('shows agents online to each other', async () => {
      const dana = await addAgent(p, 'agent', 'Dana');
      const d = await signIn(p, dana.email, dana.password);
      const watcher = await agentSocket(p, admin.cookie);
      const seen = new Promise<string[]>((resolve) =>
        watcher.on('agents.online', (e: { agents: Array<{ displayName: string }> }) => {
          const names = e.agents.map((x) => x.displayName);
          if (names.includes('Dana')) resolve(names);
        }),
      );
      const s = await agentSocket(p, d.cookie);
      expect(await seen).toEqual(expect.arrayContaining(['Administrator', 'Dana']));
      s.close();
      watcher.close();
    });
  });
});
