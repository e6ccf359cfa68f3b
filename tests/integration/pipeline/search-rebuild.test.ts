import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { createSearchIndexHandler } from '@feedwright/search';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED, SEED_STORIES } from './digests.ts';
import { BASE_URL, type Pipeline, quiet, SITE, startPipeline } from './harness.ts';

const ENTRY = 'pagefind/pagefind-entry.json';

describe('Search-index handler: a rebuild by hand', () => {
  let pipeline: Pipeline;

  beforeEach(async () => {
    pipeline = await startPipeline();
  });

  afterEach(async () => {
    await pipeline.stop();
  });

  it('rebuilds the whole index from the live stories when invoked with an empty event, as SearchIndexCommand does', async () => {
    // Prepare: a published digest, and its index lost
    await pipeline.publish('digests/cx-daily-2020-12-01.txt', SEED);
    const rebuild = createSearchIndexHandler({
      s3: pipeline.s3,
      dynamo: pipeline.dynamo,
      tableName: pipeline.emulators.tableName,
      siteBucket: SITE,
      site: { baseUrl: BASE_URL },
      ...quiet('feedwright-search-index'),
    });
    await rebuild({} as DynamoDBStreamEvent);
    await pipeline.s3.send(new DeleteObjectCommand({ Bucket: SITE, Key: ENTRY }));

    // Act: `aws lambda invoke --payload '{}'`, no stream record
    const result = await rebuild({} as DynamoDBStreamEvent);

    // Assess
    expect(result.stories).toBe(SEED_STORIES);
    expect(result.written).toEqual([ENTRY]);
    const entry = JSON.parse((await pipeline.read(SITE, ENTRY)) ?? '{}') as {
      languages?: Record<string, { page_count: number }>;
    };
    expect(entry.languages?.en?.page_count).toBe(SEED_STORIES);
  });
});
