import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '@feedwright/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFeedwrightWith } from '../../support/cli.ts';
import { type CaptureHub, startCaptureHub } from '../../support/hub-capture.ts';
import { readWithFeedsmith } from '../../support/validators.ts';
import { digestText, type tempDir, useIsolatedStack } from './support.ts';

const FILES = ['atom.xml', 'feed.json', 'rss.xml'];

describe('WebSub on the local stack (a capture hub on 127.0.0.1)', { timeout: 90_000 }, () => {
  let stack: LocalStack;
  let hub: CaptureHub;
  let s3: S3Client;
  let work: Awaited<ReturnType<typeof tempDir>>;

  /** The subscription feeds of these topics, and of the issues with `'issues'`. */
  const feedUrls = (...slugs: string[]) =>
    slugs
      .flatMap((slug) => {
        const folder = slug === 'issues' ? 'issues' : `feeds/${slug}`;
        return FILES.map((file) => new URL(`${folder}/${file}`, stack.siteUrl).href);
      })
      .sort();
  const upload = async (name: string, body: string) => {
    await s3.send(new PutObjectCommand({ Bucket: stack.incomingBucket, Key: `digests/${name}`, Body: body }));
    // The S3 event reaches ingest asynchronously; give it a moment to be seen before waiting for idle.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stack.whenIdle();
  };

  beforeAll(async () => {
    hub = await startCaptureHub();
  });
  afterAll(async () => {
    await hub?.close();
  });
  useIsolatedStack(
    'feedwright-websub-',
    (started) => {
      ({ stack, s3, work } = started);
    },
    { stack: () => ({ site: { hubUrl: hub.url } }) },
  );

  it('publishes exactly the feeds an upload changed, once each, as hub.mode=publish form posts', async () => {
    // Act
    await upload('websub-1.txt', digestText({ date: 'Mar 01, 2021', title: 'First hub story' }));

    // Assess
    expect(hub.pingedUrls().sort()).toEqual(feedUrls('all', 'local-stack', 'issues'));
    for (const ping of hub.pings) {
      expect(ping.mode).toBe('publish');
      expect(ping.contentType).toBe('application/x-www-form-urlencoded');
    }
  });

  it('advertises the hub and self in the feeds and in Link headers of feed responses only', async () => {
    // Act
    const rss = await fetch(new URL('feeds/local-stack/rss.xml', stack.siteUrl));
    const json = await fetch(new URL('feeds/all/feed.json', stack.siteUrl));
    const index = await fetch(stack.siteUrl);

    // Assess
    const self = new URL('feeds/local-stack/rss.xml', stack.siteUrl).href;
    expect(rss.headers.get('link')).toBe(`<${hub.url}>; rel="hub", <${self}>; rel="self"`);
    expect(json.headers.get('link')).toContain(
      `<${new URL('feeds/all/feed.json', stack.siteUrl).href}>; rel="self"`,
    );
    expect(index.headers.get('link')).toBeNull();
    const read = readWithFeedsmith('rss', await rss.text());
    expect(read.hubUrl).toBe(hub.url);
    expect(read.selfUrl).toBe(self);
  });

  it('keeps the hub through a reconcile, which then finds nothing to rewrite', async () => {
    // Prepare
    await upload('websub-3.txt', digestText({ date: 'Mar 03, 2021', title: 'Third hub story' }));
    const before = hub.pings.length;

    // Act
    const result = await stack.reconcile();
    const rss = await (await fetch(new URL('feeds/all/rss.xml', stack.siteUrl))).text();

    // Assess
    expect(result.written).toEqual([]);
    expect(result.deleted).toEqual([]);
    expect(rss).toContain('rel="hub"');
    expect(readWithFeedsmith('rss', rss).hubUrl).toBe(hub.url);
    expect(hub.pings.length).toBe(before);
  });

  it('sends nothing for an identical re-upload', async () => {
    // Prepare
    const before = hub.pings.length;

    // Act
    await upload('websub-1.txt', digestText({ date: 'Mar 01, 2021', title: 'First hub story' }));

    // Assess
    expect(hub.pings.length).toBe(before);
  });

  it('sends only the changed topic’s, all-stories and issue feeds for an edit', async () => {
    // Prepare
    const before = hub.pings.length;

    // Act
    await upload(
      'websub-1.txt',
      digestText({ date: 'Mar 01, 2021', title: 'First hub story', paragraph: 'An edited paragraph.' }),
    );

    // Assess
    expect(
      hub.pings
        .slice(before)
        .flatMap((ping) => ping.urls)
        .sort(),
    ).toEqual(feedUrls('all', 'local-stack', 'issues'));
  });

  it('sends nothing for a dry run', async () => {
    // Prepare
    const before = hub.pings.length;
    const file = join(work.path, 'websub-1.txt');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, digestText({ date: 'Mar 01, 2021', title: 'First hub story', paragraph: 'Dry.' }));

    // Act
    const run = await runFeedwrightWith(
      { AWS_ACCESS_KEY_ID: undefined },
      'publish',
      '--dry-run',
      file,
      '--s3-endpoint',
      stack.s3Endpoint,
      '--dynamo-endpoint',
      stack.dynamoEndpoint,
      '--site-url',
      stack.siteUrl,
    );
    await stack.whenIdle();

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 updated');
    expect(hub.pings.length).toBe(before);
  });

  it('retries a hub answering 503, and a hub that stays down never fails the render', async () => {
    // Prepare
    const before = hub.pings.length;
    let refused = 0;
    hub.status = (ping) => (ping.urls[0]?.includes('/feeds/all/') ? 503 : refused++ < 2 ? 503 : 202);

    // Act
    await upload('websub-2.txt', digestText({ date: 'Mar 02, 2021', title: 'Second hub story' }));
    hub.status = () => 202;

    // Assess
    const pinged = hub.pings.slice(before).flatMap((ping) => ping.urls);
    expect(pinged.sort()).toEqual(feedUrls('local-stack', 'issues'));
    expect(refused).toBeGreaterThanOrEqual(2);
    const feed = await fetch(new URL('feeds/all/rss.xml', stack.siteUrl));
    expect(await feed.text()).toContain('Second hub story');
  });
});
