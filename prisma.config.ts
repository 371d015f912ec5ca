import { defineConfig } from 'prisma/config';

// The CLI is used offline here only for `generate` (see docs/install-notes.md); migrations are
// applied by app code (booking-core/storage/migrate.ts), which records them in `_prisma_migrations`.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
