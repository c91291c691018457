import { defineConfig } from 'vitest/config';

// `npm test` runs every project: the app's tests here, and each local workspace's own.
export default defineConfig({
  test: {
    teardownTimeout: 30_000,
    projects: [
      'local/*',
      {
        test: {
          name: 'app',
          include: ['test/**/*.test.ts'],
          // Forks, not threads: each worker is a process that inherits NODE_EXTRA_CA_CERTS from
          // the global setup, which is how the real SDK clients come to trust the local ARM
          // emulator.
          pool: 'forks',
          globalSetup: ['test/support/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
