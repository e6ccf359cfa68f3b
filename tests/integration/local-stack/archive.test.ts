import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';
import { siteProblems } from '../../support/validators.ts';
import { buildOfLiveDigests, redirectPagesOf, siteBucket } from './convergence.ts';
import { SAMPLE_DIGESTS, useIsolatedStack } from './support.ts';

describe('Function: startLocalStack, the archive', { timeout: 90_000 }, () => {
  let stack: LocalStack;
  let s3: S3Client;
  useIsolatedStack('feedwright-stack-archive-', (started) => {
    ({ stack, s3 } = started);
  });

  it('gives, byte for byte, what feedwright build makes of the live digests over many months', async () => {
    // Prepare: the four samples (December 2020 to March 2022) and two copies moved to other months.
    const names = (await readdir(SAMPLE_DIGESTS)).filter((name) => name.endsWith('.txt')).sort();
    const texts = new Map<string, string>();
    for (const name of names)
      texts.set(`digests/${name}`, await readFile(join(SAMPLE_DIGESTS, name), 'utf8'));
    const first = texts.get(`digests/${names[0]}`) ?? '';
    texts.set('digests/moved-may.txt', first.replace(/^Dec 01, 2020/, 'May 04, 2021'));
    texts.set('digests/moved-june.txt', first.replace(/^Dec 01, 2020/, 'Jun 09, 2021'));
    const put = (key: string, body: string) =>
      s3.send(new PutObjectCommand({ Bucket: stack.incomingBucket, Key: key, Body: body }));
    await Promise.all([...texts].map(([key, body]) => put(key, body)));
    await stack.whenIdle();

    // Act: a correction that renames an issue, and a delete that empties a month.
    await put(
      'digests/moved-may.txt',
      (texts.get('digests/moved-may.txt') ?? '').replace('CX Daily:', 'CX Weekly:'),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: stack.incomingBucket, Key: 'digests/moved-june.txt' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stack.whenIdle();

    // Assess
    const expected = await buildOfLiveDigests(s3, stack.incomingBucket, stack.baseUrl);
    const bucket = await siteBucket(s3, stack.siteBucket, await redirectPagesOf(stack));
    expect([...bucket.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, body] of expected) expect(bucket.get(path), path).toBe(body);
    const paths = [...bucket.keys()];
    expect(paths.filter((path) => /^issues\/\d{4}-\d{2}-\d{2}-/.test(path))).toHaveLength(5);
    expect(paths.some((path) => path.startsWith('issues/2021-05-04-cx-weekly'))).toBe(true);
    expect(paths.some((path) => path.startsWith('issues/2021-06'))).toBe(false);
    expect(paths).toContain('feeds/all/archive/2021-05.xml');
    // The archive as readers get it, over HTTP from the site server, through the independent checks.
    const archive = await Promise.all(
      paths
        .filter((path) => /^(issues|topics|sitemaps?)[/.]|\/archive\//.test(path))
        .map(async (path) => ({ path, body: await (await fetch(new URL(path, stack.siteUrl))).text() })),
    );
    expect(await siteProblems(archive)).toEqual([]);
  });
});
