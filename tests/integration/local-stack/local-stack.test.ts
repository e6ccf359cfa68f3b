import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type LocalStack, s3rverClient, startLocalStack } from '@feedwright/local-stack';
import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { digestText, eventually, quietPowertools, SAMPLE_DIGESTS, tempDir } from './support.ts';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A bare HTTP request: fetch() would decompress bodies and hide what the server sent. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Function: startLocalStack', () => {
  let stack: LocalStack;
  let s3: S3Client;
  let work: Awaited<ReturnType<typeof tempDir>>;

  const feedUrl = (topic: string, file = 'rss.xml') => new URL(`feeds/${topic}/${file}`, stack.siteUrl).href;
  const feedTitles = async (topic: string): Promise<string[]> => {
    const response = await get(feedUrl(topic));
    if (response.status === 404) return [];
    expect(response.status).toBe(200);
    return parseFeed(response.body.toString('utf8')).items.map((item) => item.title ?? '');
  };

  beforeAll(async () => {
    // The handlers' INFO logs and EMF metrics would bury the test report.
    quietPowertools('WARN');
    work = await tempDir('feedwright-dev-');
    stack = await startLocalStack({
      sitePort: 0,
      s3Port: 0,
      dynamoPort: 0,
      smtpPort: 0,
      dataDir: join(work.path, 'data'),
      inboxDir: join(work.path, 'inbox'),
      digestsDir: SAMPLE_DIGESTS,
      log: () => undefined,
    });
    s3 = s3rverClient(stack.s3Endpoint, stack.region);
    await stack.whenIdle();
  });

  afterAll(async () => {
    s3?.destroy();
    await stack?.close();
    await work?.remove();
    vi.unstubAllEnvs();
  });

  it('serves the sample digest as an RSS feed that parses', async () => {
    // Act
    const response = await get(feedUrl('personal-data'));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const feed = parseFeed(response.body.toString('utf8'));
    expect(feed.items.map((item) => item.title)).toContain(
      'Cover Story: The fight over China’s law to protect personal data',
    );
  });

  it('serves each kind of object with its content type and Cache-Control', async () => {
    // Prepare
    const rss = parseFeed((await get(feedUrl('personal-data'))).body.toString('utf8'));
    const storyUrl = rss.items[0]?.url ?? '';
    const storyPath = new URL(storyUrl).pathname;

    // Act
    const responses = await Promise.all(
      [
        feedUrl('all', 'rss.xml'),
        feedUrl('all', 'atom.xml'),
        feedUrl('all', 'feed.json'),
        new URL('feeds.opml', stack.siteUrl).href,
        stack.siteUrl,
        new URL(storyPath, stack.siteUrl).href,
      ].map((url) => get(url)),
    );

    // Assess
    expect(storyPath).toMatch(/^\/stories\/.+\.html$/);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(responses.map((response) => response.headers['content-type'])).toEqual([
      'application/rss+xml; charset=utf-8',
      'application/atom+xml; charset=utf-8',
      'application/feed+json; charset=utf-8',
      'text/x-opml; charset=utf-8',
      'text/html; charset=utf-8',
      'text/html; charset=utf-8',
    ]);
    expect(responses.every((response) => typeof response.headers['cache-control'] === 'string')).toBe(true);
  });

  it('adds the security headers everywhere, and CORS on every feed for cross-origin requests', async () => {
    // Act
    const json = await get(feedUrl('all', 'feed.json'), { Origin: 'https://reader.example' });
    const rss = await get(feedUrl('all', 'rss.xml'), { Origin: 'https://reader.example' });
    const index = await get(stack.siteUrl, { Origin: 'https://reader.example' });

    // Assess
    for (const response of [json, rss, index]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'strict-origin-when-cross-origin',
      });
      expect(response.headers['content-security-policy']).toMatch(/^default-src 'none';/);
    }
    expect(json.headers['access-control-allow-origin']).toBe('*');
    expect(rss.headers['access-control-allow-origin']).toBe('*');
    expect(index.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    // Prepare
    const first = await get(feedUrl('all'));
    const etag = String(first.headers.etag);

    // Act
    const second = await get(feedUrl('all'), { 'If-None-Match': etag });

    // Assess
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(second.status).toBe(304);
    expect(second.body.length).toBe(0);
    expect(second.headers.etag).toBe(etag);
  });

  it('answers 304 to If-Modified-Since at Last-Modified, and 200 to an older date', async () => {
    // Prepare
    const first = await get(feedUrl('all', 'atom.xml'));
    const lastModified = String(first.headers['last-modified']);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();

    // Act
    const same = await get(feedUrl('all', 'atom.xml'), { 'If-Modified-Since': lastModified });
    const older = await get(feedUrl('all', 'atom.xml'), { 'If-Modified-Since': earlier });

    // Assess
    expect(same.status).toBe(304);
    expect(older.status).toBe(200);
  });

  it('lets If-None-Match win over If-Modified-Since', async () => {
    // Prepare
    const first = await get(feedUrl('all'));

    // Act
    const response = await get(feedUrl('all'), {
      'If-None-Match': '"not-the-current-tag"',
      'If-Modified-Since': String(first.headers['last-modified']),
    });

    // Assess
    expect(response.status).toBe(200);
  });

  it('gzips a feed for a client that accepts it, with a weak ETag that still validates', async () => {
    // Prepare
    const plain = await get(feedUrl('all'));

    // Act
    const zipped = await get(feedUrl('all'), { 'Accept-Encoding': 'gzip, br' });
    const revalidated = await get(feedUrl('all'), {
      'Accept-Encoding': 'gzip',
      'If-None-Match': String(zipped.headers.etag),
    });

    // Assess
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(zipped.headers.etag).toBe(`W/${plain.headers.etag}`);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(revalidated.status).toBe(304);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    // Prepare
    const full = await get(feedUrl('all'));

    // Act
    const head = await get(feedUrl('all'), {}, 'HEAD');

    // Assess
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(String(full.body.length));
    expect(head.headers.etag).toBe(full.headers.etag);
  });

  it('answers 404 for a missing object or a path outside the bucket, and 405 for other methods', async () => {
    // Act
    const missing = await get(new URL('feeds/no-such-topic/rss.xml', stack.siteUrl).href);
    const traversal = await get(`${stack.siteUrl}feeds/%2e%2e/%2e%2e/%2e%2e/etc/passwd`);
    const post = await get(feedUrl('all'), {}, 'POST');

    // Assess
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(traversal.status).toBe(404);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('puts a digest uploaded with the SDK under a key with spaces and non-ASCII into its topic feed', async () => {
    // Prepare
    const title = 'Uploaded through the SDK with spaces';
    const body = digestText({ date: 'Dec 02, 2020', title });

    // Act
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.incomingBucket,
        Key: 'digests/Café digest 2020 +1.txt',
        Body: body,
      }),
    );

    // Assess
    const titles = await eventually('the story in feeds/local-stack', async () => {
      const found = await feedTitles('local-stack');
      return found.includes(title) ? found : undefined;
    });
    expect(titles).toContain(title);
    // The all-stories feed is written by another unit of the same render, maybe a moment later.
    const all = await eventually('the story in feeds/all', async () => {
      const found = await feedTitles('all');
      return found.includes(title) ? found : undefined;
    });
    expect(all).toContain(title);
  });

  it('withdraws the stories of a deleted digest', async () => {
    // Prepare
    const title = 'A story that will be withdrawn';
    const key = 'digests/to delete ü.txt';
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.incomingBucket,
        Key: key,
        Body: digestText({ date: 'Dec 03, 2020', title }),
      }),
    );
    await eventually('the story to appear', async () =>
      (await feedTitles('all')).includes(title) ? true : undefined,
    );

    // Act
    await s3.send(new DeleteObjectCommand({ Bucket: stack.incomingBucket, Key: key }));

    // Assess
    const titles = await eventually('the story to leave feeds/all', async () => {
      const found = await feedTitles('all');
      return found.includes(title) ? undefined : found;
    });
    expect(titles).not.toContain(title);
  });

  it('withdraws the stories of digests removed by one multi-object delete', async () => {
    // Prepare
    const titles = ['Removed in bulk, first', 'Removed in bulk, second'];
    const keys = ['digests/bulk-1.txt', 'digests/bulk-2.txt'];
    await Promise.all(
      keys.map((key, index) =>
        s3.send(
          new PutObjectCommand({
            Bucket: stack.incomingBucket,
            Key: key,
            Body: digestText({ date: `Dec 1${index}, 2020`, title: titles[index] ?? '' }),
          }),
        ),
      ),
    );
    await eventually('both stories to appear', async () => {
      const found = await feedTitles('all');
      return titles.every((title) => found.includes(title)) ? true : undefined;
    });

    // Act
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: stack.incomingBucket,
        Delete: { Objects: keys.map((Key) => ({ Key })) },
      }),
    );

    // Assess
    const remaining = await eventually('both stories to leave feeds/all', async () => {
      const found = await feedTitles('all');
      return titles.some((title) => found.includes(title)) ? undefined : found;
    });
    expect(remaining).not.toContain(titles[0]);
    expect(remaining).not.toContain(titles[1]);
  });

  it('uploads a digest dropped into the inbox', async () => {
    // Prepare
    const title = 'Dropped into the inbox folder';
    const inbox = stack.inboxDir ?? '';

    // Act
    await writeFile(join(inbox, 'dropped.txt'), digestText({ date: 'Dec 04, 2020', title }));

    // Assess
    const titles = await eventually('the dropped story in feeds/local-stack', async () => {
      const found = await feedTitles('local-stack');
      return found.includes(title) ? found : undefined;
    });
    expect(titles).toContain(title);
  });
});
