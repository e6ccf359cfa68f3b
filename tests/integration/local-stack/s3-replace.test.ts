import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import {
  CopyObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../support/emulators.ts';

let emulators: Emulators;

beforeAll(async () => {
  emulators = await startEmulators({ buckets: ['feedwright-site'] });
}, 60_000);

afterAll(async () => {
  await emulators.stop();
});

// s3rver rewrote an object's file in place: a read during a write got the length of one version and
// the bytes of another, and its connection was cut (`aborted` or ECONNRESET while reading the body).
describe('the local S3 replacing an object while it is read', () => {
  it('answers every GET, listing and copy with one whole version, and leaves no partial file', async () => {
    // Prepare
    const s3 = emulators.s3Client();
    const Bucket = 'feedwright-site';
    const Key = 'reports/digests/cx-daily-2020-12-01.txt.json';
    const versions = [
      Buffer.alloc(256 * 1024, 'a'),
      Buffer.from('{"short":true}'),
      Buffer.alloc(64 * 1024, 'c'),
    ];
    const texts = new Set(versions.map((version) => version.toString()));
    const listed = new Set(
      versions.map((version) => `${version.length} "${createHash('md5').update(version).digest('hex')}"`),
    );
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: versions[0] }));
    let writing = true;
    const whileWriting = async (read: () => Promise<string>) => {
      const seen: string[] = [];
      while (writing) seen.push(await read());
      return seen;
    };
    const get = async (key: string) =>
      (await (await s3.send(new GetObjectCommand({ Bucket, Key: key }))).Body?.transformToString()) ?? '';

    // Act
    const writes = (async () => {
      for (let i = 1; i <= 120; i += 1)
        await s3.send(new PutObjectCommand({ Bucket, Key, Body: versions[i % versions.length] }));
      writing = false;
    })();
    const [bodies, more, listings, copies] = await Promise.all([
      whileWriting(() => get(Key)),
      whileWriting(() => get(Key)),
      whileWriting(async () => {
        const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'reports/' }));
        return (page.Contents ?? []).map((object) => `${object.Size} ${object.ETag}`).join();
      }),
      whileWriting(async () => {
        await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy.json', CopySource: `${Bucket}/${Key}` }));
        return get('copy.json');
      }),
      writes,
    ]);

    // Assess
    expect(bodies.length + more.length).toBeGreaterThan(0);
    for (const text of [...bodies, ...more, ...copies])
      expect(texts.has(text), `a body of ${text.length} bytes`).toBe(true);
    for (const entry of listings) expect(listed.has(entry), entry).toBe(true);
    const files = await readdir(emulators.directory, { recursive: true });
    expect(files.filter((file) => file.includes('.~partial-'))).toEqual([]);
  });
});
