import { copyFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';
import { runFeedwrightWith } from '../../support/cli.ts';
import { digestText, SAMPLE_DIGESTS, type tempDir, useIsolatedStack } from '../local-stack/support.ts';

const SAMPLE = 'cx-daily-2020-12-01.txt';
const LOCAL_ENV = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined };

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

// Each test runs the CLI a few times (a tsx start each): generous budgets for a loaded machine.
describe('feedwright publish / withdraw against the local stack', { timeout: 120_000 }, () => {
  let stack: LocalStack;
  let s3: S3Client;
  let work: Awaited<ReturnType<typeof tempDir>>;

  const target = () => [
    '--s3-endpoint',
    stack.s3Endpoint,
    '--dynamo-endpoint',
    stack.dynamoEndpoint,
    '--site-url',
    stack.siteUrl,
    '--timeout',
    '80',
  ];
  const feedwright = (...args: string[]) =>
    runFeedwrightWith(
      LOCAL_ENV,
      ...args,
      ...(args[0] === 'withdraw' ? target().filter((_, i) => i !== 2 && i !== 3) : target()),
    );
  const siteStatus = async (path: string) => (await fetch(new URL(path, stack.siteUrl))).status;
  const siteText = async (path: string) => (await fetch(new URL(path, stack.siteUrl))).text();
  const incomingKeys = async () =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: stack.incomingBucket }))).Contents ?? []).map(
      (object) => object.Key,
    );

  useIsolatedStack(
    'feedwright-publish-',
    (started) => {
      ({ stack, s3, work } = started);
    },
    { level: 'WARN' },
  );

  it('publishes a sample digest: counts, feed and story URLs, exit 0 once the stories are served', async () => {
    // Prepare
    const file = join(SAMPLE_DIGESTS, SAMPLE);

    // Act
    const run = await feedwright('publish', file);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^${file}: published: (\\d+) stories \\(\\1 added, 0 updated, 0 withdrawn, 0 unchanged\\)$`),
    );
    const storyUrls = lines.filter((line) => line.startsWith('  story: ')).map((line) => line.slice(9));
    const feedUrls = lines.filter((line) => line.startsWith('  feed: ')).map((line) => line.slice(8));
    expect(storyUrls.length).toBe(Number(/published: (\d+)/.exec(lines[0] ?? '')?.[1]));
    expect(feedUrls.length).toBeGreaterThan(0);
    // Live when the command returns: no waiting here.
    for (const url of [...storyUrls, ...feedUrls]) expect((await fetch(url)).status, url).toBe(200);
  });

  it('reports the same file uploaded again as unchanged, and an edit as updated, from this upload’s report', async () => {
    // Prepare
    const edited = join(work.path, 'edited', SAMPLE);
    const { mkdir, readFile } = await import('node:fs/promises');
    await mkdir(join(work.path, 'edited'), { recursive: true });
    const text = await readFile(join(SAMPLE_DIGESTS, SAMPLE), 'utf8');
    const paragraph = 'China is moving closer';
    expect(text).toContain(paragraph);
    await writeFile(edited, text.replace(paragraph, 'China is moving much closer'));

    // Act
    const again = await feedwright('publish', join(SAMPLE_DIGESTS, SAMPLE));
    const changed = await feedwright('publish', edited);

    // Assess
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /published: (\d+) stories \(0 added, 0 updated, 0 withdrawn, \1 unchanged\)/,
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toMatch(
      /published: (\d+) stories \(0 added, 1 updated, 0 withdrawn, \d+ unchanged\)/,
    );
    const storyUrl = /^ {2}story: (.*investment.*)$/m.exec(changed.stdout)?.[1] ?? '';
    expect(await (await fetch(storyUrl)).text()).toContain('China is moving much closer');
  });

  it('refuses a bad file with exit 1 and its reason, and the live version stays live', async () => {
    // Prepare
    const bad = join(work.path, 'bad', SAMPLE);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(work.path, 'bad'), { recursive: true });
    await writeFile(bad, 'no date line here\n\nnor any section\n');
    // The edit above returned once its story was served; the rest of its render may still be going.
    await stack.whenIdle();
    const before = await siteText('feeds/all/rss.xml');

    // Act
    const run = await feedwright('publish', bad);

    // Assess
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^feedwright: ${bad}: rejected: .*date`, 'm'));
    expect(run.stderr).toContain('the previously published version stays live');
    expect(await siteText('feeds/all/rss.xml')).toBe(before);
  });

  it('--dry-run uploads nothing and shows what would be added, updated (with the changed paragraph) and withdrawn', async () => {
    // Prepare: the live version is the sample (the refused upload above never replaced it).
    await feedwright('publish', join(SAMPLE_DIGESTS, SAMPLE));
    const { mkdir, readFile } = await import('node:fs/promises');
    await mkdir(join(work.path, 'dry'), { recursive: true });
    const draft = join(work.path, 'dry', SAMPLE);
    const text = await readFile(join(SAMPLE_DIGESTS, SAMPLE), 'utf8');
    await writeFile(draft, text.replace('China is moving closer', 'China moved closer'));
    const keysBefore = await incomingKeys();
    const reportBefore = await s3.send(
      new GetObjectCommand({ Bucket: stack.incomingBucket, Key: `reports/digests/${SAMPLE}.json` }),
    );
    const reportBodyBefore = await reportBefore.Body?.transformToString();
    const fresh = join(work.path, 'dry', 'fresh.txt');
    await writeFile(fresh, digestText({ date: 'Jan 05, 2021', title: 'A brand new story' }));

    // Act
    const run = await feedwright('publish', '--dry-run', draft, fresh);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${draft}: dry run, nothing uploaded: would publish`);
    expect(run.stdout).toMatch(/0 added, 1 updated, 0 withdrawn, \d+ unchanged/);
    expect(run.stdout).toContain('      - ¶1: China is moving closer');
    expect(run.stdout).toContain('      + ¶1: China moved closer');
    expect(run.stdout).toContain(`${fresh}: dry run, nothing uploaded: would publish 1 story (1 added,`);
    expect(run.stdout).toContain('  + added: A brand new story');
    expect(run.stdout).toContain('2 files: 2 would publish, 0 rejected, 0 failed');
    expect(await incomingKeys()).toEqual(keysBefore);
    const reportAfter = await s3.send(
      new GetObjectCommand({ Bucket: stack.incomingBucket, Key: `reports/digests/${SAMPLE}.json` }),
    );
    expect(await reportAfter.Body?.transformToString()).toBe(reportBodyBefore);
  });

  it('--dry-run shows a rejection with exit 1, and the stories a shorter version would withdraw', async () => {
    // Prepare
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(work.path, 'dry2'), { recursive: true });
    const one = join(work.path, 'dry2', 'one.txt');
    await writeFile(one, digestText({ date: 'Jan 06, 2021', title: 'Story one' }));
    await feedwright('publish', one);
    const replaced = join(work.path, 'dry2', 'one-replaced', 'one.txt');
    await mkdir(join(work.path, 'dry2', 'one-replaced'), { recursive: true });
    await writeFile(
      replaced,
      digestText({ date: 'Jan 06, 2021', title: 'Story two', paragraph: 'Quite another story altogether.' }),
    );
    const empty = join(work.path, 'dry2', 'empty.txt');
    await writeFile(empty, '');

    // Act
    const run = await feedwright('publish', '--dry-run', replaced, empty);

    // Assess
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('(1 added, 0 updated, 1 withdrawn, 0 unchanged)');
    expect(run.stdout).toContain('  - withdrawn: Story one');
    expect(run.stderr).toMatch(new RegExp(`^feedwright: ${empty}: rejected: .*empty`, 'm'));
  });

  it('withdraws a digest by file name and returns once its stories are gone from the site', async () => {
    // Prepare
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(work.path, 'gone'), { recursive: true });
    const file = join(work.path, 'gone', 'to-withdraw.txt');
    await writeFile(file, digestText({ date: 'Jan 07, 2021', title: 'Soon withdrawn' }));
    const published = await feedwright('publish', file);
    const storyUrl = /^ {2}story: (.*)$/m.exec(published.stdout)?.[1] ?? '';
    expect((await fetch(storyUrl)).status).toBe(200);

    // Act
    const run = await feedwright('withdraw', file);
    const missing = await feedwright('withdraw', 'digests/never-uploaded.txt');

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('digests/to-withdraw.txt: withdrawn: 1 story gone from the site\n');
    expect((await fetch(storyUrl)).status).toBe(404);
    expect(await incomingKeys()).not.toContain('digests/to-withdraw.txt');
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stderr).toContain('digests/never-uploaded.txt: no such digest');
  });

  it('publishes many files with one summary line', async () => {
    // Prepare
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(work.path, 'many'), { recursive: true });
    const files = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => {
        const file = join(work.path, 'many', `many-${n}.txt`);
        await writeFile(file, digestText({ date: `Feb 0${n}, 2021`, title: `Batch story ${n}` }));
        return file;
      }),
    );
    await copyFile(join(SAMPLE_DIGESTS, SAMPLE), join(work.path, 'many', 'unused.txt'));

    // Act
    const run = await feedwright('publish', ...files);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    for (const file of files) expect(run.stdout).toContain(`${file}: published: 1 story (1 added,`);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('5 files: 5 published, 0 rejected, 0 failed');
    expect(await siteStatus('feeds/local-stack/rss.xml')).toBe(200);
  });

  it('exits 3 (failed) with one line for an unreachable endpoint, refused credentials and a timeout', async () => {
    // Prepare
    const port = await closedPort();
    const file = join(SAMPLE_DIGESTS, SAMPLE);

    // Act
    const unreachable = await runFeedwrightWith(
      LOCAL_ENV,
      'publish',
      file,
      '--s3-endpoint',
      `http://127.0.0.1:${port}`,
    );
    const refused = await runFeedwrightWith(
      { AWS_ACCESS_KEY_ID: 'WRONG', AWS_SECRET_ACCESS_KEY: 'WRONG' },
      'publish',
      file,
      ...target(),
    );
    // A server that answers, but never with the story (s3rver): waited for until the timeout (long
    // enough for ingest's report on a loaded machine, so that the wait is the site's).
    const slow = await runFeedwrightWith(
      LOCAL_ENV,
      'publish',
      file,
      ...target().slice(0, -2),
      '--site-url',
      `${stack.s3Endpoint}/`,
      '--timeout',
      '8',
    );

    // Assess
    expect(unreachable.code, unreachable.stderr).toBe(3);
    expect(unreachable.stderr).toBe(
      `feedwright: ${file}: cannot reach S3 at http://127.0.0.1:${port} (ECONNREFUSED): is the local stack running (npm start)?\n`,
    );
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(
      /^feedwright: .*: S3 at .* refused the credentials \(InvalidAccessKeyId\)/,
    );
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(slow.code, slow.stderr).toBe(3);
    const [timedOut, published, ...rest] = slow.stderr.trim().split('\n');
    expect(timedOut).toMatch(/: timed out after \d+ s waiting for the stories on the site /);
    expect(published).toContain(': the digest IS published: uploaded as digests/');
    expect(rest).toEqual([]);
  });
});
