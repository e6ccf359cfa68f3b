import { readdir, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { LocalDataError, s3rverClient } from '@feedwright/local-stack';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runFeedwrightWith } from '../../support/cli.ts';
import { startBareStack } from './convergence.ts';
import { digestText, quietPowertools, tempDir } from './support.ts';

describe('Function: startLocalStack, on damaged local DynamoDB data', { timeout: 120_000 }, () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let dataDir: string;
  let storyPath: string;

  beforeAll(async () => {
    quietPowertools('ERROR');
    work = await tempDir('feedwright-damaged-');
    dataDir = join(work.path, 'data');
    // A stack publishes a digest and stops; a second start compacts LevelDB's log into a table file.
    const first = await startBareStack(dataDir);
    const s3 = s3rverClient(first.s3Endpoint);
    await s3.send(
      new PutObjectCommand({
        Bucket: first.incomingBucket,
        Key: 'digests/kept.txt',
        Body: digestText({ date: 'Dec 01, 2020', title: 'Kept in the local S3' }),
      }),
    );
    await first.whenIdle();
    const response = await fetch(new URL('feeds/all/feed.json', first.siteUrl));
    const feed = (await response.json()) as { items: Array<{ url: string }> };
    storyPath = new URL(feed.items[0]?.url ?? '').pathname.slice(1);
    s3.destroy();
    await first.close();
    await (await startBareStack(dataDir)).close();
    // Then one of its table files is cut off, as a crash or a full disk leaves it.
    const tables = (await readdir(join(dataDir, 'dynamo'))).filter((name) => name.endsWith('.ldb'));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) await truncate(join(dataDir, 'dynamo', table), 100);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await work.remove();
  });

  it('refuses to start, saying what is broken, where, and what to do', async () => {
    // Act
    const started = startBareStack(dataDir);

    // Assess
    await expect(started).rejects.toBeInstanceOf(LocalDataError);
    await expect(started).rejects.toThrow(
      `the local DynamoDB data in ${join(dataDir, 'dynamo')} is damaged and cannot be read`,
    );
  });

  it('makes `feedwright dev` exit 1 with that sentence and no stack', async () => {
    // Act
    const run = await runFeedwrightWith(
      { POWERTOOLS_LOG_LEVEL: 'ERROR' },
      'dev',
      ...['--site-port', '0', '--s3-port', '0', '--dynamo-port', '0', '--smtp-port', '0'],
      ...['--data-dir', dataDir, '--digests', join(work.path, 'none'), '--inbox', join(work.path, 'inbox')],
    );

    // Assess
    expect(run.code).toBe(3);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^feedwright dev: the local DynamoDB data in .* is damaged and cannot be read \(/,
    );
    expect(lines[0]).toContain(`Move the folder aside (mv '${join(dataDir, 'dynamo')}'`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('starts again once the folder is moved aside, with the site rebuilt from the digests in the local S3', async () => {
    // Prepare
    const dynamo = join(dataDir, 'dynamo');
    await rename(dynamo, `${dynamo}.damaged`);

    // Act
    const stack = await startBareStack(dataDir);
    await stack.whenIdle();

    // Assess
    try {
      const page = await fetch(new URL(storyPath, stack.siteUrl));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Kept in the local S3');
    } finally {
      await stack.close();
    }
  });
});
