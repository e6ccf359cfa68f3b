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
    // A failing test is run once more before it counts as failed, so that one stall of a loaded machine
    // does not fail the run; the summary names every test that passed only when run again (flaky), to be
    // looked into. A test must therefore leave nothing behind that a second run of it trips over.
    retry: 1,
  },
});
