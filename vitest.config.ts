import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**'],
    pool: 'forks',
    // @nlpjs/logger (inside @nlpjs/basic) passes pino's old prettyPrint option when loaded: harmless
    execArgv: ['--disable-warning=PINODEP008'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
