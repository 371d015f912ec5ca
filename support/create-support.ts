import type { BookingCore, Database } from '../booking-core/index.ts';
import { Accounts } from './accounts.ts';
import type { SignInAttempts } from './sign-in-attempts.ts';
import { HandoffDesk, type DriverLine, type Refunds } from './handoff-desk.ts';
import { Sessions, type SessionPolicy } from './sessions.ts';
import { PrismaAgentRepository } from './storage/prisma-agents.repository.ts';
import { PrismaAuditLog } from './storage/prisma-audit-log.ts';
import { PrismaHandoffRepository } from './storage/prisma-handoffs.repository.ts';
import { PrismaSessionRepository } from './storage/prisma-sessions.repository.ts';
import { TranscriptOnlyLine } from './storage/transcript-only-line.ts';

export interface SupportSetup {
  readonly db: Database;
  readonly core: Pick<BookingCore, 'bookings' | 'facilities'>;
  readonly attempts: SignInAttempts;
  /** failed sign-ins allowed per account and address in 15 minutes */
  readonly maxSignInFailures: number;
  readonly session: SessionPolicy;
  /** the driver's side of agent replies; default: recorded in the transcript only */
  readonly driverLine?: DriverLine;
  readonly refunds?: Refunds;
  readonly now?: () => Date;
  readonly onError?: (event: string, error: unknown) => void;
}

export interface Support {
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly desk: HandoffDesk;
}

/**
 * Builds the support side (accounts, sessions, the handoff desk) on the platform's database.
 *
 *   const support = createSupport({ db, core, limiter, signInAttemptsPerMinute: 5, session: { maxAgeMs, idleMs } });
 */
export function createSupport(s: SupportSetup): Support {
  const agents = new PrismaAgentRepository(s.db.prisma);
  const audit = new PrismaAuditLog(s.db.prisma);
  const now = s.now;
  return {
    accounts: new Accounts({
      agents,
      audit,
      attempts: s.attempts,
      maxFailures: s.maxSignInFailures,
      ...(now ? { now } : {}),
    }),
    sessions: new Sessions(new PrismaSessionRepository(s.db.prisma), agents, s.session, now),
    desk: new HandoffDesk({
      handoffs: new PrismaHandoffRepository(s.db.prisma),
      audit,
      core: s.core,
      driverLine: s.driverLine ?? new TranscriptOnlyLine(s.db.prisma),
      ...(s.refunds ? { refunds: s.refunds } : {}),
      ...(now ? { now } : {}),
      ...(s.onError ? { onError: s.onError } : {}),
    }),
  };
}
