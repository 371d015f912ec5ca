import type { BookingCore, Database } from '../booking-core/index.ts';
import { Accounts } from './accounts.ts';
import type { SignInAttempts } from './sign-in-attempts.ts';
import type { ConversationRuntime } from '../channels/index.ts';
import { DriverSide } from './driver-side.ts';
import { HandoffDesk, type Refunds } from './handoff-desk.ts';
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
  /**
   * The conversation runtime: agents' replies reach drivers through it, and it routes a waiting
   * or held conversation to the agents. Without it replies are only recorded in the transcript.
   */
  readonly runtime?: Pick<ConversationRuntime, 'deliver' | 'typing' | 'setRouter' | 'onDriverMessage'>;
  /** how many agents are online now (for "nobody is online" at once) */
  readonly agentsOnline?: () => Promise<number>;
  /** a driver waiting this long is told honestly and offered the bot or a message (default 10) */
  readonly waitMinutes?: number;
  readonly refunds?: Refunds;
  readonly now?: () => Date;
  readonly onError?: (event: string, error: unknown) => void;
}

export interface Support {
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly desk: HandoffDesk;
  /** the driver's side on the runtime (null without one): call `remindOverdue()` periodically */
  readonly driverSide: DriverSide | null;
  /** stops listening to the runtime */
  close(): void;
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
  const handoffs = new PrismaHandoffRepository(s.db);
  const onError = s.onError ?? (() => {});
  const side = s.runtime
    ? new DriverSide({
        handoffs,
        runtime: s.runtime,
        core: s.core,
        agentsOnline: s.agentsOnline ?? (async () => 1),
        waitMinutes: s.waitMinutes ?? 10,
        ...(now ? { now } : {}),
        onError: (e, where) => onError(where, e),
      })
    : null;
  const desk = new HandoffDesk({
    handoffs,
    audit,
    core: s.core,
    driverLine: side ?? new TranscriptOnlyLine(s.db.prisma),
    ...(s.refunds ? { refunds: s.refunds } : {}),
    ...(now ? { now } : {}),
    onError,
  });
  const unsubscribe: Array<() => void> = [];
  if (side && s.runtime) {
    side.bind(desk);
    s.runtime.setRouter(side);
    unsubscribe.push(s.runtime.onDriverMessage((e) => side.heard(e)));
  }
  return {
    accounts: new Accounts({
      agents,
      audit,
      attempts: s.attempts,
      maxFailures: s.maxSignInFailures,
      ...(now ? { now } : {}),
    }),
    sessions: new Sessions(new PrismaSessionRepository(s.db.prisma), agents, s.session, now),
    desk,
    driverSide: side,
    close: () => {
      for (const u of unsubscribe.splice(0)) u();
    },
  };
}
