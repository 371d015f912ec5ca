import type { SensorAddress, SensorReading } from '../types.ts';

/** Why a message was refused; stable codes, counted per kind and published with the dead letter. */
export const REJECTION_REASONS = [
  'payload.too_large',
  'payload.not_json',
  'payload.invalid',
  'payload.undecodable',
  'topic.unknown',
  'device.unknown',
  'space.unknown',
  'space.other_sensor',
  'reading.out_of_order',
  'reading.from_future',
  'internal.error',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** A parsed message: who sent it and what it said, or why it cannot be used. */
export type ParseResult =
  | { readonly ok: true; readonly address: SensorAddress; readonly reading: SensorReading }
  | { readonly ok: false; readonly reason: RejectionReason; readonly detail: string };

export const refuse = (reason: RejectionReason, detail: string): ParseResult => ({
  ok: false,
  reason,
  detail,
});

/** JSON.parse that reports instead of throwing. */
export function parseJson(payload: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A zod error as one short line: "occupied: expected boolean; ts: invalid ISO datetime". */
export const describeIssues = (issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string =>
  issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
