import { REJECTION_REASONS, type RejectionReason } from './payloads/parse-result.ts';

/** The minimal logger the bridge needs (pino's Logger fits). */
export interface BridgeLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: BridgeLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * What goes to the dead-letter topic: why, and enough of the message to find its sender.
 *
 *   { reason: 'payload.invalid', detail: 'occupied: Invalid input: expected boolean, received string',
 *     topic: 'parking/KXC/B1-004/occupancy', receivedAt: '…', bytes: 19, payload: '{"occupied":"yes"}',
 *     encoding: 'utf8' }
 */
export interface DeadLetter {
  readonly reason: RejectionReason;
  readonly detail: string;
  readonly topic: string;
  readonly receivedAt: string;
  /** the full size of the rejected payload */
  readonly bytes: number;
  /** the payload's first PREVIEW_BYTES, as text when it is UTF-8, else base64 */
  readonly payload: string;
  readonly encoding: 'utf8' | 'base64';
}

export const PREVIEW_BYTES = 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function preview(payload: Buffer): Pick<DeadLetter, 'payload' | 'encoding'> {
  const head = payload.subarray(0, PREVIEW_BYTES);
  try {
    return { payload: utf8.decode(head), encoding: 'utf8' };
  } catch {
    return { payload: head.toString('base64'), encoding: 'base64' };
  }
}

/**
 * Rejected messages: counted per reason, logged once per reason (a broken sensor sending every
 * second must not flood the log), and republished to the dead-letter topic when a publisher is set.
 */
export class DeadLetters {
  private readonly counts = Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<
    RejectionReason,
    number
  >;
  private publisher: ((letter: DeadLetter) => void) | null = null;

  constructor(private readonly logger: BridgeLogger) {}

  /** Where letters go (the MQTT connection, once it exists). */
  publishWith(publisher: ((letter: DeadLetter) => void) | null): void {
    this.publisher = publisher;
  }

  reject(
    reason: RejectionReason,
    detail: string,
    topic: string,
    payload: Buffer,
    receivedAt: Date,
  ): DeadLetter {
    this.counts[reason] += 1;
    const letter: DeadLetter = {
      reason,
      detail,
      topic: topic.slice(0, 256),
      receivedAt: receivedAt.toISOString(),
      bytes: payload.length,
      ...preview(payload),
    };
    if (this.counts[reason] === 1) {
      this.logger.warn(
        { reason, detail, topic: letter.topic },
        'sensor message rejected; later ones of this kind are only counted (see GET /api/v1/sensors/stats)',
      );
    }
    try {
      this.publisher?.(letter);
    } catch (e) {
      this.logger.error({ err: e }, 'could not publish a dead letter');
    }
    return letter;
  }

  /** rejections so far, per reason */
  counted(): Readonly<Record<RejectionReason, number>> {
    return { ...this.counts };
  }
}
