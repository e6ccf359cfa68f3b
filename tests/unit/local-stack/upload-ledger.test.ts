import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openUploadLedger } from '@feedwright/local-stack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

describe('Function: openUploadLedger', () => {
  let directory: string;
  const bytes = (text: string) => Buffer.from(text, 'utf8');

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'feedwright-ledger-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('remembers the bytes uploaded under each name across reopening, and only those bytes', async () => {
    // Prepare
    const path = join(directory, 'data', 'inbox-uploads.json');
    const first = await openUploadLedger(path, () => undefined);

    // Act
    await first.record('a.txt', bytes('first version'));
    const reopened = await openUploadLedger(path, () => undefined);

    // Assess
    expect(reopened.has('a.txt', bytes('first version'))).toBe(true);
    expect(reopened.has('a.txt', bytes('second version'))).toBe(false);
    expect(reopened.has('b.txt', bytes('first version'))).toBe(false);
    expect(await readdir(join(directory, 'data'))).toEqual(['inbox-uploads.json']);
  });

  it('sets an unreadable list aside, says so, and starts empty', async () => {
    // Prepare
    const path = join(directory, 'inbox-uploads.json');
    await writeFile(path, '{"version": 1, "uploads": {"a.txt": "ab');
    const logs: string[] = [];

    // Act
    const ledger = await openUploadLedger(path, (line) => logs.push(line));

    // Assess
    expect(ledger.has('a.txt', bytes(''))).toBe(false);
    expect(await readdir(directory)).toEqual(['inbox-uploads.json.unreadable']);
    expect(logs).toEqual([
      `inbox: ${path} is not readable as a list of uploads; set aside, every file is uploaded again`,
    ]);
  });
});
