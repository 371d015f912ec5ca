import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The node flags `npm start` runs the platform with, read from a checkout's package.json (this
 * one by default), so benchmarks and the soak run it as operators do — an older checkout with the
 * flags it had then.
 *
 *   startFlags() // ['--disable-warning=PINODEP008', '--max-semi-space-size=64']
 */
export function startFlags(dir = fileURLToPath(new URL('..', import.meta.url))): string[] {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  return (pkg.scripts?.start ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}
