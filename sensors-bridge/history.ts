import type { BridgeLogger } from './dead-letters.ts';
import type { OccupancyHistoryRepository, SensorRepository, SensorSeen } from './ports.ts';
import type { OccupancyChangeRow } from './types.ts';

export interface HistoryOptions {
  /** write at least this often (default 1 s) */
  readonly flushEveryMs?: number;
  /** and as soon as this many changes wait (default 500) */
  readonly maxRows?: number;
  /** while the database is unreachable, keep at most this many; the oldest go first (default 100 000) */
  readonly maxBuffered?: number;
}

/** A sensor's last-seen time and firmware version as buffered between writes. */
interface SeenSlot {
  readonly deviceId: string;
  lastSeenMs: number;
  /** reported since the last write; null: not reported */
  firmwareVersion: string | null;
  /** heard from since the last write */
  pending: boolean;
}

/**
 * Occupancy history and sensors' last-seen times, written in batches: one insert per batch instead
 * of one per message. History is flushed on a timer, when a batch is full, and on stop; last-seen
 * times on the timer and on stop only, so a sensor heard many times a second is updated once (in
 * PostgreSQL that update cost more per row than the history insert).
 */
export class HistoryWriter {
  private rows: OccupancyChangeRow[] = [];
  private readonly seen = new Map<string, SeenSlot>();
  /** the slots seen since the last write of last-seen times, in the order first seen */
  private seenSince: SeenSlot[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private batchDue = false;
  private failing = false;
  private readonly flushEveryMs: number;
  private readonly maxRows: number;
  private readonly maxBuffered: number;
  /** rows written, and rows dropped because the buffer overflowed while the database was away */
  readonly counts = { written: 0, dropped: 0 };

  constructor(
    private readonly history: OccupancyHistoryRepository,
    private readonly sensors: SensorRepository,
    private readonly logger: BridgeLogger,
    options: HistoryOptions = {},
  ) {
    this.flushEveryMs = options.flushEveryMs ?? 1000;
    this.maxRows = options.maxRows ?? 500;
    this.maxBuffered = options.maxBuffered ?? 100_000;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushEveryMs).unref();
  }

  recordChange(row: OccupancyChangeRow): void {
    this.rows.push(row);
    if (this.rows.length >= this.maxRows && !this.batchDue) {
      // One full-batch flush at a time: rows arriving while it waits for the one being written go
      // with it (a flush per row past the limit only piled up waiting promises).
      this.batchDue = true;
      void this.write(false).finally(() => (this.batchDue = false));
    }
  }

  /** A sensor was heard from at `lastSeenMs` (epoch ms), reporting its firmware version or not. */
  recordSeen(deviceId: string, lastSeenMs: number, firmwareVersion: string | null): void {
    // One slot per sensor, kept from one write to the next and updated in place: a message costs no
    // allocation, and nothing of it has to live until the next write.
    let slot = this.seen.get(deviceId);
    if (!slot) {
      slot = { deviceId, lastSeenMs, firmwareVersion, pending: false };
      this.seen.set(deviceId, slot);
    } else {
      slot.lastSeenMs = lastSeenMs;
      if (firmwareVersion !== null) slot.firmwareVersion = firmwareVersion;
    }
    if (!slot.pending) {
      slot.pending = true;
      this.seenSince.push(slot);
    }
  }

  get pending(): number {
    return this.rows.length;
  }

  /** Writes what is buffered; never rejects (a failed batch is kept for the next attempt). */
  flush(): Promise<void> {
    return this.write(true);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** One write at a time: the history buffered, and the last-seen times too when `withSeen`. */
  private async write(withSeen: boolean): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.rows.length && !(withSeen && this.seenSince.length)) return;
    this.flushing = this.writeBatch(withSeen).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private async writeBatch(withSeen: boolean): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    if (rows.length) {
      const wrote = await this.attempt(() => this.history.append(rows));
      if (wrote) this.counts.written += rows.length;
      else this.putBackRows(rows);
    }
    if (withSeen && this.seenSince.length) await this.writeSeen();
  }

  private async writeSeen(): Promise<void> {
    const slots = this.seenSince;
    this.seenSince = [];
    // Sensors not heard from since the previous write are let go (a retired one must not stay).
    for (const [deviceId, slot] of this.seen) if (!slot.pending) this.seen.delete(deviceId);
    const seen: SensorSeen[] = slots.map((slot) => {
      const entry = {
        deviceId: slot.deviceId,
        lastSeenAt: new Date(slot.lastSeenMs),
        firmwareVersion: slot.firmwareVersion,
      };
      slot.pending = false;
      slot.firmwareVersion = null;
      return entry;
    });
    if (await this.attempt(() => this.sensors.touch(seen))) return;
    // Kept for the next attempt, unless the sensor was heard from again meanwhile (that is later).
    slots.forEach((slot, i) => {
      const failed = seen[i]!;
      slot.firmwareVersion ??= failed.firmwareVersion;
      if (slot.pending) return;
      slot.lastSeenMs = failed.lastSeenAt.getTime();
      slot.pending = true;
      this.seenSince.push(slot);
    });
  }

  private async attempt(write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      if (this.failing) this.logger.info({}, 'occupancy history is being written again');
      this.failing = false;
      return true;
    } catch (e) {
      if (!this.failing)
        this.logger.error({ err: e }, 'could not write occupancy history; keeping it to retry');
      this.failing = true;
      return false;
    }
  }

  private putBackRows(rows: OccupancyChangeRow[]) {
    const all = [...rows, ...this.rows];
    const overflow = Math.max(0, all.length - this.maxBuffered);
    this.counts.dropped += overflow;
    this.rows = all.slice(overflow);
  }
}
