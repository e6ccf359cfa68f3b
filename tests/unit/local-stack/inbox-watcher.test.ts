import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchInbox } from '@feedwright/local-stack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const pause = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

describe('Function: watchInbox', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'feedwright-inbox-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('uploads a file copied in three chunks a second apart exactly once, whole, with the default settle time', async () => {
    // Prepare
    const uploads: { name: string; text: string }[] = [];
    const inbox = await watchInbox({
      directory,
      log: () => undefined,
      upload: async (name, bytes) => {
        uploads.push({ name, text: bytes.toString('utf8') });
      },
    });
    const chunks = [
      'Dec 01, 2020 09:19 AM\n\n',
      'A digest\n\nA summary.\n\n',
      'Law /\n\nA title\n\nA body.\n',
    ];

    // Act: a slow copy, one chunk a second (what was uploaded three times before).
    const file = await open(join(directory, 'slow.txt'), 'w');
    for (const chunk of chunks) {
      await file.write(chunk);
      await file.sync();
      await pause(1000);
    }
    await file.close();
    await pause(100);
    await inbox.idle();
    await inbox.close();

    // Assess
    expect(uploads).toEqual([{ name: 'slow.txt', text: chunks.join('') }]);
  });

  it('uploads files present at start and ignores dot-files and other extensions', async () => {
    // Prepare
    await writeFile(join(directory, 'ready.txt'), 'whole');
    await writeFile(join(directory, '.ready.txt.swp'), 'editor state');
    await writeFile(join(directory, 'notes.md'), 'not a digest');
    const uploads: string[] = [];

    // Act
    const inbox = await watchInbox({
      directory,
      settleMs: 100,
      log: () => undefined,
      upload: async (name) => {
        uploads.push(name);
      },
    });
    await pause(50);
    await inbox.idle();
    await inbox.close();

    // Assess
    expect(uploads).toEqual(['ready.txt']);
  });
});
