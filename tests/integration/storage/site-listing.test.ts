import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mapLimit, S3SiteStore } from '@feedwright/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../support/emulators.ts';

let emulators: Emulators;

beforeAll(async () => {
  emulators = await startEmulators();
}, 60_000);

afterAll(async () => {
  await emulators.stop();
});

describe('S3SiteStore.list on s3rver', () => {
  // s3rver seals ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3 lacks, and pages
  // in the order of its directory walk, not of the keys: without the local stack's shims every
  // listing past 1,000 keys (reconcile's, the bench's) failed with a 500, and then lost `feeds.opml`.
  it('lists more than one page (1,000 keys) of a bucket, every key once, in key order', async () => {
    // Prepare: `feeds.opml` sorts before `feeds/…`, `a-b` before `a.xml`, `z.html` after all.
    const site = new S3SiteStore({ bucket: 'feedwright-site', client: emulators.s3Client() });
    const archive = Array.from(
      { length: 1_005 },
      (_, i) => `feeds/t/archive/${String(i).padStart(4, '0')}.xml`,
    );
    const paths = [
      'feeds.opml',
      ...archive,
      'feeds/t/archive/a-b.xml',
      'feeds/t/archive/a.xml',
      'index.html',
      'z.html',
    ].sort();
    const put = (path: string) =>
      site.putIfChanged({
        path,
        body: path,
        contentType: 'text/plain; charset=utf-8',
        cacheControl: 'no-cache',
      });
    // The top-level files come after the `feeds/` directory exists, so a directory walk meets them later.
    const late = new Set(['feeds.opml', 'index.html', 'z.html']);
    await mapLimit(
      paths.filter((path) => !late.has(path)),
      16,
      put,
    );
    for (const path of late) await put(path);

    // Act
    const listed = await site.list();

    // Assess
    expect(listed.map((object) => object.key)).toEqual(paths);
  });
});

describe('S3SiteStore.delete on s3rver', () => {
  it("deletes what the pipeline wrote and leaves an operator's object (no content hash) alone", async () => {
    // Prepare
    const client = emulators.s3Client();
    const site = new S3SiteStore({ bucket: 'feedwright-site', client });
    await site.putIfChanged({
      path: 'stories/gone.html',
      body: 'gone',
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
    });
    await client.send(
      new PutObjectCommand({
        Bucket: 'feedwright-site',
        Key: '.well-known/security.txt',
        Body: 'Contact: mailto:security@example.com\n',
        ContentType: 'text/plain; charset=utf-8',
      }),
    );

    // Act
    const results = [await site.delete('stories/gone.html'), await site.delete('.well-known/security.txt')];

    // Assess
    expect(results).toEqual(['deleted', 'foreign']);
    expect(await site.head('stories/gone.html')).toBeNull();
    expect(await site.head('.well-known/security.txt')).not.toBeNull();
  });
});
