import type { IngestReport } from '@feedwright/pipeline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWithFeedsmith, siteProblems } from '../../support/validators.ts';
import { COVER_ID, COVER_TITLE, SEED, SEED_STORIES, seedOn } from './digests.ts';
import { BASE_URL, expectBucketIsBuild, INCOMING, type Pipeline, SITE, startPipeline } from './harness.ts';

const KEY = 'digests/cx-daily-2020-12-01.txt';

describe('Pipeline: an upload becomes feeds', () => {
  let pipeline: Pipeline;
  const report = async (key: string): Promise<IngestReport | undefined> => {
    const body = await pipeline.read(INCOMING, `reports/${key}.json`);
    return body === undefined ? undefined : (JSON.parse(body) as IngestReport);
  };

  beforeEach(async () => {
    pipeline = await startPipeline();
  });

  afterEach(async () => {
    await pipeline.stop();
  });

  it('puts a story in its topic feed and in the all-stories feed, in every format', async () => {
    // Act
    await pipeline.publish(KEY, SEED);

    // Assess
    for (const [format, file] of [
      ['rss', 'rss.xml'],
      ['atom', 'atom.xml'],
      ['json', 'feed.json'],
    ] as const) {
      const topic = readWithFeedsmith(
        format,
        (await pipeline.read(SITE, `feeds/personal-data/${file}`)) ?? '',
      );
      const all = readWithFeedsmith(format, (await pipeline.read(SITE, `feeds/all/${file}`)) ?? '');
      expect(topic.items.map((item) => item.title)).toEqual([COVER_TITLE]);
      expect(topic.items[0]?.url).toBe(`${BASE_URL}stories/${COVER_ID}.html`);
      expect(all.items).toHaveLength(SEED_STORIES);
      expect(all.items.map((item) => item.title)).toContain(COVER_TITLE);
    }
    expect(await pipeline.read(SITE, `stories/${COVER_ID}.html`)).toContain('<link rel="canonical"');
    expect(await report(KEY)).toMatchObject({
      status: 'ok',
      stories: { total: SEED_STORIES, added: SEED_STORIES, updated: 0, withdrawn: 0, unchanged: 0 },
    });
  });

  it('writes the very tree feedwright build makes from the same digest, every file valid', async () => {
    // Act
    await pipeline.publish(KEY, SEED);

    // Assess
    const files = await expectBucketIsBuild(pipeline, [SEED]);
    expect(await siteProblems([...files].map(([path, body]) => ({ path, body })))).toEqual([]);
  });

  it('changes nothing when the same event is delivered twice', async () => {
    // Prepare
    const event = await pipeline.publish(KEY, SEED);
    const first = await report(KEY);
    const writes = pipeline.siteWrites();

    // Act
    await pipeline.ingest(event);
    const records = pipeline.recorder.take();
    await pipeline.render(records);

    // Assess
    expect(records).toEqual([]);
    expect(await report(KEY)).toEqual(first);
    expect(pipeline.siteWrites()).toBe(writes);
  });

  it('writes nothing to the site when the same file is uploaded twice', async () => {
    // Prepare
    await pipeline.publish(KEY, SEED);
    const writes = pipeline.siteWrites();

    // Act
    const event = await pipeline.upload(KEY, SEED);
    await pipeline.ingest(event);
    const records = pipeline.recorder.take();
    await pipeline.render(records);

    // Assess
    // Only the manifest (its sequencer moved on, then it was settled once the report was written) and
    // the issue record's event stamp, which render measures the upload's freshness from.
    expect(records.map((record) => record.dynamodb?.Keys?.pk?.S)).toEqual([
      `DIGEST#${KEY}`,
      'ISSUES#2020-12',
      `DIGEST#${KEY}`,
    ]);
    expect(await report(KEY)).toMatchObject({
      status: 'ok',
      sequencer: event.Records[0]?.s3.object.sequencer,
      stories: { total: SEED_STORIES, added: 0, unchanged: SEED_STORIES },
    });
    expect(pipeline.siteWrites()).toBe(writes);
  });

  it('writes nothing when the same stream batch is rendered again (bytes unchanged)', async () => {
    // Prepare
    await pipeline.ingest(await pipeline.upload(KEY, SEED));
    const records = pipeline.recorder.take();
    await pipeline.render(records);
    const writes = pipeline.siteWrites();
    const before = await pipeline.siteFiles();

    // Act
    const response = await pipeline.render(records);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(pipeline.siteWrites()).toBe(writes);
    expect(await pipeline.siteFiles()).toEqual(before);
  });

  it('takes a key with spaces and non-ASCII characters, URL-encoded as S3 sends it', async () => {
    // Prepare
    const key = 'digests/CX Daily – 2 Dec 2020 日报 (final)+.txt';

    // Act
    const event = await pipeline.publish(key, seedOn(2));

    // Assess
    expect(event.Records[0]?.s3.object.key).toBe(
      'digests/CX+Daily+%E2%80%93+2+Dec+2020+%E6%97%A5%E6%8A%A5+%28final%29%2B.txt',
    );
    expect(await report(key)).toMatchObject({ status: 'ok', key, stories: { added: SEED_STORIES } });
    const all = readWithFeedsmith('json', (await pipeline.read(SITE, 'feeds/all/feed.json')) ?? '');
    expect(all.items).toHaveLength(SEED_STORIES);
    expect(all.items.every((item) => item.url.includes('/stories/2020-12-02-'))).toBe(true);
  });
});
