import type { IngestReport } from '@feedwright/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWithFeedsmith } from '../../support/validators.ts';
import { SEED_STORIES, seedOn } from './digests.ts';
import { expectBucketIsBuild, INCOMING, type Pipeline, SITE, startPipeline } from './harness.ts';

const DAYS = Array.from({ length: 10 }, (_, i) => i + 2);
/** A stream delivers at most this many records per batch (the stack's batch size is larger; smaller here). */
const BATCH = 40;

describe('Pipeline: ten digests at once', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it('loses no story when ten digests touching the same topics are ingested concurrently', async () => {
    // Prepare: ten editions of the seed, other days, same topics
    const events = await Promise.all(
      DAYS.map((day) => pipeline.upload(`digests/cx-daily-12-${day}.txt`, seedOn(day))),
    );

    // Act
    await Promise.all(events.map((event) => pipeline.ingest(event)));
    const records = pipeline.recorder.take();
    for (let start = 0; start < records.length; start += BATCH) {
      const response = await pipeline.render(records.slice(start, start + BATCH));
      expect(response.batchItemFailures).toEqual([]);
    }

    // Assess
    const inserted = records.filter(
      (record) => record.eventName === 'INSERT' && record.dynamodb?.Keys?.pk?.S?.startsWith('STORY#'),
    );
    expect(new Set(inserted.map((record) => record.dynamodb?.Keys?.pk?.S)).size).toBe(
      DAYS.length * SEED_STORIES,
    );
    for (const day of DAYS) {
      const report = JSON.parse(
        (await pipeline.read(INCOMING, `reports/digests/cx-daily-12-${day}.txt.json`)) ?? '{}',
      ) as IngestReport;
      expect(report).toMatchObject({ status: 'ok', stories: { added: SEED_STORIES } });
    }
    const personal = readWithFeedsmith(
      'rss',
      (await pipeline.read(SITE, 'feeds/personal-data/rss.xml')) ?? '',
    );
    expect(personal.items).toHaveLength(DAYS.length);

    await expectBucketIsBuild(
      pipeline,
      DAYS.map((day) => seedOn(day)),
    );
  });
});
