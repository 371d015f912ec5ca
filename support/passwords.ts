import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP's recommended 19 MiB, 2 passes). */
export const hashPassword = (password: string): Promise<string> => hash(password);

// Checked when the account does not exist, so an unknown email takes as long as a wrong password.
let decoy: Promise<string> | undefined;

/** true when `password` matches `stored`; a missing hash still costs one verification. */
export async function checkPassword(password: string, stored: string | null): Promise<boolean> {
  const target = stored ?? (await (decoy ??= hash('decoy password, never matches')));
  const ok = await verify(target, password).catch(() => false);
  return stored !== null && ok;
}

export const MIN_PASSWORD_LENGTH = 12;
