import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { siteConfigFromEnvironment } from '@feedwright/config';
// The subpath, not the package's index, which reaches every pipeline function's code (see ingest).
import { requireEnv } from '@feedwright/pipeline/env';
import { createSearchIndexHandler } from '@feedwright/search';
import middy from '@middy/core';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';

// X-Ray (active tracing): each SDK call is a subsegment of the invocation's trace.
const tracer = new Tracer({ serviceName: 'feedwright-search-index' });
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
const logger = new Logger({ serviceName: 'feedwright-search-index' });
const metrics = new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-search-index' });
let rebuild: ReturnType<typeof createSearchIndexHandler> | undefined;

/**
 * Lambda entry: env TABLE_NAME, SITE_BUCKET, PAGEFIND_EXTENDED_BINARY_PATH (Pagefind's indexer,
 * bundled beside the handler), POWERTOOLS_*, and the site's settings as every function that renders
 * reads them (SITE_BASE_URL, SITE_TITLE, …: `@feedwright/config`). Read on the first invocation, so
 * importing needs none.
 */
export const handler = middy<DynamoDBStreamEvent, void, Error, Context>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    rebuild ??= createSearchIndexHandler({
      s3,
      dynamo,
      logger,
      metrics,
      tableName: requireEnv('TABLE_NAME'),
      siteBucket: requireEnv('SITE_BUCKET'),
      site: siteConfigFromEnvironment(),
    });
    await rebuild(event);
  });
