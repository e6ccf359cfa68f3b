import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { parseDigest } from '@feedwright/digest';
import { isolatedStackOptions, s3rverClient, startLocalStack } from '@feedwright/local-stack';
import { digestOnDay } from '../tests/support/archive.ts';
import { percentile } from './measure.ts';

/**
 * Editor-to-reader latency on the local stack: `uploads` digests (the corpus, each moved to a new
 * day) PUT one after the other with the AWS SDK into the incoming bucket; for each, the time until
 * its first story's permalink appears in its topic's RSS feed over HTTP from the site server.
 */
export async function uploadToFeed(
  corpus: readonly string[],
  uploads = 20,
): Promise<{ p50: number; p95: number; reconcileMs: number; reconcileWrites: number }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'feedwright-bench-stack-'));
  const stack = await startLocalStack(isolatedStackOptions(dataDir));
  const s3 = s3rverClient(stack.s3Endpoint, stack.region);
  const samples: number[] = [];
  let reconcileMs = Number.NaN;
  let reconcileWrites = Number.NaN;
  try {
    for (let i = 0; i < uploads; i++) {
      const source = corpus[i % corpus.length];
      if (source === undefined) throw new Error('empty corpus');
      const text = digestOnDay(source, i);
      const first = parseDigest(text).stories[0];
      if (first === undefined) throw new Error('a corpus digest has no stories');
      const feedUrl = new URL(`feeds/${encodeURIComponent(first.topicSlug)}/rss.xml`, stack.siteUrl);
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
      for (;;) {
        const response = await fetch(feedUrl);
        const body = response.ok ? await response.text() : '';
        if (body.includes(`stories/${first.storyId}.html`)) break;
        if (performance.now() > deadline) throw new Error(`digest ${i} did not reach ${feedUrl} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      samples.push(performance.now() - start);
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
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), reconcileMs, reconcileWrites };
}
