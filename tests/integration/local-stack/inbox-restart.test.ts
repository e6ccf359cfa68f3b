import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import {
  isolatedStackOptions,
  type LocalStack,
  type LocalStackOptions,
  s3rverClient,
  startLocalStack,
} from '@feedwright/local-stack';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runFeedwrightWith } from '../../support/cli.ts';
import { digestText, eventually, quietPowertools, tempDir } from './support.ts';

const LOCAL_ENV = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined };
const KEY = 'digests/dropped.txt';

describe('Function: startLocalStack, the inbox across restarts', { timeout: 120_000 }, () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let options: LocalStackOptions;
  const logs: string[] = [];

  beforeAll(async () => {
    quietPowertools('ERROR');
    work = await tempDir('feedwright-inbox-restart-');
    options = {
      ...isolatedStackOptions(join(work.path, 'data'), (line) => logs.push(line)),
      inboxDir: join(work.path, 'inbox'),
    };
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await work.remove();
  });

  const storyStatus = async (stack: LocalStack, path: string) =>
    (await fetch(new URL(path, stack.siteUrl))).status;
  const inBucket = async (stack: LocalStack) => {
    const s3 = s3rverClient(stack.s3Endpoint);
    try {
      await s3.send(new HeadObjectCommand({ Bucket: stack.incomingBucket, Key: KEY }));
      return true;
    } catch {
      return false;
    } finally {
      s3.destroy();
    }
  };

  it('keeps a dropped digest withdrawn with feedwright withdraw when the stack starts again, and uploads it once changed', async () => {
    // Prepare: a digest dropped into the inbox goes live, then is withdrawn.
    const first = await startLocalStack(options);
    const file = join(work.path, 'inbox', 'dropped.txt');
    await writeFile(file, digestText({ date: 'Dec 04, 2020', title: 'Dropped then withdrawn' }));
    await eventually('the dropped digest uploaded', async () => ((await inBucket(first)) ? true : undefined));
    await first.whenIdle();
    const feed = (await (await fetch(new URL('feeds/all/feed.json', first.siteUrl))).json()) as {
      items: Array<{ url: string }>;
    };
    const storyPath = new URL(feed.items[0]?.url ?? '').pathname.slice(1);
    expect(await storyStatus(first, storyPath)).toBe(200);
    const withdrawn = await runFeedwrightWith(
      LOCAL_ENV,
      'withdraw',
      'dropped.txt',
      ...['--s3-endpoint', first.s3Endpoint, '--site-url', first.siteUrl, '--timeout', '50'],
    );
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    await first.close();

    // Act: the stack starts again with the file still in the inbox.
    const second = await startLocalStack(options);
    try {
      await second.whenIdle();

      // Assess
      expect(await inBucket(second)).toBe(false);
      expect(await storyStatus(second, storyPath)).toBe(404);
      expect(logs).toContain(
        'inbox: dropped.txt is unchanged since its upload; not uploaded again (a withdrawn digest stays withdrawn: drop it again, or use feedwright publish, to publish it again)',
      );

      // Act: the editor changes the file while the stack runs.
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replaceAll('Dropped then withdrawn', 'Dropped again, corrected'));

      // Assess
      await eventually('the changed digest uploaded', async () =>
        (await inBucket(second)) ? true : undefined,
      );
      await second.whenIdle();
      const again = (await (await fetch(new URL('feeds/all/feed.json', second.siteUrl))).json()) as {
        items: Array<{ title: string }>;
      };
      expect(again.items.map((item) => item.title)).toEqual(['Dropped again, corrected']);
    } finally {
      await second.close();
    }
  });
});
