import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { CONTENT_HASH_METADATA, S3SiteStore, SiteObjectConflictError } from '@feedwright/storage';
import { describe, expect, it } from 'vitest';

interface StoredObject {
  body: string;
  contentType?: string;
  cacheControl?: string;
  metadata: Record<string, string>;
  etag: string;
}

/** Just enough of S3 to hold objects and honour the conditional headers, recording each call. */
class FakeS3 {
  readonly objects = new Map<string, StoredObject>();
  readonly calls: string[] = [];

  async send(command: unknown): Promise<unknown> {
    if (command instanceof HeadObjectCommand) {
      this.calls.push(`HEAD ${command.input.Key}`);
      const object = this.objects.get(command.input.Key ?? '');
      if (object === undefined)
        throw new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
      return { ETag: object.etag, Metadata: object.metadata, ContentType: object.contentType };
    }
    if (command instanceof PutObjectCommand) {
      const { Key: key = '', IfMatch: ifMatch, IfNoneMatch: ifNoneMatch } = command.input;
      this.calls.push(`PUT ${key}`);
      const existing = this.objects.get(key);
      if ((ifNoneMatch === '*' && existing) || (ifMatch !== undefined && existing?.etag !== ifMatch)) {
        throw new S3ServiceException({
          name: 'PreconditionFailed',
          $fault: 'client',
          message: 'At least one of the pre-conditions you specified did not hold',
          $metadata: { httpStatusCode: 412 },
        });
      }
      const body = Buffer.from(command.input.Body as Uint8Array).toString('utf8');
      this.objects.set(key, {
        body,
        contentType: command.input.ContentType,
        cacheControl: command.input.CacheControl,
        metadata: { ...command.input.Metadata },
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
      });
      return { ETag: this.objects.get(key)?.etag };
    }
    if (command instanceof DeleteObjectCommand) {
      this.calls.push(`DELETE ${command.input.Key}`);
      this.objects.delete(command.input.Key ?? '');
      return {};
    }
    throw new Error(`FakeS3 does not know ${String(command)}`);
  }
}

const feed = {
  path: 'feeds/all/rss.xml',
  body: '<rss version="2.0"/>',
  contentType: 'application/rss+xml; charset=utf-8',
  cacheControl: 'public, max-age=60, stale-while-revalidate=300',
};

function storeOn(s3: FakeS3): S3SiteStore {
  return new S3SiteStore({ bucket: 'site', client: s3 as unknown as S3Client });
}

describe('Class: S3SiteStore', () => {
  it('writes a new object with its Content-Type, Cache-Control and content hash', async () => {
    // Prepare
    const s3 = new FakeS3();

    // Act
    const result = await storeOn(s3).putIfChanged(feed);

    // Assess
    expect(result).toBe('written');
    const stored = s3.objects.get(feed.path);
    expect(stored?.body).toBe(feed.body);
    expect(stored?.contentType).toBe(feed.contentType);
    expect(stored?.cacheControl).toBe(feed.cacheControl);
    expect(stored?.metadata[CONTENT_HASH_METADATA]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes nothing when the stored object has the same bytes and headers (HEAD, no PUT)', async () => {
    // Prepare
    const s3 = new FakeS3();
    await storeOn(s3).putIfChanged(feed);
    s3.calls.length = 0;

    // Act
    const result = await storeOn(s3).putIfChanged({ ...feed });

    // Assess
    expect(result).toBe('unchanged');
    expect(s3.calls).toEqual([`HEAD ${feed.path}`]);
  });

  it('writes again when only a header changed', async () => {
    // Prepare
    const s3 = new FakeS3();
    await storeOn(s3).putIfChanged(feed);

    // Act
    const result = await storeOn(s3).putIfChanged({ ...feed, cacheControl: 'no-cache' });

    // Assess
    expect(result).toBe('written');
    expect(s3.objects.get(feed.path)?.cacheControl).toBe('no-cache');
  });

  it('refuses to overwrite an object another render changed since the caller looked at it', async () => {
    // Prepare: render A looks, render B writes, render A writes from what it saw
    const s3 = new FakeS3();
    const store = storeOn(s3);
    await store.putIfChanged(feed);
    const seenByA = await store.head(feed.path);
    await store.putIfChanged({ ...feed, body: '<rss version="2.0"><channel/></rss>' });

    // Act
    const stale = store.putIfChanged(
      { ...feed, body: '<rss version="2.0"><!-- older --></rss>' },
      { expected: seenByA },
    );

    // Assess
    await expect(stale).rejects.toBeInstanceOf(SiteObjectConflictError);
    expect(s3.objects.get(feed.path)?.body).toBe('<rss version="2.0"><channel/></rss>');
  });

  it('refuses to create an object that appeared since the caller saw it absent', async () => {
    // Prepare
    const s3 = new FakeS3();
    const store = storeOn(s3);
    const seen = await store.head(feed.path);
    await store.putIfChanged(feed);

    // Act
    const stale = store.putIfChanged({ ...feed, body: '<rss/>' }, { expected: seen });

    // Assess
    expect(seen).toBeNull();
    await expect(stale).rejects.toBeInstanceOf(SiteObjectConflictError);
  });

  it('deletes an object that is there and reports an absent one', async () => {
    // Prepare
    const s3 = new FakeS3();
    const store = storeOn(s3);
    await store.putIfChanged(feed);

    // Act
    const first = await store.delete(feed.path);
    const second = await store.delete(feed.path);

    // Assess
    expect([first, second]).toEqual(['deleted', 'absent']);
    expect(s3.objects.has(feed.path)).toBe(false);
  });
});
