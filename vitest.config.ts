import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Integration tests start their own emulators on free ports; two workers match the 2-core machine.
    maxWorkers: 2,
    // Timeouts only catch a hang; no test measures speed (that is npm run bench). They leave room for a
    // loaded 2-core machine, where the emulator-backed tests run 3-4 times slower than alone.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // The CLI's S3 client now and then meets a reset connection from s3rver while several stacks run
    // at once (ECONNRESET through all of its retries, a few times in hundreds of runs, in the publish
    // tests); a failing test is run once more before it counts as failed. A test that passed only on
    // its retry shows as such in the report (flaky), to be looked into, not ignored.
    retry: 1,
  },
});
