import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // SQLite files, pty pairs and child processes: real parts are slower than mocks.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/hub/pg-schemas.global.ts'],
  },
});
