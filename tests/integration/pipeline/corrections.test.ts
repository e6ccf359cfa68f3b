import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { IngestReport } from '@feedwright/pipeline';
import { buildSite, resolveSiteConfig } from '@feedwright/site';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWithFeedsmith } from '../../support/validators.ts';
import { COVER_ID, SEED, SEED_STORIES } from './digests.ts';
import { BASE_URL, INCOMING, type Pipeline, SITE, startPipeline } from './harness.ts';

const KEY = 'digests/cx-daily-2020-12-01.txt';
const METALS_ID = '2020-12-01-metals-chinese-banks-to-suspend-opening-of-precious';

/** The seed as an editor corrects it: the Metals section dropped, the cover story's first line edited. */
const CORRECTED = SEED.replace(/\nMetals \/\n[\s\S]*?\n(?=Cash \/\n)/, '\n').replace(
  'A string of high-profile data breaches',
  'A long string of high-profile data breaches',
);

describe('Pipeline: corrections, deletes and late events', () => {
  let pipeline: Pipeline;
  const report = async (): Promise<IngestReport | undefined> => {
    const body = await pipeline.read(INCOMING, `reports/${KEY}.json`);
    return body === undefined ? undefined : (JSON.parse(body) as IngestReport);
  };
  const feed = async (slug: string) =>
    readWithFeedsmith('atom', (await pipeline.read(SITE, `feeds/${slug}/atom.xml`)) ?? '<feed/>');

  beforeEach(async () => {
    pipeline = await startPipeline();
  });

  afterEach(async () => {
    await pipeline.stop();
  });

  it('updates an edited story under the same id and withdraws a removed one, page and feed', async () => {
    // Prepare
    await pipeline.publish(KEY, SEED);
    const before = (await feed('personal-data')).items[0];

    // Act
    await pipeline.publish(KEY, CORRECTED);

    // Assess
    const after = (await feed('personal-data')).items[0];
    expect(after?.id).toBe(before?.id);
    expect(after?.contentHtml).toContain('A long string of high-profile data breaches');
    expect(before?.contentHtml).not.toContain('A long string');
    expect(await pipeline.read(SITE, `stories/${COVER_ID}.html`)).toContain('A long string of');
    expect(await pipeline.read(SITE, `stories/${METALS_ID}.html`)).toBeUndefined();
    expect(await pipeline.read(SITE, 'feeds/metals/rss.xml')).toBeUndefined();
    expect((await feed('all')).items.map((item) => item.url)).not.toContain(
      expect.stringContaining(METALS_ID),
    );
    expect((await feed('all')).items).toHaveLength(SEED_STORIES - 1);
    expect(await pipeline.read(SITE, 'index.html')).not.toContain('feeds/metals/');
    // Stories after the dropped one move up a place, and a story's time is the digest's time minus its
    // place in seconds: so they are updates too (same ids), and only the one before it is unchanged.
    expect(await report()).toMatchObject({
      status: 'ok',
      stories: { total: SEED_STORIES - 1, added: 0, updated: SEED_STORIES - 2, withdrawn: 1, unchanged: 1 },
    });
  });

  it('withdraws every story of a deleted digest and reports it', async () => {
    // Prepare
    await pipeline.publish(KEY, SEED);

    // Act
    await pipeline.s3.send(new DeleteObjectCommand({ Bucket: INCOMING, Key: KEY }));
    await pipeline.ingest(pipeline.removed(KEY));
    await pipeline.render();

    // Assess
    expect(await report()).toMatchObject({ status: 'withdrawn', stories: { withdrawn: SEED_STORIES } });
    const files = [...(await pipeline.siteFiles()).keys()].sort();
    // What build makes of no digest: the all-stories feeds, the empty listings and sitemap.
    expect(files).toEqual(
      buildSite([], resolveSiteConfig({ baseUrl: BASE_URL }), { issues: [] }).map((f) => f.path),
    );
    expect((await feed('all')).items).toEqual([]);
  });

  it('never lets an older upload event overwrite a newer upload', async () => {
    // Prepare: two uploads whose events arrive in the wrong order
    const older = await pipeline.upload(KEY, SEED);
    const newer = await pipeline.upload(KEY, CORRECTED);
    await pipeline.ingest(newer);
    await pipeline.render();
    const live = await report();

    // Act
    await pipeline.ingest(older);
    const records = pipeline.recorder.take();
    await pipeline.render(records);

    // Assess
    expect(records).toEqual([]);
    expect(await report()).toEqual(live);
    expect(live?.sequencer).toBe(newer.Records[0]?.s3.object.sequencer);
    expect((await feed('all')).items).toHaveLength(SEED_STORIES - 1);
    expect((await feed('personal-data')).items[0]?.contentHtml).toContain('A long string of');
  });

  it('never lets a late delete event withdraw the upload that came after it', async () => {
    // Prepare: uploaded, deleted, uploaded again; the delete's event comes last
    const first = await pipeline.upload(KEY, SEED);
    const deleted = pipeline.removed(KEY);
    const again = await pipeline.upload(KEY, SEED);
    await pipeline.ingest(first);
    await pipeline.ingest(again);
    await pipeline.render();

    // Act
    await pipeline.ingest(deleted);
    await pipeline.render();

    // Assess
    expect((await feed('all')).items).toHaveLength(SEED_STORIES);
    expect(await report()).toMatchObject({ status: 'ok', sequencer: again.Records[0]?.s3.object.sequencer });
  });

  it('ends with the newer upload when two uploads of one key are ingested at the same time', async () => {
    // Prepare
    await pipeline.publish(KEY, SEED);
    const older = await pipeline.upload(KEY, SEED.replace('A string of', 'An older string of'));
    const newer = await pipeline.upload(KEY, CORRECTED);

    // Act
    await Promise.all([pipeline.ingest(older), pipeline.ingest(newer)]);
    await pipeline.render();

    // Assess
    expect((await feed('all')).items).toHaveLength(SEED_STORIES - 1);
    expect((await feed('personal-data')).items[0]?.contentHtml).toContain('A long string of');
    expect(await pipeline.read(SITE, 'feeds/metals/atom.xml')).toBeUndefined();
    expect(await report()).toMatchObject({ status: 'ok' });
  });
});
