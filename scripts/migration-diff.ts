/**
 * Writes the next Prisma migration offline: diffs the committed migrations against
 * prisma/schema.prisma with Prisma's own schema engine (the wasm build), using an in-memory
 * PGlite as the shadow database. The Prisma CLI cannot do this here (its native engine
 * cannot be downloaded, see docs/install-notes.md).
 *
 *   npm run db:diff -- add_sensors     # writes prisma/migrations/<timestamp>_add_sensors/migration.sql
 */
import { readFileSync, readdirSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:diff -- <snake_case_name>');
  process.exit(2);
}
const engineDir = new URL('../node_modules/@prisma/schema-engine-wasm/', import.meta.url);
// The package is built for bundlers; instantiate its wasm by hand for plain Node.
const bg = await import(new URL('schema_engine_bg.js', engineDir).href);
const { instance } = await WebAssembly.instantiate(
  readFileSync(new URL('schema_engine_bg.wasm', engineDir)),
  {
    './schema_engine_bg.js': bg,
  },
);
bg.__wbg_set_wasm(instance.exports);
(instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();

const migrationsDir = resolve('prisma/migrations');
const schema = { path: 'schema.prisma', content: readFileSync('prisma/schema.prisma', 'utf8') };
const dirs = existsSync(migrationsDir)
  ? readdirSync(migrationsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  : [];
const migrationsList = {
  baseDir: migrationsDir,
  lockfile: {
    path: 'migration_lock.toml',
    content: existsSync(join(migrationsDir, 'migration_lock.toml'))
      ? readFileSync(join(migrationsDir, 'migration_lock.toml'), 'utf8')
      : null,
  },
  shadowDbInitScript: '',
  migrationDirectories: dirs.map((path) => ({
    path,
    migrationFile: {
      path: 'migration.sql',
      content: { tag: 'ok', value: readFileSync(join(migrationsDir, path, 'migration.sql'), 'utf8') },
    },
  })),
};
const shadow = new PGlite({ extensions: { btree_gist } });
// The adapter's own shadow database lacks btree_gist, which our hand-written migration needs.
class ShadowWithExtensions extends PrismaPGlite {
  override connectToShadowDb() {
    return new PrismaPGlite(shadow).connect();
  }
}
const adapter = bindMigrationAwareSqlAdapterFactory(new ShadowWithExtensions(new PGlite()) as never);
const engine = await bg.SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, () => {}, adapter);
const result = await engine.diff({
  from: dirs.length ? { tag: 'migrations', ...migrationsList } : { tag: 'empty' },
  to: { tag: 'schemaDatamodel', files: [schema] },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
});
const sql: string = result.stdout ?? '';
if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
  console.log('schema.prisma and the migrations agree; nothing to write');
} else {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), sql);
  if (!existsSync(join(migrationsDir, 'migration_lock.toml'))) {
    writeFileSync(join(migrationsDir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  }
  console.log(`wrote ${dir}/migration.sql`);
}
await shadow.close();
