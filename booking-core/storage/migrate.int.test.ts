import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { applyMigrations, loadMigrations, MIGRATIONS_DIR, pendingMigrations } from './migrate.ts';

describe.each(BACKENDS)('migrations on %s', (backend) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('records every migration the way Prisma does, and a second run applies nothing', async () => {
    db = await freshDatabase(backend);
    const all = await loadMigrations();
    const rows = await db.sql.query<{
      migration_name: string;
      checksum: string;
      applied_steps_count: number;
      finished_at: Date | null;
    }>(
      `SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(all.map((m) => m.name));
    for (const r of rows) {
      const file = readFileSync(`${MIGRATIONS_DIR}/${r.migration_name}/migration.sql`);
      expect(r.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(r.applied_steps_count).toBe(1);
      expect(r.finished_at).not.toBeNull();
    }
    expect(await applyMigrations(db.sql)).toEqual({ applied: [], alreadyApplied: all.length });
    expect(await pendingMigrations(db.sql)).toEqual([]);
  });

  it('applies once when several instances start at the same time', async () => {
    db = await freshDatabase(backend);
    await db.sql.query('DROP SCHEMA public CASCADE');
    await db.sql.query('CREATE SCHEMA public');
    expect((await pendingMigrations(db.sql)).length).toBeGreaterThan(0);
    const others = await Promise.all([db.connectAgain(), db.connectAgain(), db.connectAgain()]);
    const reports = await Promise.all([db, ...others].map((c) => applyMigrations(c.sql)));
    expect(reports.flatMap((r) => r.applied).length).toBe((await loadMigrations()).length);
    const rows = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(rows[0]?.n).toBe((await loadMigrations()).length);
  });

  it('records a failed migration, rolls its changes back, and refuses to start until it is resolved', async () => {
    db = await freshDatabase(backend);
    const broken = {
      name: '29990101000000_broken',
      sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
      checksum: 'x'.repeat(64),
    };
    await expect(applyMigrations(db.sql, [...(await loadMigrations()), broken])).rejects.toThrow(
      /29990101000000_broken failed/,
    );
    const half = await db.sql.query<{ t: string | null }>(`SELECT to_regclass('half_done')::text AS t`);
    expect(half[0]?.t).toBeNull();
    await expect(applyMigrations(db.sql)).rejects.toThrow(/failed earlier/);
    await db.sql.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1`, [
      broken.name,
    ]);
    await expect(applyMigrations(db.sql)).resolves.toMatchObject({ applied: [] });
  });
});
