import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_MAX_DIGEST_BYTES } from '@feedwright/digest';
import { digestEventsOf, ingestDigestEvent, optionalPositiveInt, requireEnv } from '@feedwright/pipeline';
import { createDynamoStoryStore, S3DigestSource } from '@feedwright/storage';
import middy from '@middy/core';
import type { Context, S3Event } from 'aws-lambda';

/** What the ingest function is built from (contract-pipeline.md). */
export interface IngestDependencies {
  /** Reads `digests/…` and writes `reports/…`, in the event record's bucket. */
  readonly s3: S3Client;
  /** The adapter wraps it in a DynamoDBDocumentClient. */
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  /** @default 5 * 1024 * 1024 */
  readonly maxDigestBytes?: number;
  /** @default 'UTC' */
  readonly timezone?: string;
  /** @default a Powertools Logger for service `feedwright-ingest` */
  readonly logger?: Logger;
  /** @default Powertools Metrics, namespace `feedwright`, service `feedwright-ingest` */
  readonly metrics?: Metrics;
}

/** Thrown after every record was tried when some failed: Lambda retries the event, done records are no-ops. */
export class IngestFailedError extends Error {
  override readonly name = 'IngestFailedError';
}

/** A middy-wrapped handler for S3 ObjectCreated/ObjectRemoved notifications (keys URL-encoded as AWS sends them). */
export function createIngestHandler(
  deps: IngestDependencies,
): (event: S3Event, context: Context) => Promise<void> {
  const logger = deps.logger ?? new Logger({ serviceName: 'feedwright-ingest' });
  const metrics = deps.metrics ?? new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-ingest' });
  const services = {
    source: new S3DigestSource({ client: deps.s3 }),
    stories: createDynamoStoryStore({ tableName: deps.tableName, client: deps.dynamo }),
    maxDigestBytes: deps.maxDigestBytes ?? DEFAULT_MAX_DIGEST_BYTES,
    timezone: deps.timezone ?? 'UTC',
    logger,
  };

  const lambdaHandler = async (event: S3Event): Promise<void> => {
    const { events, ignored } = digestEventsOf(event);
    for (const record of ignored) logger.info('record ignored', { ...record });
    const failures: unknown[] = [];
    // One at a time: S3 sends one record per event, and two records of one key must apply in order.
    for (const digestEvent of events) {
      const { key, sequencer, eventName } = digestEvent;
      try {
        const { report, persisted } = await ingestDigestEvent(digestEvent, services);
        logger.info('digest processed', {
          key,
          sequencer,
          eventName,
          status: report.status,
          stories: report.stories,
          warnings: report.warnings.length,
          ...(report.reason === undefined ? {} : { reason: report.reason }),
          reportWritten: persisted,
        });
        if (report.status === 'ok') metrics.addMetric('DigestsIngested', MetricUnit.Count, 1);
        if (report.status === 'rejected') metrics.addMetric('DigestsRejected', MetricUnit.Count, 1);
        if (report.status === 'skipped') metrics.addMetric('DigestsSkipped', MetricUnit.Count, 1);
        if (report.status === 'ok' || report.status === 'withdrawn') {
          metrics.addMetric(
            'StoriesWritten',
            MetricUnit.Count,
            report.stories.added + report.stories.updated,
          );
          metrics.addMetric('StoriesWithdrawn', MetricUnit.Count, report.stories.withdrawn);
        }
      } catch (error) {
        logger.error('digest failed; the event will be retried', {
          key,
          sequencer,
          eventName,
          error: error as Error,
        });
        failures.push(error);
      }
    }
    if (failures.length > 0) {
      throw new IngestFailedError(
        `${failures.length} of ${events.length} digest events failed (see the logged errors); ` +
          'Lambda retries the event and records already applied are no-ops',
        { cause: failures[0] },
      );
    }
  };

  return middy<S3Event, void, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(lambdaHandler);
}

const s3 = new S3Client({});
const dynamo = new DynamoDBClient({});
let lambda: ((event: S3Event, context: Context) => Promise<void>) | undefined;

/**
 * Lambda entry: clients at module scope; env TABLE_NAME, MAX_DIGEST_BYTES?, DIGEST_TIMEZONE?, POWERTOOLS_*.
 * The environment is read on the first invocation, so importing this module needs none of it.
 */
export const handler = async (event: S3Event, context: Context): Promise<void> => {
  lambda ??= createIngestHandler({
    s3,
    dynamo,
    tableName: requireEnv('TABLE_NAME'),
    maxDigestBytes: optionalPositiveInt('MAX_DIGEST_BYTES'),
    timezone: process.env.DIGEST_TIMEZONE || undefined,
  });
  return lambda(event, context);
};
