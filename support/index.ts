// support: the people behind the bot. Agent accounts and sessions, the handoff queue and desk
// (claim, reply, hand back, close, act on the driver's bookings), the audit log, single sign-on.
// A top-level folder of its own rather than part of bot/: agents are a kind of user with their
// own data and rules, and the bot (or the conversation runtime) only asks it to queue a
// conversation and to know whether a person holds one. It uses booking-core; app/ wires it.

// Commonly used
export { createSupport, type Support, type SupportSetup } from './create-support.ts';
export { Accounts, newAgentSchema, type NewAgentInput, type SignInResult } from './accounts.ts';
export { MemorySignInAttempts, RedisSignInAttempts, type SignInAttempts } from './sign-in-attempts.ts';
export { Sessions, csrfMatches, type SessionPolicy, type SignedIn } from './sessions.ts';
export {
  HandoffDesk,
  type DeskRefusal,
  type DeskResult,
  type DriverLine,
  type HandoffDetail,
  type HandoffEvents,
  type Refunds,
} from './handoff-desk.ts';
export {
  AGENT_ROLES,
  HANDOFF_STATUSES,
  ROLE_CAPABILITIES,
  can,
  type Agent,
  type AgentRole,
  type Capability,
  type Handoff,
  type HandoffStatus,
  type InternalNote,
  type TranscriptLine,
} from './types.ts';

// Advanced: single sign-on, passwords
export { SingleSignOn, type OidcIdentity, type OidcSettings, type PendingLogin } from './oidc.ts';
export { MIN_PASSWORD_LENGTH } from './passwords.ts';

// The console's wire format (also the browser's, types only)
export {
  AGENTS_NAMESPACE,
  CSRF_HEADER,
  typingSchema,
  watchFacilitiesSchema,
  watchHandoffSchema,
  type AgentsClientEvents,
  type AgentsServerEvents,
  type ConsoleSession,
  type HandoffDetailItem,
  type HandoffItem,
} from './console-protocol.ts';
export { handoffDetailItem, handoffItem, transcriptItem } from './views.ts';
