// Data governance: how long each kind of record is kept, and the periodic work that rolls the
// detailed history up into hourly aggregates before deleting what is past its retention.

import { Periodic } from './periodic.ts';

/** Days each kind of record is kept. Transactional records default to 7 years, operational to 90 days. */
export interface RetentionSettings {
  /** chat transcripts (their NLU counts stay, rolled up per hour) */
  readonly transcriptsDays: number;
  /** sensors' occupancy changes (the hourly roll-up stays) */
  readonly occupancyDays: number;
  /** sensor health events: offline, flapping settled (rows of the history written by "health") */
  readonly sensorEventsDays: number;
  /** booking state changes and agents' actions */
  readonly auditDays: number;
  /** payments, their refunds and the providers' webhook events */
  readonly paymentsDays: number;
}

export const SEVEN_YEARS_DAYS = 2557;

export const DEFAULT_RETENTION: RetentionSettings = {
  transcriptsDays: 90,
  occupancyDays: 90,
  sensorEventsDays: 90,
  auditDays: SEVEN_YEARS_DAYS,
  paymentsDays: SEVEN_YEARS_DAYS,
};

export interface RollupRun {
  /** false: another instance holds the job right now (it does the work) */
  readonly claimed: boolean;
  /** the hours rolled up this run, [from, to) */
  readonly from: Date | null;
  readonly to: Date | null;
}

export interface RetentionCutoffs {
  readonly transcripts: Date;
  readonly occupancy: Date;
  readonly sensorEvents: Date;
  readonly audit: Date;
  readonly payments: Date;
  /** hours of the hold bitmaps (`booked_hour`) before this: only holds read them, never in the past */
  readonly bookedHours: Date;
}

export interface RetentionRun {
  readonly claimed: boolean;
  /** rows deleted, per kind */
  readonly deleted: {
    readonly transcripts: number;
    readonly occupancy: number;
    readonly sensorEvents: number;
    readonly audit: number;
    readonly payments: number;
    readonly bookedHours: number;
  };
}

/** Storage of the roll-ups; each call claims its job's row (FOR UPDATE SKIP LOCKED) for one transaction. */
export interface MaintenanceRepository {
  /** Rolls up to `maxHours` whole hours before `until` (and any hour a late reading touched). */
  rollUpOccupancy(until: Date, maxHours: number): Promise<RollupRun>;
  /** Deletes what is older than each cutoff; transcripts' NLU counts are rolled up first. */
  deleteExpired(cutoffs: RetentionCutoffs): Promise<RetentionRun>;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** a month of hours per run, so a first run over years of history stays a short transaction */
const MAX_HOURS_PER_RUN = 31 * 24;

/**
 * Periodic roll-ups and retention, safe on any number of instances: each job's row is claimed
 * with SKIP LOCKED, so exactly one instance does each piece of work.
 *
 *   const retention = new RetentionService({ repo, clock, settings, onError });
 *   retention.start(300_000); … await retention.stop();
 */
export class RetentionService {
  private readonly periodic = new Periodic(
    () => this.runOnce(),
    (e) => this.deps.onError(e),
  );

  constructor(
    private readonly deps: {
      readonly repo: MaintenanceRepository;
      readonly clock: { now(): Date };
      readonly settings: RetentionSettings;
      readonly onError: (error: unknown) => void;
    },
  ) {}

  /** Rolls up every whole hour that has ended (a month per call); returns when caught up or another instance holds the job. */
  async rollUp(): Promise<RollupRun[]> {
    const until = new Date(Math.floor(this.deps.clock.now().getTime() / HOUR_MS) * HOUR_MS);
    const runs: RollupRun[] = [];
    for (;;) {
      const run = await this.deps.repo.rollUpOccupancy(until, MAX_HOURS_PER_RUN);
      runs.push(run);
      if (!run.claimed || !run.to || run.to.getTime() >= until.getTime()) return runs;
    }
  }

  /** One pass: roll up, then delete what is past its retention. */
  async runOnce(): Promise<{ rollups: RollupRun[]; retention: RetentionRun }> {
    const rollups = await this.rollUp();
    const retention = await this.deps.repo.deleteExpired(
      cutoffsAt(this.deps.clock.now(), this.deps.settings),
    );
    return { rollups, retention };
  }

  start(intervalMs: number): void {
    this.periodic.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}

/** The moment before which each kind of record is deleted, at `now`. */
export function cutoffsAt(now: Date, s: RetentionSettings): RetentionCutoffs {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return {
    transcripts: ago(s.transcriptsDays),
    occupancy: ago(s.occupancyDays),
    sensorEvents: ago(s.sensorEventsDays),
    audit: ago(s.auditDays),
    payments: ago(s.paymentsDays),
    bookedHours: ago(1),
  };
}
