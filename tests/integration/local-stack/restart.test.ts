import { readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  isolatedStackOptions,
  repairS3rverData,
  s3rverClient,
  startLocalStack,
  startS3Emulator,
} from '@feedwright/local-stack';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withoutUpdatedTimes } from '../../support/updated-times.ts';
import { buildOfLiveDigests, redirectPagesOf, siteBucket, startBareStack } from './convergence.ts';
import { digestText, quietPowertools, tempDir } from './support.ts';

describe('Function: startLocalStack, after a hard stop', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    quietPowertools('ERROR');
    work = await tempDir('feedwright-restart-');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await work.remove();
  });

  it('repairs half-written s3rver files and applies what changed while it was down', async () => {
    // Prepare: a stack publishes two digests, then stops.
    const dataDir = join(work.path, 'data');
    const first = await startBareStack(dataDir);
    const s3 = s3rverClient(first.s3Endpoint);
    const put = (key: string, body: string) =>
      s3.send(new PutObjectCommand({ Bucket: first.incomingBucket, Key: key, Body: body }));
    await put('digests/kept.txt', digestText({ date: 'Dec 01, 2020', title: 'Kept story' }));
    await put('digests/deleted.txt', digestText({ date: 'Dec 02, 2020', title: 'Deleted story' }));
    await first.whenIdle();
    const { incomingBucket, siteBucket: siteName } = first;
    await first.close();
    s3.destroy();

    // While the stack is down, S3 takes an upload and a delete whose events nobody sends…
    const bare = await startS3Emulator({
      host: '127.0.0.1',
      port: 0,
      directory: join(dataDir, 's3'),
      buckets: [],
    });
    const offline = s3rverClient(bare.endpoint);
    await offline.send(
      new PutObjectCommand({
        Bucket: incomingBucket,
        Key: 'digests/offline.txt',
        Body: digestText({ date: 'Dec 03, 2020', title: 'Uploaded while down' }),
      }),
    );
    await offline.send(new DeleteObjectCommand({ Bucket: incomingBucket, Key: 'digests/deleted.txt' }));
    offline.destroy();
    await bare.close();
    // …and a write of index.html was cut off, leaving a zero-byte metadata file.
    const siteDir = join(dataDir, 's3', siteName);
    expect(await readdir(siteDir)).toContain('index.html._S3rver_metadata.json');
    await writeFile(join(siteDir, 'index.html._S3rver_metadata.json'), '');

    // Act
    const second = await startBareStack(dataDir);
    await second.whenIdle();

    // Assess
    const client = s3rverClient(second.s3Endpoint);
    try {
      const expected = await buildOfLiveDigests(client, incomingBucket, second.baseUrl);
      expect([...expected.keys()].some((path) => path.includes('uploaded-while-down'))).toBe(true);
      expect(await siteBucket(client, siteName, await redirectPagesOf(second))).toEqual(expected);
      expect(await repairS3rverData(join(dataDir, 's3'))).toEqual([]);
    } finally {
      client.destroy();
      await second.close();
    }
  });

  it('removes a site object whose file a hard stop cut short, and reconcile writes it whole again', async () => {
    // Prepare: a published digest; with the stack stopped, the all-stories RSS file loses its end.
    const dataDir = join(work.path, 'truncated');
    // One base URL for both runs (the site server's port changes): the restart has nothing to rewrite.
    const start = () =>
      startLocalStack({ ...isolatedStackOptions(dataDir), site: { baseUrl: 'https://feeds.example.com/' } });
    const first = await start();
    const s3 = s3rverClient(first.s3Endpoint);
    await s3.send(
      new PutObjectCommand({
        Bucket: first.incomingBucket,
        Key: 'digests/a.txt',
        Body: digestText({ date: 'Dec 01, 2020', title: 'A long enough story' }),
      }),
    );
    await first.whenIdle();
    const file = join(dataDir, 's3', first.siteBucket, 'feeds', 'all', 'rss.xml._S3rver_object');
    await first.close();
    s3.destroy();
    const size = (await stat(file)).size;
    await truncate(file, Math.floor(size / 2));

    // Act
    const second = await start();
    await second.whenIdle();

    // Assess
    const client = s3rverClient(second.s3Endpoint);
    try {
      const expected = await buildOfLiveDigests(client, second.incomingBucket, second.baseUrl);
      expect(await siteBucket(client, second.siteBucket, await redirectPagesOf(second))).toEqual(expected);
      expect((await stat(file)).size).toBe(size);
      const response = await fetch(new URL('feeds/all/rss.xml', second.siteUrl));
      expect(response.status).toBe(200);
      expect(withoutUpdatedTimes(await response.text())).toBe(expected.get('feeds/all/rss.xml'));
    } finally {
      client.destroy();
      await second.close();
    }
  });

  it('answers 502 and logs it, never 200, for an object file cut short under the running stack', async () => {
    // Prepare
    const lines: string[] = [];
    const dataDir = join(work.path, 'torn');
    const stack = await startLocalStack(isolatedStackOptions(dataDir, (line) => lines.push(line)));
    const s3 = s3rverClient(stack.s3Endpoint);
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.incomingBucket,
          Key: 'digests/a.txt',
          Body: digestText({ date: 'Dec 01, 2020', title: 'A story' }),
        }),
      );
      await stack.whenIdle();
      const file = join(dataDir, 's3', stack.siteBucket, 'feeds', 'all', 'rss.xml._S3rver_object');
      await truncate(file, Math.floor((await stat(file)).size / 2));

      // Act
      const response = await fetch(new URL('feeds/all/rss.xml', stack.siteUrl));

      // Assess
      expect(response.status).toBe(502);
      expect(await response.text()).not.toContain('<rss');
      expect(
        lines.filter((line) => line.includes('feeds/all/rss.xml') && line.includes('cut short')),
      ).toHaveLength(1);
    } finally {
      s3.destroy();
      await stack.close();
    }
  });
});
