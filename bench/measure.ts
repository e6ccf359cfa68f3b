import { performance } from 'node:perf_hooks';

/** Median of a list of numbers (the list is not modified). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/**
 * Runs `work` repeatedly for at least `minMs` (after a second of warm-up) and returns the throughput in
 * MB/s for `bytesPerRun` bytes handled per run. The best of `rounds` rounds is kept: on a shared
 * 2-core machine the best round is the one least disturbed by other processes.
 */
export function throughputMbPerS(work: () => unknown, bytesPerRun: number, minMs = 500, rounds = 5): number {
  // Warm-up by time, not by count: the JIT tiers a parser up over the first few hundred ms.
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) work();
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    let runs = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < minMs) {
      work();
      runs++;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (bytesPerRun * runs) / (1024 * 1024) / (elapsed / 1000));
  }
  return best;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Waits until this process is idle (under a tenth of a core over half a second, for at most three
 * minutes): after a bulk fill dynalite's LevelDB compacts in threads of this process for seconds (at
 * 50k) to minutes (at 500k), which whatever is timed next would otherwise pay for (the renders, and
 * the builds in processes of their own, which share the two cores). Resolves the wait.
 */
export async function whenProcessIdle(): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < 180_000) {
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const used = process.cpuUsage(before);
    if ((used.user + used.system) / 1000 < 50) break;
  }
  return performance.now() - start;
}
