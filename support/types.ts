/** Who may do what. `operator` is for the operator dashboard: it never sees conversations. */
export const AGENT_ROLES = ['agent', 'admin', 'operator'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/** The things a signed-in person can be allowed to do; each role is a set of them. */
export type Capability = 'handoffs' | 'bookings' | 'facilities' | 'accounts' | 'dashboard';

/** Role → capabilities, in one place (the operator dashboard adds its pages behind `dashboard`). */
export const ROLE_CAPABILITIES: Readonly<Record<AgentRole, ReadonlySet<Capability>>> = {
  agent: new Set(['handoffs', 'bookings', 'facilities']),
  admin: new Set(['handoffs', 'bookings', 'facilities', 'accounts', 'dashboard']),
  operator: new Set(['facilities', 'dashboard']),
};

export const can = (role: AgentRole, capability: Capability): boolean =>
  ROLE_CAPABILITIES[role].has(capability);

export interface Agent {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: AgentRole;
  readonly hasPassword: boolean;
  readonly sso: boolean;
  readonly removedAt: Date | null;
  readonly createdAt: Date;
}

export const HANDOFF_STATUSES = ['waiting', 'active', 'released', 'closed'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/** One request for a person, as the queue and the REST API show it. */
export interface Handoff {
  readonly id: string;
  readonly conversationId: string;
  readonly channel: string;
  readonly locale: string | null;
  readonly driverId: string | null;
  readonly status: HandoffStatus;
  readonly reason: string | null;
  readonly summary: string | null;
  readonly agent: { readonly id: string; readonly displayName: string } | null;
  readonly resolution: string | null;
  readonly rating: number | null;
  readonly createdAt: Date;
  readonly takenAt: Date | null;
  readonly closedAt: Date | null;
}

export interface TranscriptLine {
  readonly id: string;
  readonly sender: 'driver' | 'bot' | 'agent' | 'system';
  readonly text: string | null;
  /** the value of a pressed button, when that is what the driver sent */
  readonly value: string | null;
  readonly at: Date;
}

/** An internal note: for agents only, never sent to the driver. */
export interface InternalNote {
  readonly agentId: string | null;
  readonly text: string;
  readonly at: Date;
}

export interface AuditEntry {
  readonly agentId: string | null;
  readonly action: string;
  readonly handoffId?: string;
  readonly conversationId?: string;
  readonly bookingId?: string;
  readonly detail?: Record<string, unknown>;
}
