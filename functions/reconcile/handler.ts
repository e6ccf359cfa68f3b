import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { parseAllowedSenders } from '@feedwright/mail';
import {
  createReconcileHandler,
  optionalPositiveInt,
  type ReconcileResult,
  requireEnv,
} from '@feedwright/pipeline';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

const s3 = new S3Client({});
const dynamo = new DynamoDBClient({});
const cloudFront = new CloudFrontClient({});
const logger = new Logger({ serviceName: 'feedwright-reconcile' });
const metrics = new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-reconcile' });
let run: ReturnType<typeof createReconcileHandler> | undefined;

/**
 * Lambda entry, run by the schedule or by an operator: env TABLE_NAME, INCOMING_BUCKET, SITE_BUCKET,
 * SITE_BASE_URL, SITE_TITLE?, ITEMS_PER_FEED?, FEED_MAX_BYTES?, MAX_DIGEST_BYTES?, DIGEST_TIMEZONE?,
 * ALLOWED_SENDERS? (as for ingest), DISTRIBUTION_ID?, POWERTOOLS_*.
 */
export const handler = middy<unknown, ReconcileResult, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(() => {
    run ??= createReconcileHandler({
      s3,
      dynamo,
      cloudFront,
      logger,
      metrics,
      tableName: requireEnv('TABLE_NAME'),
      incomingBucket: requireEnv('INCOMING_BUCKET'),
      siteBucket: requireEnv('SITE_BUCKET'),
      site: {
        baseUrl: requireEnv('SITE_BASE_URL'),
        siteTitle: process.env.SITE_TITLE || undefined,
        itemsPerFeed: optionalPositiveInt('ITEMS_PER_FEED'),
        maxFeedBytes: optionalPositiveInt('FEED_MAX_BYTES'),
      },
      maxDigestBytes: optionalPositiveInt('MAX_DIGEST_BYTES'),
      timezone: process.env.DIGEST_TIMEZONE || undefined,
      ...(process.env.ALLOWED_SENDERS
        ? { mail: { verdicts: 'ses', allowedSenders: parseAllowedSenders(process.env.ALLOWED_SENDERS) } }
        : {}),
      distributionId: process.env.DISTRIBUTION_ID || undefined,
    });
    return run();
  });
