import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AgentRepository, SessionRepository } from './ports.ts';
import type { Agent } from './types.ts';

export interface SessionPolicy {
  /** a session ends this long after sign-in, whatever happens */
  readonly maxAgeMs: number;
  /** …or after this long without a request */
  readonly idleMs: number;
}

export interface SignedIn {
  readonly agent: Agent;
  readonly csrfToken: string;
  readonly sessionId: string;
  readonly expiresAt: Date;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Browser sessions: the cookie carries a random 256-bit token; the database keeps only its hash
 * (a leaked table signs nobody in), a CSRF token, and the expiry.
 *
 *   const { token } = await sessions.start(agent, 'password');  // → Set-Cookie
 *   const who = await sessions.resolve(cookieToken);              // null when unknown or expired
 */
export class Sessions {
  private readonly now: () => Date;
  constructor(
    private readonly store: SessionRepository,
    private readonly agents: AgentRepository,
    private readonly policy: SessionPolicy,
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  async start(
    agent: Agent,
    method: 'password' | 'oidc',
  ): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.policy.maxAgeMs);
    await this.store.create(sha256(token), {
      agentId: agent.id,
      csrfToken,
      method,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    return { token, csrfToken, expiresAt };
  }

  async resolve(token: string | undefined): Promise<SignedIn | null> {
    if (!token || token.length > 128) return null;
    const id = sha256(token);
    const s = await this.store.find(id);
    if (!s) return null;
    const now = this.now();
    if (s.expiresAt <= now || now.getTime() - s.lastSeenAt.getTime() > this.policy.idleMs) {
      await this.store.delete(id);
      return null;
    }
    const agent = await this.agents.byId(s.agentId);
    if (!agent || agent.removedAt) return null;
    // Refreshing "last seen" once a minute is enough for the idle limit and spares a write per request.
    if (now.getTime() - s.lastSeenAt.getTime() > 60_000) await this.store.touch(id, now);
    return { agent, csrfToken: s.csrfToken, sessionId: id, expiresAt: s.expiresAt };
  }

  async end(token: string | undefined): Promise<void> {
    if (token && token.length <= 128) await this.store.delete(sha256(token));
  }

  sweep(): Promise<number> {
    return this.store.deleteExpired(this.now());
  }
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
