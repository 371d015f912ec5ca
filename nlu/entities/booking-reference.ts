// Our references are "PK" + 6 characters of an alphabet without look-alikes (no I, O, 0, 1), so a
// driver's "pk7f3k9q" or "PK-7F3K9Q" is still recognised, and a plate rarely looks like one.
const REFERENCE = /\bpk[\s-]?([abcdefghjklmnpqrstuvwxyz23456789]{6})\b/i;

/**
 * @example
 * findBookingReference('cancel pk-7f3k9q please') // 'PK7F3K9Q'
 */
export function findBookingReference(text: string): string | undefined {
  const match = REFERENCE.exec(text);
  return match?.[1] ? `PK${match[1].toUpperCase()}` : undefined;
}
