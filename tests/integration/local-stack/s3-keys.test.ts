import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { S3RVER_KEY_LIMITS } from '@feedwright/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../support/emulators.ts';

const BUCKET = 'feedwright-incoming';
const REAL = 'digests/a b.txt';

/** A raw PUT whose path is sent exactly as written (as `curl --path-as-is` does): no client resolves `..`. */
function rawPut(endpoint: string, path: string, body: string): Promise<{ status: number; body: string }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: 'PUT', path, headers: { 'content-length': body.length } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

describe('The local S3: keys it cannot keep as files', () => {
  let emulators: Emulators;
  let s3: S3Client;
  const realText = async () =>
    (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: REAL }))).Body?.transformToString()) ??
    '';

  beforeAll(async () => {
    emulators = await startEmulators();
    s3 = emulators.s3Client();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: REAL, Body: 'the real digest' }));
  });
  afterAll(async () => {
    await emulators.stop();
  });

  it('answers 400 to a raw path with `..` or `.` parts and writes nothing, inside its folder or out', async () => {
    // Prepare
    const before = await filesUnder(emulators.directory);

    // Act
    const outside = await rawPut(emulators.s3Endpoint, `/${BUCKET}/digests/../../escape2.txt`, 'x');
    const aliased = await rawPut(emulators.s3Endpoint, `/${BUCKET}/digests/../digests/a%20b.txt`, 'x');
    const dot = await rawPut(emulators.s3Endpoint, `/${BUCKET}/digests/./a%20b.txt`, 'x');
    const encoded = await rawPut(emulators.s3Endpoint, `/${BUCKET}/digests/%2E%2E/%2e%2e/escape3.txt`, 'x');

    // Assess
    for (const answer of [outside, aliased, dot, encoded]) {
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('<Code>InvalidArgument</Code>');
    }
    expect(await filesUnder(emulators.directory)).toEqual(before);
    expect(await realText()).toBe('the real digest');
  });

  it('refuses a `..` key from the SDK, for a PUT, a DELETE and a multi-object delete, and the key it names is left alone', async () => {
    // Act
    const outcomes = await Promise.allSettled([
      s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'digests/../digests/a b.txt', Body: 'overwritten' }),
      ),
      s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'digests/../digests/a b.txt' })),
      s3.send(
        new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'digests/x/../a b.txt' }] } }),
      ),
    ]);

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status === 'rejected') expect(statusOf(outcome.reason)).toBe(400);
    }
    expect(await realText()).toBe('the real digest');
  });

  it('refuses a key part over its file-name limit with KeyTooLongError, and keeps serving', async () => {
    // Prepare
    const longest = `digests/${'a'.repeat(S3RVER_KEY_LIMITS.maxSegmentBytes ?? 0)}`;
    const tooLong = `${longest}b`;

    // Act
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: longest, Body: 'fits' }));
    const refused = await s3
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: tooLong, Body: 'does not fit' }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    // Assess
    expect((refused as { name?: string } | undefined)?.name).toBe('KeyTooLongError');
    expect(statusOf(refused)).toBe(400);
    expect(await realText()).toBe('the real digest');
  });
});
