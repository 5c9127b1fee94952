import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts a throwaway PostgreSQL and Redis once per run (unless TEST_DATABASE_URL / TEST_REDIS_URL are set);
    // each integration test file then takes its own database and queue prefix (test/support/env.ts).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Integration files start worker processes, Prometheus and PostgreSQL work of their own: one file
    // at a time keeps a 2-core machine from starving their job locks and timeouts.
    fileParallelism: false,
  },
});
