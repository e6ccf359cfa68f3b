import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  isolatedStackOptions,
  LOCAL_DEFAULTS,
  type StackWrite,
  s3rverClient,
  startLocalStack,
} from '@feedwright/local-stack';
import { digestOnDay } from '../tests/support/archive.ts';
import { percentile } from './measure.ts';

/** DynamoDB's ceiling for one partition (table or index): write units a second, whatever the mode. */
export const PARTITION_WCU_PER_S = 1_000;

/** What a peak replay measured. */
export interface PeakResult {
  readonly perMinute: number;
  readonly digests: number;
  /** Seconds from the first upload until the stack was idle (every digest live, the search index built). */
  readonly seconds: number;
  /** Upload → live (the local stack's freshness line: the digest's last site object written), ms. */
  readonly live: { readonly p50: number; readonly p95: number };
  /** Write units a second of the busiest partition in its busiest second, and which partition that is. */
  readonly hottest: { readonly partition: string; readonly wcuPerS: number };
  /** Write units one digest costs, by kind of partition (see `partitionKind`). */
  readonly wcuPerDigest: Readonly<Record<string, number>>;
  /** Site objects written or deleted a second in the busiest second (S3: 3,500 writes a second a prefix). */
  readonly siteWritesPerS: number;
}

/**
 * `npm run bench -- --peak N`: N digests a minute for `minutes`, PUT at even intervals into the local stack
 * (search index on, as `npm start` runs it), each digest a new day of the corpus. Every DynamoDB write
 * the stack's functions send is counted by partition (the table's `pk`, and the `all` and `byTopic`
 * index partitions its item names) in write units (one per started KB), second by second. What it shows:
 * whether the local stack keeps up at that rate (live p95 stays flat), and, from the write units a digest
 * costs in the hottest partition, the rate at which that partition would reach DynamoDB's per-partition
 * ceiling (see docs/performance.md, "Scale").
 */
export async function replayPeak(
  corpus: readonly string[],
  perMinute: number,
  minutes = 1,
): Promise<PeakResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'feedwright-bench-peak-'));
  const live: number[] = [];
  const units = new Map<string, Map<number, number>>();
  const byKind = new Map<string, number>();
  const siteWrites = new Map<number, number>();
  let clock = performance.now();
  const second = () => Math.floor((performance.now() - clock) / 1000);
  const count = (write: StackWrite): void => {
    if (write.service === 's3') {
      if (write.bucket === LOCAL_DEFAULTS.siteBucket)
        siteWrites.set(second(), (siteWrites.get(second()) ?? 0) + 1);
      return;
    }
    for (const item of write.items ?? []) {
      const wcu = Math.max(1, Math.ceil(item.bytes / 1024));
      for (const partition of item.partitions) {
        const perSecond = units.get(partition) ?? new Map<number, number>();
        perSecond.set(second(), (perSecond.get(second()) ?? 0) + wcu);
        units.set(partition, perSecond);
        const kind = partitionKind(partition);
        byKind.set(kind, (byKind.get(kind) ?? 0) + wcu);
      }
    }
  };
  const stack = await startLocalStack({
    ...isolatedStackOptions(dataDir, (line) => {
      const match = /^live: \S+ in (\d+) ms/.exec(line);
      if (match?.[1] !== undefined) live.push(Number(match[1]));
    }),
    searchIndexIntervalMs: LOCAL_DEFAULTS.searchIndexIntervalMs,
    beforeWrite: count,
  });
  const s3 = s3rverClient(stack.s3Endpoint, stack.region);
  const digests = Math.round(perMinute * minutes);
  try {
    const bodies = Array.from({ length: digests }, (_, i) =>
      digestOnDay(corpus[i % corpus.length] as string, i),
    );
    const interval = 60_000 / perMinute;
    clock = performance.now();
    const uploads: Promise<unknown>[] = [];
    for (const [i, body] of bodies.entries()) {
      const due = clock + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      uploads.push(
        s3.send(
          new PutObjectCommand({
            Bucket: stack.incomingBucket,
            Key: `digests/peak-${String(i).padStart(5, '0')}.txt`,
            Body: body,
            ContentType: 'text/plain; charset=utf-8',
          }),
        ),
      );
    }
    await Promise.all(uploads);
    await stack.whenIdle();
    const seconds = (performance.now() - clock) / 1000;
    let hottest = { partition: '', wcuPerS: 0 };
    for (const [partition, perSecond] of units) {
      const peak = Math.max(...perSecond.values());
      if (peak > hottest.wcuPerS) hottest = { partition, wcuPerS: peak };
    }
    return {
      perMinute,
      digests,
      seconds,
      live:
        live.length === 0
          ? { p50: Number.NaN, p95: Number.NaN }
          : { p50: percentile(live, 50), p95: percentile(live, 95) },
      hottest,
      wcuPerDigest: Object.fromEntries(
        [...byKind].sort(([, a], [, b]) => b - a).map(([kind, wcu]) => [kind, wcu / digests]),
      ),
      siteWritesPerS: Math.max(0, ...siteWrites.values()),
    };
  } finally {
    s3.destroy();
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A partition's kind: its prefix, with the part that varies (story id, digest key, month) as `*`. */
function partitionKind(partition: string): string {
  const hash = partition.indexOf('#');
  return hash < 0 ? partition : `${partition.slice(0, hash + 1)}*`;
}
