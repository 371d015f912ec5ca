import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A secret kept in the data directory (mode 0600): read it, or create it on first start. Safe when
 * two processes race to create it (the file is created exclusively; the loser reads the winner's).
 * `created` is true only for the process that made it, so it can be shown once.
 *
 *   const { value, created } = await storedSecret('.data', 'widget-secret', () => randomBytes(32).toString('base64url'));
 */
export async function storedSecret(
  dataDir: string,
  name: string,
  generate: () => string = () => randomBytes(32).toString('base64url'),
) {
  const file = join(dataDir, name);
  const existing = await readFile(file, 'utf8').then(
    (s) => s.trim(),
    () => '',
  );
  if (existing) return { value: existing, created: false, file };
  await mkdir(dataDir, { recursive: true });
  const value = generate();
  const created = await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' }).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
      return false;
    },
  );
  return { value: created ? value : (await readFile(file, 'utf8')).trim(), created, file };
}
