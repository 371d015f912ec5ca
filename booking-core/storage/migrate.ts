import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { StorageError } from '../errors.ts';
import type { SqlRunner } from './sql-runner.ts';

/** Prisma's own advisory lock key for migrations, so our runner and `prisma migrate deploy` exclude each other. */
const PRISMA_MIGRATE_LOCK = 72707369;

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrationReport {
  readonly applied: string[];
  readonly alreadyApplied: number;
}

/** The committed migrations, in order, with the checksum Prisma records (sha256 of the file). */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}/migration.sql`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Applies pending migrations the way `prisma migrate deploy` does — same `_prisma_migrations`
 * table, checksums and lock — so the real CLI agrees on machines that have it. Each migration
 * runs in a transaction; a failed one is recorded and blocks later starts until resolved.
 */
export async function applyMigrations(sql: SqlRunner, migrations?: Migration[]): Promise<MigrationReport> {
  const all = migrations ?? (await loadMigrations());
  return sql.withAdvisoryLock(PRISMA_MIGRATE_LOCK, async () => {
    await sql.query(CREATE_TABLE);
    const rows = await sql.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new StorageError(
        `migration ${failed.migration_name} failed earlier; fix the database and mark it rolled back before starting again`,
        { migration: failed.migration_name },
      );
    }
    const done = new Set(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.name)) continue;
      const id = randomUUID();
      try {
        await sql.execInTransaction(
          `${m.sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES (${quote(id)}, ${quote(m.checksum)}, ${quote(m.name)}, now(), now(), 1);`,
        );
      } catch (cause) {
        await sql.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at) VALUES ($1, $2, $3, $4, now())`,
          [id, m.checksum, m.name, String(cause instanceof Error ? cause.message : cause)],
        );
        throw new StorageError(`migration ${m.name} failed`, { migration: m.name }, { cause });
      }
      applied.push(m.name);
    }
    return { applied, alreadyApplied: done.size };
  });
}

/** Names of committed migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(sql: SqlRunner, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  const exists = await sql.query<{ t: string | null }>(
    `SELECT to_regclass('"_prisma_migrations"')::text AS t`,
  );
  if (!exists[0]?.t) return all.map((m) => m.name);
  const rows = await sql.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Set(rows.map((r) => r.migration_name));
  return all.filter((m) => !done.has(m.name)).map((m) => m.name);
}
