import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'functions-host',
    include: ['test/**/*.test.ts'],
    // Forks: each worker inherits NODE_EXTRA_CA_CERTS from the global setup.
    pool: 'forks',
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
