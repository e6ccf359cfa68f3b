import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type LocalStack, S3RVER_KEY_LIMITS } from '@feedwright/local-stack';
import { reportKeyFor } from '@feedwright/storage/schema';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runFeedwrightWith } from '../../support/cli.ts';
import { digestText, type tempDir, useIsolatedStack } from '../local-stack/support.ts';

const LOCAL_ENV = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined };

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

describe('feedwright publish / withdraw at the edges: keys, names and a wrong site', {
  timeout: 120_000,
}, () => {
  let stack: LocalStack;
  let s3: S3Client;
  let work: Awaited<ReturnType<typeof tempDir>>;

  const target = (siteUrl = stack.siteUrl) => [
    '--s3-endpoint',
    stack.s3Endpoint,
    '--site-url',
    siteUrl,
    '--timeout',
    '50',
  ];
  const feedwright = (...args: string[]) => runFeedwrightWith(LOCAL_ENV, ...args, ...target());
  const exists = (key: string) =>
    s3.send(new HeadObjectCommand({ Bucket: stack.incomingBucket, Key: key })).then(
      () => true,
      () => false,
    );
  const keysUnder = async (prefix: string) =>
    (
      (await s3.send(new ListObjectsV2Command({ Bucket: stack.incomingBucket, Prefix: prefix }))).Contents ??
      []
    ).map((object) => object.Key);
  const storyUrlOf = (stdout: string) => /^ {2}story: (.*)$/m.exec(stdout)?.[1] ?? '';
  const fileIn = async (folder: string, name: string, title: string) => {
    await mkdir(join(work.path, folder), { recursive: true });
    const file = join(work.path, folder, name);
    await writeFile(file, digestText({ date: 'Mar 03, 2021', title }));
    return file;
  };

  useIsolatedStack('feedwright-publish-edges-', (started) => {
    ({ stack, s3, work } = started);
  });

  it('withdraws a mailed digest by its mail/ key, as given', async () => {
    // Prepare
    const key = 'mail/20261202-e77f0c1d.eml';
    const mail = await readFile(join(REPO_ROOT, 'tests', 'fixtures', 'mail', 'cx-daily-2020-12-01.eml'));
    await s3.send(new PutObjectCommand({ Bucket: stack.incomingBucket, Key: key, Body: mail }));
    await stack.whenIdle();
    const report = JSON.parse(
      (await (
        await s3.send(new GetObjectCommand({ Bucket: stack.incomingBucket, Key: reportKeyFor(key) }))
      ).Body?.transformToString()) ?? '{}',
    ) as { status?: string; stories?: { total?: number } };
    expect(report.status).toBe('ok');

    // Act
    const run = await feedwright('withdraw', key);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${key}: withdrawn: ${report.stories?.total} stories gone from the site\n`);
    expect(await exists(key)).toBe(false);
  });

  it('refuses to withdraw a key with a `..` part, deleting nothing: the digest it resolves to stays live', async () => {
    // Prepare
    const file = await fileIn('dots', 'a b.txt', 'Stays live');
    const published = await feedwright('publish', file);
    expect(published.code, published.stderr).toBe(0);
    const storyUrl = storyUrlOf(published.stdout);

    // Act
    const run = await feedwright('withdraw', 'digests/../digests/a b.txt');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('digests/../digests/a b.txt: refused, nothing deleted:');
    expect(run.stderr).toContain("has a '..' part");
    expect(await exists('digests/a b.txt')).toBe(true);
    expect((await fetch(storyUrl)).status).toBe(200);
  });

  it('refuses a name too long for the local S3 before uploading, with the file, the reason and what to do', async () => {
    // Prepare: 230 characters; `<name>.json`, its report's last part, is 2 bytes over the local S3's 233.
    const name = `${'n'.repeat(226)}.txt`;
    const file = await fileIn('long', name, 'Too long a name');
    expect(Buffer.byteLength(`${name}.json`) - (S3RVER_KEY_LIMITS.maxSegmentBytes ?? 0)).toBe(2);

    // Act
    const run = await feedwright('publish', file);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`feedwright: ${file}: refused, nothing uploaded: the name is too long:`);
    expect(run.stderr).toContain('shorten the file name by at least 2 bytes');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(await keysUnder(`digests/${name.slice(0, 20)}`)).toEqual([]);
  });

  it('has ingest refuse such a name, put by any S3 client, with a report it can write', async () => {
    // Prepare
    const key = `digests/${'m'.repeat(226)}.txt`;

    // Act
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.incomingBucket,
        Key: key,
        Body: digestText({ date: 'Mar 04, 2021', title: 'Refused by ingest' }),
      }),
    );
    await stack.whenIdle();

    // Assess
    const reportKey = reportKeyFor(key, S3RVER_KEY_LIMITS);
    expect(reportKey).toMatch(/^reports\/long-names\//);
    const report = JSON.parse(
      (await (
        await s3.send(new GetObjectCommand({ Bucket: stack.incomingBucket, Key: reportKey }))
      ).Body?.transformToString()) ?? '{}',
    ) as { status?: string; code?: string; key?: string; reason?: string };
    expect(report).toMatchObject({ status: 'rejected', code: 'BAD_KEY', key });
    expect(report.reason).toContain('the name is too long');
    expect(await (await fetch(new URL('feeds/all/rss.xml', stack.siteUrl))).text()).not.toContain(
      'Refused by ingest',
    );
  });

  it('stops at once when the site refuses every connection, and says the digest is published and where', async () => {
    // Prepare
    const port = await closedPort();
    const file = await fileIn('wrong-site', 'wrong-site.txt', 'Published all the same');

    // Act
    const run = await runFeedwrightWith(LOCAL_ENV, 'publish', file, ...target(`http://127.0.0.1:${port}/`));

    // Assess: exit 3, failed (docs/cli.md), although the digest is published
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/: published: 1 story \(1 added, 0 updated, 0 withdrawn, 0 unchanged\)/);
    const [refused, published, ...rest] = run.stderr.trim().split('\n');
    expect(rest).toEqual([]);
    expect(refused).toBe(
      `feedwright: ${file}: cannot reach the site at http://127.0.0.1:${port}/ (ECONNREFUSED, 5 tries): check --site-url`,
    );
    expect(published).toContain(
      'the digest IS published: uploaded as digests/wrong-site.txt and applied by ingest ' +
        '(report reports/digests/wrong-site.txt.json in the bucket feedwright-incoming)',
    );
    const storyPath = new URL(storyUrlOf(run.stdout)).pathname.slice(1);
    expect((await fetch(new URL(storyPath, stack.siteUrl))).status).toBe(200);
  });
});
