import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { parseDigest } from '@feedwright/digest';
import type { LocalStack } from '@feedwright/local-stack';
import { buildSearchFiles } from '@feedwright/search';
import {
  isSearchPath,
  resolveSiteConfig,
  SEARCH_CONTENT_SECURITY_POLICY,
  SITE_CONTENT_SECURITY_POLICY,
} from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { digestText, useIsolatedStack } from './support.ts';

let stack: LocalStack;
let s3: S3Client;

const DIGESTS = {
  'search-one.txt': digestText({
    date: 'December 1, 2020',
    title: 'Port of Ningbo reopens',
    paragraph: 'Container traffic through the quokkaland terminal resumed on Tuesday.',
  }),
  'search-two.txt': digestText({
    date: 'December 2, 2020',
    title: 'Rail freight grows',
    paragraph: 'Freight trains to Duisburg carried a zanzibarite record load.',
  }),
};

/** The search objects of the site bucket (page, script, index), by key. */
async function searchObjects(): Promise<Map<string, Buffer>> {
  const objects = new Map<string, Buffer>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: stack.siteBucket, ContinuationToken: token }),
    );
    for (const entry of page.Contents ?? []) {
      if (entry.Key === undefined || !isSearchPath(entry.Key)) continue;
      const object = await s3.send(new GetObjectCommand({ Bucket: stack.siteBucket, Key: entry.Key }));
      objects.set(entry.Key, Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array()));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

/** What `feedwright build` writes for search from these digests. */
async function builtSearchFiles(names: ReadonlyArray<keyof typeof DIGESTS>): Promise<Map<string, Buffer>> {
  const stories = names.flatMap((name) => parseDigest(DIGESTS[name]).stories);
  const files = await buildSearchFiles(stories, resolveSiteConfig({ baseUrl: stack.baseUrl }));
  return new Map(
    files.map((file) => [
      file.path,
      typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : Buffer.from(file.body),
    ]),
  );
}

describe('the local stack: search', () => {
  useIsolatedStack(
    'feedwright-search-',
    (started) => {
      ({ stack, s3 } = started);
    },
    { stack: () => ({ searchIndexIntervalMs: 100 }) },
  );

  it("rebuilds the search index after uploads and deletes: byte for byte build's, stale files removed, reconcile leaving it", async () => {
    // Act: two uploads, then one of them deleted.
    for (const [name, text] of Object.entries(DIGESTS)) {
      await s3.send(
        new PutObjectCommand({ Bucket: stack.incomingBucket, Key: `digests/${name}`, Body: text }),
      );
    }
    await stack.whenIdle();
    const both = await searchObjects();
    await s3.send(new DeleteObjectCommand({ Bucket: stack.incomingBucket, Key: 'digests/search-one.txt' }));
    await stack.whenIdle();
    const one = await searchObjects();
    const reconciled = await stack.reconcile();

    // Assess
    expect(both).toEqual(await builtSearchFiles(['search-one.txt', 'search-two.txt']));
    expect(one).toEqual(await builtSearchFiles(['search-two.txt']));
    expect([...both.keys()].filter((key) => !one.has(key)).length).toBeGreaterThan(0);
    expect(reconciled.deleted.filter(isSearchPath)).toEqual([]);
    expect(await searchObjects()).toEqual(one);
  });

  it('serves the search page and index with the search policy, every other object with the strict one', async () => {
    // Act
    const headers = async (path: string) => {
      const response = await fetch(new URL(path, stack.siteUrl));
      await response.arrayBuffer();
      return { status: response.status, csp: response.headers.get('content-security-policy') };
    };

    // Assess
    expect(await headers('search.html')).toEqual({ status: 200, csp: SEARCH_CONTENT_SECURITY_POLICY });
    expect(await headers('pagefind/pagefind-worker.js')).toEqual({
      status: 200,
      csp: SEARCH_CONTENT_SECURITY_POLICY,
    });
    expect(await headers('search.js')).toEqual({ status: 200, csp: SITE_CONTENT_SECURITY_POLICY });
    expect(await headers('index.html')).toEqual({ status: 200, csp: SITE_CONTENT_SECURITY_POLICY });
  });
});
