import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../prisma/generated/client.ts';
import { StorageError } from '../errors.ts';
import type { SqlRunner } from './sql-runner.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: the Prisma client for repositories, a raw runner for migrations and health. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly prisma: PrismaClient;
  readonly sql: SqlRunner;
  /** connection pool usage (PostgreSQL only), for metrics */
  readonly poolStats?: () => { total: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number }
  /** `dataDir` persists to disk; omit it for a throw-away in-memory database. */
  | { readonly kind: 'pglite'; readonly dataDir?: string };

/**
 * Opens PostgreSQL (node-postgres pool) or embedded PostgreSQL (PGlite) behind one interface.
 *
 *   const db = await openDatabase({ kind: 'pglite', dataDir: '.data' });
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === 'postgres'
    ? openPostgres(options.url, options.poolSize ?? 10)
    : openPglite(options.dataDir);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  try {
    const c = await pool.connect();
    c.release();
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new StorageError('cannot connect to PostgreSQL (DATABASE_URL)', { kind: 'postgres' }, { cause });
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql: SqlRunner = {
    query: async <T>(text: string, params?: unknown[], name?: string) =>
      (await (name ? pool.query({ name, text, values: params ?? [] }) : pool.query(text, params)))
        .rows as T[],
    execInTransaction: async (script) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(script);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    withAdvisoryLock: async (key, fn) => {
      const c = await pool.connect();
      try {
        await c.query('SELECT pg_advisory_lock($1)', [key]);
        return await fn();
      } finally {
        await c.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => {});
        c.release();
      }
    },
  };
  return {
    kind: 'postgres',
    prisma,
    sql,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  let dir: string | undefined;
  if (dataDir) {
    dir = join(dataDir, 'pgdata');
    await mkdir(dir, { recursive: true });
  }
  const db = await PGlite.create({ ...(dir ? { dataDir: dir } : {}), extensions: { btree_gist } });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const sql: SqlRunner = {
    query: async <T>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows,
    execInTransaction: async (script) => {
      await db.transaction(async (tx) => {
        await tx.exec(script);
      });
    },
    // One process owns a PGlite directory, so there is nobody to exclude.
    withAdvisoryLock: async (_key, fn) => fn(),
  };
  return {
    kind: 'pglite',
    prisma,
    sql,
    close: async () => {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
