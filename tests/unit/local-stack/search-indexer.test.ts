import { DebouncedIndexer } from '@feedwright/local-stack';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** An indexer whose rebuilds are counted and finish when the test says so. */
function countingIndexer(intervalMs: number) {
  const rebuilds: Array<() => void> = [];
  const errors: unknown[] = [];
  const indexer = new DebouncedIndexer({
    intervalMs,
    rebuild: () => new Promise<void>((resolve) => rebuilds.push(resolve)),
    onError: (error) => errors.push(error),
  });
  return { indexer, rebuilds, errors };
}

describe('Class: DebouncedIndexer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rebuilds once for changes within the interval, and once more for changes during a rebuild', async () => {
    // Prepare
    const { indexer, rebuilds } = countingIndexer(1000);

    // Act: three changes, then the interval passes.
    indexer.touch();
    indexer.touch();
    await vi.advanceTimersByTimeAsync(500);
    indexer.touch();
    expect(rebuilds).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(500);

    // Assess
    expect(rebuilds).toHaveLength(1);
    // Changes while it runs: one more rebuild, an interval after this one ends, never two at once.
    indexer.touch();
    indexer.touch();
    await vi.advanceTimersByTimeAsync(5000);
    expect(rebuilds).toHaveLength(1);
    rebuilds[0]?.();
    await vi.advanceTimersByTimeAsync(999);
    expect(rebuilds).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(rebuilds).toHaveLength(2);
    expect(indexer.busy).toBe(true);
    rebuilds[1]?.();
    await indexer.idle();
    expect(indexer.busy).toBe(false);
  });

  it('reports a failed rebuild and rebuilds again at the next change', async () => {
    // Prepare
    const failures: unknown[] = [];
    let calls = 0;
    const indexer = new DebouncedIndexer({
      intervalMs: 10,
      rebuild: async () => {
        calls += 1;
        if (calls === 1) throw new Error('pagefind failed');
      },
      onError: (error) => failures.push(error),
    });

    // Act
    indexer.touch();
    await vi.advanceTimersByTimeAsync(10);
    await indexer.idle();
    indexer.touch();
    await vi.advanceTimersByTimeAsync(10);
    await indexer.idle();

    // Assess
    expect(calls).toBe(2);
    expect(failures.map((error) => (error as Error).message)).toEqual(['pagefind failed']);
  });

  it('drops a rebuild not yet started when closed', async () => {
    // Prepare
    const { indexer, rebuilds } = countingIndexer(100);

    // Act
    indexer.touch();
    await indexer.close();
    await vi.advanceTimersByTimeAsync(1000);
    indexer.touch();
    await vi.advanceTimersByTimeAsync(1000);

    // Assess
    expect(rebuilds).toHaveLength(0);
    expect(indexer.busy).toBe(false);
  });
});
