import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DigestError } from '@feedwright/digest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDigestBytes, readDigestFile } from '../../../packages/cli/src/digest-file.ts';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'feedwright-read-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<DigestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DigestError) return error;
    throw error;
  }
  throw new Error('expected a DigestError, but the promise resolved');
}

describe('Function: readDigestBytes', () => {
  it('reads a file within the limit', async () => {
    // Prepare
    const file = path.join(dir, 'small.txt');
    await writeFile(file, 'Dec 01, 2020 09:19 AM\n');

    // Act
    const bytes = await readDigestBytes(file, { maxBytes: 100 });

    // Assess
    expect(Buffer.from(bytes).toString('utf8')).toBe('Dec 01, 2020 09:19 AM\n');
  });

  it('refuses a file over the limit from its size', async () => {
    // Prepare: a sparse file, 1 GiB on paper: reading it would take a while and the memory.
    const file = path.join(dir, 'huge.txt');
    await writeFile(file, '');
    await truncate(file, 1024 * 1024 * 1024);

    // Act
    const error = await rejection(readDigestBytes(file));

    // Assess
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain('1024.0 MiB, over the 5.0 MiB limit');
  });

  it('says a missing file is missing', async () => {
    // Act
    const error = await rejection(readDigestBytes(path.join(dir, 'missing.txt')));

    // Assess
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toBe('no such file');
  });

  it('reads a file of exactly the limit whole, byte for byte', async () => {
    // Prepare: every byte value, over several pages
    const file = path.join(dir, 'exact.bin');
    const content = Uint8Array.from({ length: 200_003 }, (_, index) => (index * 7) % 256);
    await writeFile(file, content);

    // Act
    const bytes = await readDigestBytes(file, { maxBytes: content.length });
    const over = await rejection(readDigestBytes(file, { maxBytes: content.length - 1 }));

    // Assess
    expect(Buffer.from(bytes).equals(Buffer.from(content))).toBe(true);
    expect(over.code).toBe('TOO_LARGE');
  });

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    // Prepare
    const fifo = path.join(dir, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);

    // Act
    const error = await rejection(readDigestBytes(fifo));

    // Assess
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toBe('is not a regular file');
  });

  it('says a directory is not a digest file', async () => {
    // Act
    const error = await rejection(readDigestBytes(dir));

    // Assess
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toBe('is a directory, not a digest file');
  });
});

describe('Function: readDigestFile', () => {
  it('reads, decodes and parses a digest in the given time zone', async () => {
    // Prepare
    const file = path.join(dir, 'digest.txt');
    await writeFile(
      file,
      '\uFEFFDec 01, 2020 09:19 AM\r\n\r\nTitle\r\n\r\nSummary.\r\n\r\nMetals /\r\n\r\nStory\r\n\r\nBody.\r\n',
    );

    // Act
    const digest = await readDigestFile(file, { timezone: 'Asia/Shanghai' });

    // Assess
    expect(digest.publishedAt).toBe('2020-12-01T01:19:00Z');
    expect(digest.stories.map((s) => s.title)).toEqual(['Story']);
  });
});
