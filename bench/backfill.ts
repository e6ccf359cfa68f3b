import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isolatedStackOptions, LOCAL_DEFAULTS, s3rverClient, startLocalStack } from '@feedwright/local-stack';
import { runFeedwright, writeCorpusOverDays } from './archive.ts';

const CLIENTS = 8;
const DEADLINE_MS = 600_000;

/**
 * `backfill_1k_s`: `count` digests of the corpus moved over `count` days (the ones `build_1k_s` builds)
 * PUT into the local stack by 8 concurrent clients; the time from the first PUT until the site bucket
 * equals `feedwright build` of the same digests, search index included: the same keys, each with the MD5
 * (ETag) of the built file. Throws, naming the paths that differ, if they are not equal within 600 s.
 */
export async function backfillThousand(
  root: string,
  corpus: readonly string[],
  work: string,
  count = 1_000,
): Promise<{ seconds: number; digests: number; siteObjects: number }> {
  const dir = await writeCorpusOverDays(corpus, count, work);
  const names = (await readdir(dir)).filter((name) => name.endsWith('.txt')).sort();
  const uploads = await Promise.all(
    names.map(async (name) => ({
      key: `digests/${name.replace(/^digest-/, 'backfill-')}`,
      body: await readFile(path.join(dir, name)),
    })),
  );

  const dataDir = await mkdtemp(path.join(tmpdir(), 'feedwright-bench-stack-'));
  const out = await mkdtemp(path.join(tmpdir(), 'feedwright-bench-backfill-'));
  // The stack's own log (failed batches, retries) goes to FEEDWRIGHT_BENCH_LOG when set.
  const logFile = process.env.FEEDWRIGHT_BENCH_LOG;
  const stack = await startLocalStack({
    ...isolatedStackOptions(
      dataDir,
      logFile === undefined ? undefined : (line) => appendFileSync(logFile, `${line}\n`),
    ),
    // The search index too, as `npm start` keeps it: the site is not the build's until readers can search it.
    searchIndexIntervalMs: LOCAL_DEFAULTS.searchIndexIntervalMs,
  });
  const s3 = s3rverClient(stack.s3Endpoint, stack.region);
  try {
    // The expected site, built before the clock starts, under the base URL the stack renders with.
    await runFeedwright(root, ['build', dir, '--out', out, '--base-url', stack.baseUrl]);
    const expected = await treeDigests(out);

    const start = performance.now();
    let next = 0;
    const client = async () => {
      for (let i = next++; i < uploads.length; i = next++) {
        const upload = uploads[i];
        if (upload === undefined) break;
        await s3
          .send(
            new PutObjectCommand({
              Bucket: stack.incomingBucket,
              Key: upload.key,
              Body: upload.body,
              ContentType: 'text/plain; charset=utf-8',
            }),
          )
          .catch((error: unknown) => {
            throw new Error(`PUT ${upload.key}: ${String(error)}`);
          });
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    for (;;) {
      await stack.whenIdle();
      const listed = await bucketETags(s3, stack.siteBucket).catch((error: unknown) => {
        throw new Error(`LIST ${stack.siteBucket}: ${String(error)}`);
      });
      const difference = compare(expected, listed);
      if (difference === undefined) break;
      if (performance.now() - start > DEADLINE_MS) {
        throw new Error(
          `the site bucket is not feedwright build of the ${count} digests after ${DEADLINE_MS / 1000} s: ${difference}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return { seconds: (performance.now() - start) / 1000, digests: count, siteObjects: expected.size };
  } finally {
    s3.destroy();
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  }
}

/** The MD5 (hex) of every file under `dir`, by its path relative to `dir` with `/` separators. */
async function treeDigests(dir: string, prefix = ''): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) {
      for (const [key, md5] of await treeDigests(dir, `${relative}/`)) digests.set(key, md5);
    } else if (entry.isFile()) {
      const body = await readFile(path.join(dir, relative));
      digests.set(relative, createHash('md5').update(body).digest('hex'));
    }
  }
  return digests;
}

/** Every key of a bucket with its ETag (s3rver's is the MD5 of the body, as S3's for a single PUT). */
async function bucketETags(s3: S3Client, bucket: string): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const entry of page.Contents ?? []) {
      if (entry.Key !== undefined) etags.set(entry.Key, (entry.ETag ?? '').replaceAll('"', ''));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return etags;
}

/** Undefined when both hold the same keys with the same MD5s; otherwise what differs, briefly. */
function compare(expected: Map<string, string>, actual: Map<string, string>): string | undefined {
  const missing = [...expected.keys()].filter((key) => !actual.has(key));
  const extra = [...actual.keys()].filter((key) => !expected.has(key));
  const different = [...expected].filter(([key, md5]) => actual.has(key) && actual.get(key) !== md5);
  if (missing.length + extra.length + different.length === 0) return undefined;
  const few = (keys: readonly string[]) => keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : '');
  return [
    `${missing.length} missing (${few(missing)})`,
    `${extra.length} extra (${few(extra)})`,
    `${different.length} different (${few(different.map(([key]) => key))})`,
  ].join('; ');
}
