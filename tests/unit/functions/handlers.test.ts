import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { handler as ingestEntry } from '@feedwright/fn-ingest';
import { handler as renderEntry } from '@feedwright/fn-render';
import { handler as searchIndexEntry } from '@feedwright/fn-search-index';
import { createIngestHandler, createRenderHandler } from '@feedwright/pipeline';
import { createSearchIndexHandler } from '@feedwright/search';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unreachableClients } from '../../support/unreachable-clients.ts';
import { loadS3Event, loadStreamEvent } from './events.ts';

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const quiet = (serviceName: string) => ({
  logger: new Logger({ serviceName, logLevel: 'SILENT' }),
  metrics: new Metrics({ namespace: 'feedwright', serviceName, logger: silent }),
});

describe('Lambda entries', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    delete process.env.TABLE_NAME;
    delete process.env.SITE_BUCKET;
    delete process.env.SITE_BASE_URL;
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('can be imported without environment and names the missing variable when invoked', async () => {
    // Act & Assess
    await expect(ingestEntry(loadS3Event('put'), context)).rejects.toThrow(/TABLE_NAME is not set/);
    await expect(renderEntry(loadStreamEvent('story-insert'), context)).rejects.toThrow(
      /TABLE_NAME is not set/,
    );
    await expect(searchIndexEntry(loadStreamEvent('story-insert'), context)).rejects.toThrow(
      /TABLE_NAME is not set/,
    );
  });
});

describe('Function: createSearchIndexHandler', () => {
  it('fails the invocation when the stories cannot be read, so that the stream retries the batch', async () => {
    // Prepare
    const { s3, dynamo, calls } = unreachableClients();
    const rebuild = createSearchIndexHandler({
      s3,
      dynamo,
      tableName: 'feedwright',
      siteBucket: 'site',
      site: { baseUrl: 'https://feeds.example.com/' },
      ...quiet('feedwright-search-index'),
    });

    // Act & Assess
    await expect(rebuild(loadStreamEvent('story-insert'))).rejects.toThrow(/no AWS in unit tests/);
    expect(calls).toEqual(['QueryCommand']);
  });
});

describe('Function: createIngestHandler', () => {
  it('ignores an object outside digests/ without calling AWS', async () => {
    // Prepare
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const { s3, dynamo, calls } = unreachableClients();
    const ingest = createIngestHandler({
      s3,
      dynamo,
      tableName: 'feedwright',
      ...quiet('feedwright-ingest'),
    });

    // Act
    await ingest(loadS3Event('put-outside-digests'));

    // Assess
    expect(calls).toEqual([]);
  });

  it('fails the invocation when the store cannot be reached, so that Lambda retries it', async () => {
    // Prepare
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const { s3, dynamo } = unreachableClients();
    const ingest = createIngestHandler({
      s3,
      dynamo,
      tableName: 'feedwright',
      ...quiet('feedwright-ingest'),
    });

    // Act
    const attempt = ingest(loadS3Event('delete'));

    // Assess
    await expect(attempt).rejects.toThrow(/1 of 1 digest events failed/);
  });
});

describe('Function: createRenderHandler', () => {
  it('answers a batch without story changes with no failures and no AWS call', async () => {
    // Prepare
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const { s3, dynamo, calls } = unreachableClients();
    const render = createRenderHandler({
      s3,
      dynamo,
      tableName: 'feedwright',
      siteBucket: 'feedwright-site',
      ...quiet('feedwright-render'),
    });

    // Act
    const response = await render(loadStreamEvent('manifest-modify'), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([]);
  });

  it('fails the whole batch when nothing can be rendered, so that the stream retries it', async () => {
    // Prepare
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const { s3, dynamo } = unreachableClients();
    const render = createRenderHandler({
      s3,
      dynamo,
      tableName: 'feedwright',
      siteBucket: 'feedwright-site',
      ...quiet('feedwright-render'),
    });

    // Act
    const attempt = render(loadStreamEvent('story-insert'), context);

    // Assess
    await expect(attempt).rejects.toThrow('no AWS in unit tests');
  });
});
