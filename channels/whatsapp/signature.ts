import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/**
 * The `X-Hub-Signature-256` value Meta sends with a webhook: HMAC-SHA256 of the raw request bytes
 * keyed with the app secret. Sign the bytes as received — Meta escapes non-ASCII as \uXXXX, so
 * re-serialised JSON would not match.
 *
 *   signPayload(rawBody, appSecret) // 'sha256=6f1c…'
 */
export function signPayload(rawBody: Buffer | string, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/** True only when `header` is the signature of exactly these bytes; compared in constant time. */
export function verifySignature(
  rawBody: Buffer | string,
  header: string | string[] | undefined,
  appSecret: string,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const given = Buffer.from(header.slice(PREFIX.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // a non-hex or short header decodes to fewer bytes; timingSafeEqual needs equal lengths
  return given.length === expected.length && timingSafeEqual(given, expected);
}
