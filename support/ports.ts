import type {
  Agent,
  AgentRole,
  AuditEntry,
  Handoff,
  HandoffStatus,
  InternalNote,
  TranscriptLine,
} from './types.ts';

export interface NewAgent {
  readonly email: string;
  readonly displayName: string;
  readonly role: AgentRole;
  readonly passwordHash: string | null;
}

/** Agent accounts. Emails are stored lower-case. */
export interface AgentRepository {
  count(): Promise<number>;
  /** null when the email is taken */
  create(agent: NewAgent): Promise<Agent | null>;
  byId(id: string): Promise<Agent | null>;
  /** the account and its password hash, for sign-in (removed accounts included; the caller refuses them) */
  credentials(email: string): Promise<{ agent: Agent; passwordHash: string | null } | null>;
  bySubject(subject: string): Promise<Agent | null>;
  linkSubject(id: string, subject: string): Promise<void>;
  list(): Promise<Agent[]>;
  /** marks it removed and ends its sessions; false when unknown or already removed */
  remove(id: string, at: Date): Promise<boolean>;
  setPassword(id: string, passwordHash: string): Promise<void>;
}

export interface StoredSession {
  readonly agentId: string;
  readonly csrfToken: string;
  readonly method: 'password' | 'oidc';
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
}

/** Signed-in browsers, keyed by the SHA-256 of the cookie's token. */
export interface SessionRepository {
  create(id: string, session: StoredSession): Promise<void>;
  find(id: string): Promise<StoredSession | null>;
  touch(id: string, at: Date): Promise<void>;
  delete(id: string): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}

export interface HandoffQuery {
  readonly status?: HandoffStatus;
  readonly limit?: number;
}

/** Handoff requests. State changes are conditional updates: they report whether they happened. */
export interface HandoffRepository {
  list(query: HandoffQuery): Promise<Handoff[]>;
  get(id: string): Promise<Handoff | null>;
  /** the open (waiting or active) request of a conversation, if any */
  openFor(conversationId: string): Promise<Handoff | null>;
  /** a new waiting request, or the conversation's open one (a conversation has at most one); null: no such conversation */
  request(conversationId: string, reason: string | null, summary: string | null): Promise<Handoff | null>;
  /** waiting → active for this agent, atomically: false if it was not waiting any more */
  claim(id: string, agentId: string, at: Date): Promise<boolean>;
  /** active (held by this agent) → released or closed */
  finish(
    id: string,
    agentId: string,
    to: 'released' | 'closed',
    at: Date,
    resolution: string | null,
  ): Promise<boolean>;
  /** waiting → closed (the driver left the queue) */
  withdraw(id: string, at: Date): Promise<boolean>;
  /** the driver's 1–5 rating, once, after close */
  rate(id: string, rating: number, at: Date): Promise<boolean>;
  transcript(conversationId: string, limit: number): Promise<TranscriptLine[]>;
}

/** The append-only log of agent actions; internal notes live here too (never in the transcript). */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  notes(handoffId: string): Promise<InternalNote[]>;
  forHandoff(handoffId: string): Promise<Array<AuditEntry & { at: Date }>>;
}
