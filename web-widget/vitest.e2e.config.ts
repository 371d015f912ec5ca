import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Browser tests of the widget (real Chromium via playwright-core), kept out of the default run:
 *   npx vitest run --config web-widget/vitest.e2e.config.ts
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.test.ts'],
    exclude: ['node_modules/**', '.data/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
