import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { digestReadingFromEnvironment, siteConfigFromEnvironment } from '@feedwright/config';
import { parseAllowedSenders } from '@feedwright/mail/sender-policy';
// From subpaths, not the package's index, which reaches ingest's and render's code (see ingest).
import { requireEnv } from '@feedwright/pipeline/env';
import {
  createReconcileHandler,
  loadCloudFrontSdk,
  type ReconcileResult,
} from '@feedwright/pipeline/reconcile-handler';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

// X-Ray (active tracing): each SDK call is a subsegment; the pipeline annotates digest keys and story ids.
const tracer = new Tracer({ serviceName: 'feedwright-reconcile' });
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
// Made (and its SDK loaded) with the first invalidation, after the objects are rewritten.
const cloudFront = async (): Promise<CloudFrontClient> =>
  tracer.captureAWSv3Client(new (await loadCloudFrontSdk()).CloudFrontClient({}));
const logger = new Logger({ serviceName: 'feedwright-reconcile' });
const metrics = new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-reconcile' });
let run: ReturnType<typeof createReconcileHandler> | undefined;

/**
 * Lambda entry, run by the schedule or by an operator: env TABLE_NAME, INCOMING_BUCKET, SITE_BUCKET,
 * DISTRIBUTION_ID?, POWERTOOLS_*, the site's settings exactly as render reads them (SITE_BASE_URL,
 * SITE_TITLE, SITE_HUB_URL, …) and the digest settings exactly as ingest reads them
 * (MAX_DIGEST_BYTES, DIGEST_TIMEZONE, ALLOWED_SENDERS): `@feedwright/config`.
 */
export const handler = middy<unknown, ReconcileResult, Error, Context>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(() => {
    run ??= fromEnvironment();
    return run();
  });

/** The adapter, built from the function's environment (read once, on the first invocation). */
function fromEnvironment(): ReturnType<typeof createReconcileHandler> {
  const digest = digestReadingFromEnvironment();
  return createReconcileHandler({
    s3,
    dynamo,
    cloudFront,
    logger,
    metrics,
    tableName: requireEnv('TABLE_NAME'),
    incomingBucket: requireEnv('INCOMING_BUCKET'),
    siteBucket: requireEnv('SITE_BUCKET'),
    site: siteConfigFromEnvironment(),
    maxDigestBytes: digest.maxDigestBytes,
    timezone: digest.digestTimezone,
    ...(digest.allowedSenders === undefined
      ? {}
      : { mail: { verdicts: 'ses', allowedSenders: parseAllowedSenders(digest.allowedSenders) } }),
    distributionId: process.env.DISTRIBUTION_ID || undefined,
  });
}
