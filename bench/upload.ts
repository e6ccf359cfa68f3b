import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { parseDigest } from '@feedwright/digest';
import { isolatedStackOptions, s3rverClient, startLocalStack } from '@feedwright/local-stack';
import { assignIssueIds, issuePath, monthOf, storyPath, topicMonthPath } from '@feedwright/site';
import { digestOnDay } from '../tests/support/archive.ts';
import { percentile } from './measure.ts';

/** Editor-to-reader latency of {@link uploadToFeed}: to the feed, and to the archive. */
export interface UploadLatency {
  /** PUT → the first story's permalink in its topic's `rss.xml`: what a subscriber sees. */
  readonly p50: number;
  readonly p95: number;
  /** PUT → that story on its topic's month page AND on its issue's page, whichever comes last. */
  readonly archiveP50: number;
  readonly archiveP95: number;
  readonly reconcileMs: number;
  readonly reconcileWrites: number;
}

/**
 * Editor-to-reader latency on the local stack: `uploads` digests (the corpus, each moved to a new
 * day) PUT one after the other with the AWS SDK into the incoming bucket; for each, the time until
 * its first story's permalink appears in its topic's RSS feed over HTTP from the site server, and
 * then until it is on its topic's month page and its issue page too (render writes the archive
 * after the feeds).
 */
export async function uploadToFeed(corpus: readonly string[], uploads = 20): Promise<UploadLatency> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'feedwright-bench-stack-'));
  const stack = await startLocalStack(isolatedStackOptions(dataDir));
  const s3 = s3rverClient(stack.s3Endpoint, stack.region);
  const samples: number[] = [];
  const archiveSamples: number[] = [];
  let reconcileMs = Number.NaN;
  let reconcileWrites = Number.NaN;
  try {
    for (let i = 0; i < uploads; i++) {
      const source = corpus[i % corpus.length];
      if (source === undefined) throw new Error('empty corpus');
      const text = digestOnDay(source, i);
      const digest = parseDigest(text);
      const first = digest.stories[0];
      if (first === undefined) throw new Error('a corpus digest has no stories');
      const permalink = storyPath(first.storyId);
      const feedUrl = new URL(`feeds/${encodeURIComponent(first.topicSlug)}/rss.xml`, stack.siteUrl);
      const issueId = assignIssueIds([digest])[0]?.issueId;
      if (issueId === undefined) throw new Error('a corpus digest has no issue');
      const archiveUrls = [
        new URL(topicMonthPath(first.topicSlug, monthOf(first.publishedAt, first.storyId)), stack.siteUrl),
        new URL(issuePath(issueId), stack.siteUrl),
      ];
      const start = performance.now();
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.incomingBucket,
          Key: `digests/bench-${i}.txt`,
          Body: text,
          ContentType: 'text/plain; charset=utf-8',
        }),
      );
      const deadline = start + 30_000;
      await until([feedUrl], permalink, deadline, `digest ${i}`);
      samples.push(performance.now() - start);
      await until(archiveUrls, permalink, deadline, `digest ${i}`);
      archiveSamples.push(performance.now() - start);
      await stack.whenIdle(); // the next upload starts on a quiet stack, as an editor's would
    }
    // Reconcile when nothing differs: it should only list, read and compare, never write.
    const reconcileStart = performance.now();
    const reconciled = await stack.reconcile();
    reconcileMs = performance.now() - reconcileStart;
    reconcileWrites =
      reconciled.reapplied.length +
      reconciled.withdrawn.length +
      reconciled.written.length +
      reconciled.deleted.length;
  } finally {
    s3.destroy();
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    archiveP50: percentile(archiveSamples, 50),
    archiveP95: percentile(archiveSamples, 95),
    reconcileMs,
    reconcileWrites,
  };
}

/** Polls `urls` over HTTP every 5 ms until each has held `link` once (each is left alone after). */
async function until(urls: readonly URL[], link: string, deadline: number, what: string): Promise<void> {
  const pending = new Set(urls);
  while (pending.size > 0) {
    for (const url of [...pending]) {
      const response = await fetch(url);
      const body = response.ok ? await response.text() : '';
      if (body.includes(link)) pending.delete(url);
    }
    if (pending.size === 0) return;
    if (performance.now() > deadline)
      throw new Error(`${what} did not reach ${[...pending].join(' and ')} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
