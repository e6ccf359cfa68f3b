import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ENDPOINTS_FILE,
  isolatedStackOptions,
  type LocalStack,
  readLocalEndpoints,
  startLocalStack,
} from '@feedwright/local-stack';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runFeedwrightIn } from '../../support/cli.ts';
import { digestText, quietPowertools, tempDir } from './support.ts';

/** A hub nobody listens on: render's pings fail at once and never fail a render. */
const HUB = 'http://127.0.0.1:9/hub';

describe('feedwright dev records where it listens (.feedwright/endpoints.json)', { timeout: 120_000 }, () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let stack: LocalStack;
  let dataDir: string;
  const editor = (...args: string[]) => runFeedwrightIn(work.path, { AWS_ACCESS_KEY_ID: undefined }, ...args);

  beforeAll(async () => {
    quietPowertools('ERROR');
    work = await tempDir('feedwright-endpoints-');
    // Free ports, none of them the defaults, and the data folder where a user's `npm start` keeps it.
    dataDir = join(work.path, '.feedwright');
    stack = await startLocalStack({ ...isolatedStackOptions(dataDir), site: { hubUrl: HUB } });
  });
  afterAll(async () => {
    await stack?.close();
    await work?.remove();
    vi.unstubAllEnvs();
  });

  it('writes the endpoints and the settings of the running stack', async () => {
    // Act
    const endpoints = await readLocalEndpoints(dataDir);

    // Assess
    expect(endpoints).toMatchObject({
      siteUrl: stack.siteUrl,
      s3Endpoint: stack.s3Endpoint,
      dynamoEndpoint: stack.dynamoEndpoint,
      incomingBucket: stack.incomingBucket,
      tableName: stack.tableName,
      settings: { site: { hubUrl: HUB, baseUrl: stack.baseUrl }, digestTimezone: 'UTC' },
    });
    expect(new URL(stack.s3Endpoint).port).not.toBe('4569');
  });

  it('lets publish, status, withdraw and reconcile find the stack on its ports without a flag', async () => {
    // Prepare
    await writeFile(
      join(work.path, 'found.txt'),
      digestText({ date: 'Mar 04, 2021', title: 'Found without flags' }),
    );

    // Act
    const published = await editor('publish', 'found.txt');
    const shown = await editor('status');
    const reconciled = await editor('reconcile');
    const feed = await (await fetch(new URL('feeds/all/rss.xml', stack.siteUrl))).text();
    const withdrawn = await editor('withdraw', 'found.txt');

    // Assess
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toContain('found.txt: published: 1 story');
    expect(published.stdout).toContain(`story: ${stack.siteUrl}`);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^ {2}\S+ {2}digests\/found\.txt {2}published, 1 story/m);
    expect(feed).toContain('Found without flags');
    expect(feed).toContain('rel="hub"');
    // The same site settings as the stack's render, the hub included: nothing to rewrite.
    expect(reconciled.code, reconciled.stderr).toBe(0);
    expect(reconciled.stdout).toMatch(/site: wrote 0, deleted 0/);
    expect(withdrawn.code, `${withdrawn.stderr}|${withdrawn.stdout}|${reconciled.stdout}`).toBe(0);
    expect(withdrawn.stdout).toContain('digests/found.txt: withdrawn: 1 story');
  });

  it('names a recorded stack that no longer answers, and removes the record on a clean stop', async () => {
    // Prepare: a record left by a stack that died (a hard stop keeps it).
    const other = join(work.path, 'stale');
    const record = JSON.parse(await readFile(join(dataDir, ENDPOINTS_FILE), 'utf8')) as Record<
      string,
      unknown
    >;
    const { mkdir } = await import('node:fs/promises');
    await mkdir(other, { recursive: true });
    await writeFile(
      join(other, ENDPOINTS_FILE),
      JSON.stringify({ ...record, s3Endpoint: 'http://127.0.0.1:9', siteUrl: 'http://127.0.0.1:9/' }),
    );

    // Act
    const unreachable = await editor('withdraw', 'gone.txt', '--data-dir', other, '--timeout', '5');
    await stack.close();

    // Assess
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('http://127.0.0.1:9');
    await expect(access(join(dataDir, ENDPOINTS_FILE))).rejects.toThrow(/ENOENT/);
  });
});
