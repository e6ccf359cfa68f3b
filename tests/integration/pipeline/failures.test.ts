import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IngestReport } from '@feedwright/pipeline';
import { createRenderHandler } from '@feedwright/pipeline';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { readWithFeedsmith } from '../../support/validators.ts';
import { SEED, SEED_STORIES } from './digests.ts';
import { BASE_URL, fakeContext, INCOMING, type Pipeline, SITE, startPipeline } from './harness.ts';

const KEY = 'digests/cx-daily-2020-12-01.txt';

/** Makes the Nth PutItem sent through `client` fail as a throttled or broken DynamoDB would. */
function failNthPut(client: DynamoDBClient, n: number): void {
  let puts = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutItemCommand') {
        puts += 1;
        if (puts === n) throw new Error('InternalServerError: injected on write');
      }
      return next(args);
    },
    { step: 'initialize', name: 'failNthPut' },
  );
}

const storyKeys = (records: readonly DynamoDBRecord[], eventName: string): string[] =>
  records
    .filter((record) => record.eventName === eventName && record.dynamodb?.Keys?.pk?.S?.startsWith('STORY#'))
    .map((record) => record.dynamodb?.Keys?.pk?.S ?? '');

describe('Pipeline: failures and retries', () => {
  let pipeline: Pipeline;

  afterEach(async () => {
    await pipeline.stop();
  });

  it('fails ingest when the store fails mid-way, and the retry completes with nothing duplicated', async () => {
    // Prepare: write 1 claims the digest, 2–11 register topics, 12–26 are the stories
    pipeline = await startPipeline({ decorateIngestDynamo: (client) => failNthPut(client, 18) });
    const event = await pipeline.upload(KEY, SEED);

    // Act
    const failed = pipeline.ingest(event);
    await expect(failed).rejects.toThrow(/digest events failed/);
    const partial = pipeline.recorder.take();
    await pipeline.render(partial);
    await pipeline.ingest(event);
    const rest = pipeline.recorder.take();
    await pipeline.render(rest);

    // Assess
    const inserted = [...storyKeys(partial, 'INSERT'), ...storyKeys(rest, 'INSERT')];
    expect(storyKeys(partial, 'INSERT').length).toBeGreaterThan(0);
    expect(inserted).toHaveLength(SEED_STORIES);
    expect(new Set(inserted).size).toBe(SEED_STORIES);
    expect(storyKeys([...partial, ...rest], 'REMOVE')).toEqual([]);
    const items = await pipeline.tableItems();
    expect(items.filter((item) => (item.pk as { S: string }).S.startsWith('STORY#'))).toHaveLength(
      SEED_STORIES,
    );
    const all = readWithFeedsmith('rss', (await pipeline.read(SITE, 'feeds/all/rss.xml')) ?? '');
    expect(new Set(all.items.map((item) => item.id)).size).toBe(SEED_STORIES);
    const report = JSON.parse((await pipeline.read(INCOMING, `reports/${KEY}.json`)) ?? '{}') as IngestReport;
    expect(report).toMatchObject({ status: 'ok', stories: { total: SEED_STORIES, added: SEED_STORIES } });
  });

  it('reports only the records whose render failed, and a retry from there completes the site', async () => {
    // Prepare: a render whose writes to one topic's feeds fail
    pipeline = await startPipeline();
    await pipeline.ingest(await pipeline.upload(KEY, SEED));
    const records = pipeline.recorder.take();
    const s3 = pipeline.emulators.s3Client();
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: string }).Key ?? '';
        if (context.commandName === 'PutObjectCommand' && key.startsWith('feeds/metals/')) {
          throw new Error('SlowDown: injected on feeds/metals/');
        }
        return next(args);
      },
      { step: 'initialize', name: 'failMetals' },
    );
    const failing = createRenderHandler({
      s3,
      dynamo: pipeline.emulators.dynamoClient(),
      tableName: pipeline.emulators.tableName,
      siteBucket: SITE,
      site: { baseUrl: BASE_URL },
      logger: new Logger({ logLevel: 'SILENT' }),
    });

    // Act
    const response = await failing({ Records: records }, fakeContext('render'));
    const failedAt = records.findIndex(
      (record) => record.dynamodb?.SequenceNumber === response.batchItemFailures[0]?.itemIdentifier,
    );
    const retry = await pipeline.render(records.slice(failedAt));

    // Assess
    const metals = records.filter((record) =>
      record.dynamodb?.Keys?.pk?.S?.startsWith('STORY#2020-12-01-metals-'),
    );
    expect(response.batchItemFailures).toEqual(
      metals.map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber })),
    );
    expect(retry.batchItemFailures).toEqual([]);
    const feed = readWithFeedsmith('atom', (await pipeline.read(SITE, 'feeds/metals/atom.xml')) ?? '');
    expect(feed.items).toHaveLength(1);
  });
});
