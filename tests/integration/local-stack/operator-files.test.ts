import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';
import { buildOfLiveDigests, redirectPagesOf, siteBucket } from './convergence.ts';
import { digestText, useIsolatedStack } from './support.ts';

describe("Function: startLocalStack, the operator's own files in the site bucket", {
  timeout: 60_000,
}, () => {
  let stack: LocalStack;
  let s3: S3Client;
  useIsolatedStack('feedwright-stack-operator-', (started) => {
    ({ stack, s3 } = started);
  });

  it('keeps robots.txt and .well-known/security.txt through render and reconcile', async () => {
    // Prepare: the operator's files, put as `aws s3 cp` would, then two digests published.
    const own = {
      'robots.txt': 'User-agent: *\nDisallow:\n',
      '.well-known/security.txt': 'Contact: mailto:security@example.com\n',
    };
    for (const [key, body] of Object.entries(own)) {
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.siteBucket,
          Key: key,
          Body: body,
          ContentType: 'text/plain; charset=utf-8',
        }),
      );
    }
    const put = (key: string, date: string, title: string) =>
      s3.send(
        new PutObjectCommand({ Bucket: stack.incomingBucket, Key: key, Body: digestText({ date, title }) }),
      );
    await put('digests/kept.txt', 'Dec 01, 2020', 'Kept story');
    await put('digests/gone.txt', 'Jan 05, 2021', 'Deleted story');
    await stack.whenIdle();

    // Act: a delete that render answers with deletions (a story page, a month), then a reconcile.
    await s3.send(new DeleteObjectCommand({ Bucket: stack.incomingBucket, Key: 'digests/gone.txt' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stack.whenIdle();
    const result = await stack.reconcile();

    // Assess: the bucket is build of the live digests, plus the operator's files, served as they were.
    const expected = await buildOfLiveDigests(s3, stack.incomingBucket, stack.baseUrl);
    const bucket = await siteBucket(s3, stack.siteBucket, await redirectPagesOf(stack));
    expect(Object.fromEntries(bucket)).toEqual({ ...Object.fromEntries(expected), ...own });
    expect(result.deleted).toEqual([]);
    expect([...bucket.keys()].some((path) => path.includes('2021-01'))).toBe(false);
    for (const [path, body] of Object.entries(own)) {
      const response = await fetch(new URL(path, stack.siteUrl));
      expect({ path, status: response.status, body: await response.text() }).toEqual({
        path,
        status: 200,
        body,
      });
    }
  });
});
