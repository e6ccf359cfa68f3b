import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { issuesOfMonth } from '@feedwright/pipeline';
import { createDynamoIssueRegistry } from '@feedwright/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, SEED_STORIES } from './digests.ts';
import { INCOMING, type Pipeline, startPipeline } from './harness.ts';

const KEY = 'digests/cx daily.txt';

describe('Pipeline: issues in the table', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it('records the issue of a published digest through the real ingest handler, and withdraws it with the digest', async () => {
    // Prepare
    const registry = createDynamoIssueRegistry({
      tableName: pipeline.emulators.tableName,
      client: pipeline.emulators.dynamoClient(),
    });

    // Act
    await pipeline.publish(KEY, SEED);
    const published = await issuesOfMonth(registry, '2020-12');
    await pipeline.s3.send(new DeleteObjectCommand({ Bucket: INCOMING, Key: KEY }));
    await pipeline.ingest(pipeline.removed(KEY));
    const renderResult = await pipeline.render();

    // Assess
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      issueId: '2020-12-01-cx-daily-the-fight-over-china-s-law-to',
      title: 'CX Daily: The Fight Over China’s Law to Protect Personal Data',
      publishedAt: '2020-12-01T09:19:00Z',
    });
    expect(published[0]?.storyIds).toHaveLength(SEED_STORIES);
    expect(renderResult.batchItemFailures).toEqual([]);
    expect(await issuesOfMonth(registry, '2020-12')).toEqual([]);
  });
});
