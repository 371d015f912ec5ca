import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { storedSecret } from '../secrets.ts';

export interface ApiKeys {
  /** the key's fingerprint when it is valid, else null */
  verify(presented: string): string | null;
}

const digest = (key: string) => createHash('sha256').update(key).digest();

/** Short, non-secret fingerprint of a key, for logs and idempotency scopes. */
export const fingerprint = (key: string) => digest(key).toString('hex').slice(0, 12);

/** Constant-time check against each configured key (compares digests, so lengths never leak). */
export function apiKeys(keys: readonly string[]): ApiKeys {
  const known = keys.map((k) => ({ hash: digest(k), id: fingerprint(k) }));
  return {
    verify(presented) {
      const h = digest(presented);
      let match: string | null = null;
      for (const k of known) if (timingSafeEqual(h, k.hash)) match = k.id;
      return match;
    },
  };
}

/**
 * The keys to accept: `API_KEYS` when set; otherwise one generated on first start and kept in the
 * data directory (mode 0600). `generated` is the new key, to be shown once; never logged after.
 */
export async function resolveApiKeys(configured: readonly string[], dataDir: string) {
  if (configured.length) return { keys: [...configured], generated: null, file: null };
  const key = await storedSecret(dataDir, 'api-key', () => `spk_${randomBytes(24).toString('base64url')}`);
  return { keys: [key.value], generated: key.created ? key.value : null, file: key.file };
}
