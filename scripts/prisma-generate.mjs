// Runs `prisma generate` at install time. Offline, Prisma's CLI cannot download its native schema
// engine, but `generate` only checks that the engine exists (see docs/install-notes.md), so point
// it at a harmless executable unless the operator configured a real one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && process.platform !== 'win32' && existsSync('/bin/false')) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = '/bin/false';
}
const r = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
