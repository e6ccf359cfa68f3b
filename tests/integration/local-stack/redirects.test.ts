import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';
import { htmlProblems } from '../../support/validators.ts';
import { weeklyText } from '../../support/weekly.ts';
import { buildOfLiveDigests, redirectPagesOf, siteBucket } from './convergence.ts';
import { useIsolatedStack } from './support.ts';

const KEY = 'digests/weekly-2024-05-07.txt';
const OLD = '2024-05-07-city-mayor-resigns';
const NEW = '2024-05-07-city-mayor-resigns-after-ten-years';

describe('Function: startLocalStack, a corrected headline in a re-upload of the same digest', {
  timeout: 60_000,
}, () => {
  let stack: LocalStack;
  let s3: S3Client;
  useIsolatedStack('feedwright-stack-redirects-', (started) => {
    ({ stack, s3 } = started);
  });
  const get = async (id: string) => {
    const response = await fetch(new URL(`stories/${id}.html`, stack.siteUrl));
    return { status: response.status, body: await response.text() };
  };
  const put = async (mayor: string) => {
    await s3.send(new PutObjectCommand({ Bucket: stack.incomingBucket, Key: KEY, Body: weeklyText(mayor) }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stack.whenIdle();
  };

  it('serves a redirect page at the old address that leads to the corrected story, and reconcile finds nothing to change', async () => {
    // Prepare
    await put('Mayor resigns');
    const before = await get(OLD);

    // Act
    await put('Mayor resigns after ten years');
    const old = await get(OLD);
    const corrected = await get(NEW);
    const result = await stack.reconcile();

    // Assess: the old address answers with a page that sends the reader on, to the story's new page.
    expect(before.status).toBe(200);
    expect(old.status).toBe(200);
    expect(htmlProblems(old.body)).toEqual([]);
    expect(old.body).toContain(`<meta http-equiv="refresh" content="0; url=${NEW}.html">`);
    expect(old.body).toContain(`<link rel="canonical" href="${stack.baseUrl}stories/${NEW}.html">`);
    expect(old.body).toContain('<meta name="robots" content="noindex">');
    const followed = await fetch(new URL(`${NEW}.html`, new URL(`stories/${OLD}.html`, stack.siteUrl)));
    expect(followed.status).toBe(200);
    expect(corrected.status).toBe(200);
    expect(corrected.body).toContain('<h1>Mayor resigns after ten years</h1>');
    expect({ written: result.written, deleted: result.deleted }).toEqual({ written: [], deleted: [] });
    // The site is the build of the live digest, but for exactly this redirect page, which the table explains.
    const redirects = await redirectPagesOf(stack);
    expect([...redirects.keys()]).toEqual([`stories/${OLD}.html`]);
    expect(await siteBucket(s3, stack.siteBucket, redirects)).toEqual(
      await buildOfLiveDigests(s3, stack.incomingBucket, stack.baseUrl),
    );
  });

  it('withdrawing the digest removes both the story and its old address', async () => {
    // Act
    await s3.send(new DeleteObjectCommand({ Bucket: stack.incomingBucket, Key: KEY }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stack.whenIdle();
    const result = await stack.reconcile();

    // Assess
    expect((await get(OLD)).status).toBe(404);
    expect((await get(NEW)).status).toBe(404);
    expect({ written: result.written, deleted: result.deleted }).toEqual({ written: [], deleted: [] });
    expect(await redirectPagesOf(stack)).toEqual(new Map());
    expect(await siteBucket(s3, stack.siteBucket)).toEqual(
      await buildOfLiveDigests(s3, stack.incomingBucket, stack.baseUrl),
    );
  });
});
