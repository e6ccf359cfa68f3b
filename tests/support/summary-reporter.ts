import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, `tests: N passed, N failed, N skipped`, that any CI log reader
 * understands, after Vitest's own summary; then one line for each test that failed and passed only
 * when run again (`retry` in vitest.config.ts), so that a flaky test is seen and looked into.
 */
export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const flaky: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
        if (state === 'passed' && test.diagnostic()?.flaky === true)
          flaky.push(
            `flaky: ${relative(process.cwd(), module.moduleId)} > ${test.fullName} passed only when run again\n`,
          );
      }
    }
    process.stdout.write(
      `\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n${flaky.join('')}`,
    );
  }
}
