import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claims the data directory for this process. Two processes opening one embedded database would
 * corrupt it, so the second one stops with a message instead.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'instance.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && alive(pid)) {
        throw new Error(
          `the data directory ${dir} is in use by process ${pid}; stop it, or give this instance its own DATA_DIR (or a shared DATABASE_URL)`,
        );
      }
      await rm(file, { force: true }); // left behind by a process that died
    }
  }
  throw new Error(`could not lock the data directory ${dir}`);
}
