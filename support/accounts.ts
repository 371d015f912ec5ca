import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { checkPassword, hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import type { AgentRepository, AuditLog } from './ports.ts';
import { AGENT_ROLES, type Agent, type AgentRole } from './types.ts';

import { ATTEMPT_WINDOW_MS, type SignInAttempts } from './sign-in-attempts.ts';

export type SignInRefusal =
  | { readonly code: 'AUTH.INVALID_CREDENTIALS' }
  | { readonly code: 'AUTH.TOO_MANY_ATTEMPTS'; readonly retryAfterSeconds: number };

export type SignInResult =
  { readonly ok: true; readonly agent: Agent } | ({ readonly ok: false } & SignInRefusal);

export const newAgentSchema = z.object({
  email: z.email().max(254),
  displayName: z.string().trim().min(1).max(80),
  role: z.enum(AGENT_ROLES).default('agent'),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1024).optional(),
});
export type NewAgentInput = z.input<typeof newAgentSchema>;

export interface AccountsDeps {
  readonly agents: AgentRepository;
  readonly audit: AuditLog;
  readonly attempts: SignInAttempts;
  /** failed sign-ins allowed per account from one address in 15 minutes (an address gets 4× across accounts) */
  readonly maxFailures: number;
  readonly now?: () => Date;
}

/**
 * Agent accounts: the first administrator, password sign-in (rate-limited), adding and removing.
 *
 *   const r = await accounts.signIn('ana@example.com', 'correct horse battery', '203.0.113.9');
 */
export class Accounts {
  private readonly now: () => Date;
  constructor(private readonly deps: AccountsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * On first start (no accounts at all) creates an administrator. Returns the generated password
   * when none was configured — to be shown once, never logged.
   */
  async ensureAdmin(
    email: string,
    password: string | undefined,
  ): Promise<{ created: boolean; generatedPassword: string | null }> {
    if ((await this.deps.agents.count()) > 0) return { created: false, generatedPassword: null };
    const generated = password ? null : randomBytes(15).toString('base64url');
    const agent = await this.deps.agents.create({
      email,
      displayName: 'Administrator',
      role: 'admin',
      passwordHash: await hashPassword(password ?? generated!),
    });
    if (!agent) return { created: false, generatedPassword: null }; // another instance made it first
    await this.deps.audit.record({
      agentId: null,
      action: 'agent.created',
      detail: { agentId: agent.id, role: 'admin', firstStart: true },
    });
    return { created: true, generatedPassword: generated };
  }

  async signIn(email: string, password: string, address: string): Promise<SignInResult> {
    const account = `${address}|${email.trim().toLowerCase()}`;
    const now = this.now();
    const { attempts, maxFailures } = this.deps;
    const [perAccount, perAddress] = await Promise.all([
      attempts.failures(account, now),
      attempts.failures(address, now),
    ]);
    if (perAccount >= maxFailures || perAddress >= maxFailures * 4) {
      const windowEnd = (Math.floor(now.getTime() / ATTEMPT_WINDOW_MS) + 1) * ATTEMPT_WINDOW_MS;
      return {
        ok: false,
        code: 'AUTH.TOO_MANY_ATTEMPTS',
        retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)),
      };
    }
    const found = await this.deps.agents.credentials(email.trim());
    const matches = await checkPassword(password, found?.passwordHash ?? null);
    if (!found || !matches || found.agent.removedAt) {
      await Promise.all([attempts.fail(account, now), attempts.fail(address, now)]);
      await this.deps.audit.record({
        agentId: found?.agent.id ?? null,
        action: 'auth.sign_in_failed',
        detail: { address },
      });
      return { ok: false, code: 'AUTH.INVALID_CREDENTIALS' };
    }
    await this.deps.audit.record({
      agentId: found.agent.id,
      action: 'auth.signed_in',
      detail: { method: 'password', address },
    });
    return { ok: true, agent: found.agent };
  }

  /** An admin adds an account; null when the email is already taken. */
  async add(by: Agent | null, input: NewAgentInput): Promise<Agent | null> {
    const a = newAgentSchema.parse(input);
    const agent = await this.deps.agents.create({
      email: a.email,
      displayName: a.displayName,
      role: a.role,
      passwordHash: a.password ? await hashPassword(a.password) : null,
    });
    if (agent)
      await this.deps.audit.record({
        agentId: by?.id ?? null,
        action: 'agent.created',
        detail: { agentId: agent.id, role: a.role },
      });
    return agent;
  }

  /** An admin removes an account: it can no longer sign in and its sessions end. Nobody removes themself. */
  async remove(by: Agent | null, id: string): Promise<'removed' | 'not-found' | 'self'> {
    if (by?.id === id) return 'self';
    const done = await this.deps.agents.remove(id, this.now());
    if (done)
      await this.deps.audit.record({
        agentId: by?.id ?? null,
        action: 'agent.removed',
        detail: { agentId: id },
      });
    return done ? 'removed' : 'not-found';
  }

  list(): Promise<Agent[]> {
    return this.deps.agents.list();
  }

  byId(id: string): Promise<Agent | null> {
    return this.deps.agents.byId(id);
  }

  async byEmail(email: string): Promise<Agent | null> {
    return (await this.deps.agents.credentials(email.trim()))?.agent ?? null;
  }

  /** Finds the account for an identity-provider login: by subject, else by (verified) email, then links it. */
  async forSingleSignOn(
    subject: string,
    email: string | undefined,
    emailVerified: boolean,
  ): Promise<Agent | null> {
    const bySubject = await this.deps.agents.bySubject(subject);
    if (bySubject) return bySubject.removedAt ? null : bySubject;
    if (!email || !emailVerified) return null;
    const found = await this.deps.agents.credentials(email);
    if (!found || found.agent.removedAt || found.agent.sso) return null;
    await this.deps.agents.linkSubject(found.agent.id, subject);
    await this.deps.audit.record({ agentId: found.agent.id, action: 'auth.sso_linked', detail: { subject } });
    return found.agent;
  }

  parseRole(role: string): AgentRole | null {
    return (AGENT_ROLES as readonly string[]).includes(role) ? (role as AgentRole) : null;
  }
}
