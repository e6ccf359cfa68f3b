import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { siteConfigFromEnvironment } from '@feedwright/config';
// From subpaths, not the package's index, which reaches ingest's mail parsing and SNS client (see ingest).
import { requireEnv } from '@feedwright/pipeline/env';
import { createRenderHandler } from '@feedwright/pipeline/render-handler';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

// X-Ray (active tracing): each SDK call is a subsegment; the pipeline annotates digest keys and story ids.
const tracer = new Tracer({ serviceName: 'feedwright-render' });
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
const logger = new Logger({ serviceName: 'feedwright-render' });
const metrics = new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-render' });
let render: ReturnType<typeof createRenderHandler> | undefined;

/**
 * Lambda entry: env TABLE_NAME, SITE_BUCKET, INCOMING_BUCKET? (live reports, with freshness),
 * DISTRIBUTION_ID? (invalidate changed paths),
 * POWERTOOLS_*, and the site's settings (SITE_BASE_URL, SITE_TITLE, SITE_HUB_URL, ITEMS_PER_FEED, …:
 * `@feedwright/config`), which every function that renders reads alike. Read on the first
 * invocation, so importing needs none.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event, context) => {
    render ??= createRenderHandler({
      s3,
      dynamo,
      logger,
      metrics,
      tracer,
      incomingBucket: process.env.INCOMING_BUCKET || undefined,
      tableName: requireEnv('TABLE_NAME'),
      siteBucket: requireEnv('SITE_BUCKET'),
      distributionId: process.env.DISTRIBUTION_ID || undefined,
      site: siteConfigFromEnvironment(),
    });
    return render(event, context);
  });
