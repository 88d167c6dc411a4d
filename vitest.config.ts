import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Creates the test database and the vector extension on the Postgres server when missing (see the file).
    globalSetup: ['test/support/postgres-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // PGlite instances are heavy (WASM Postgres); two cores, so two files at a time.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
