import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, openDatabase, type Database, type DatabaseKind } from '../../booking-core/index.ts';

/**
 * Real-PostgreSQL suites run when TEST_DATABASE_URL points at a server whose user may create
 * databases (CI sets it; `.ci/run` makes sure the server answers). Then an unreachable server
 * fails those suites; it never silently skips them.
 */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || undefined;

export const BACKENDS: DatabaseKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

if (!TEST_DATABASE_URL && process.env['VITEST']) {
  // Printed once per file: visible in the test output, so a skipped backend is never a surprise.
  console.warn('TEST_DATABASE_URL is not set: PostgreSQL suites run on PGlite only');
}

export interface TestDatabase extends Database {
  /** connection string of the throw-away database (postgres only) */
  readonly url?: string;
  /** another, independent connection pool to the same database (postgres), or the same db (pglite) */
  connectAgain(): Promise<Database>;
}

/**
 * A fresh, migrated, empty database of the given kind; closing drops it. For PostgreSQL it is
 * created on the server of `adminUrl` (default TEST_DATABASE_URL), e.g. by the benchmarks.
 */
export async function freshDatabase(
  kind: DatabaseKind,
  options: { adminUrl?: string; poolSize?: number } = {},
): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? TEST_DATABASE_URL;
  const poolSize = options.poolSize ?? 8;
  if (kind === 'pglite') {
    const db = await openDatabase({ kind: 'pglite' });
    await applyMigrations(db.sql);
    return { ...db, connectAgain: async () => ({ ...db, close: async () => {} }) };
  }
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `sp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize });
  await applyMigrations(db.sql);
  const others: Database[] = [];
  return {
    ...db,
    url: url.toString(),
    connectAgain: async () => {
      const other = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize });
      others.push(other);
      return other;
    },
    close: async () => {
      for (const o of others) await o.close();
      await db.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
