import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { parseAllowedSenders } from '@feedwright/mail';
import {
  createIngestHandler,
  optionalPositiveInt,
  requireEnv,
  SnsReportNotifier,
} from '@feedwright/pipeline';
import middy from '@middy/core';
import type { Context, S3Event } from 'aws-lambda';

const s3 = new S3Client({});
const dynamo = new DynamoDBClient({});
const sns = new SNSClient({});
const logger = new Logger({ serviceName: 'feedwright-ingest' });
const metrics = new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-ingest' });
let ingest: ReturnType<typeof createIngestHandler> | undefined;

/**
 * Lambda entry: env TABLE_NAME, MAX_DIGEST_BYTES?, DIGEST_TIMEZONE?, REPORT_TOPIC_ARN? (each report
 * goes to that SNS topic), ALLOWED_SENDERS? (set with `-c mailDomain`: mailed digests from these
 * senders, authenticated by SES, are accepted), POWERTOOLS_*. The environment is read on the first
 * invocation, so importing this module needs none of it.
 */
export const handler = middy<S3Event, void, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event) => {
    ingest ??= createIngestHandler({
      s3,
      dynamo,
      logger,
      metrics,
      tableName: requireEnv('TABLE_NAME'),
      maxDigestBytes: optionalPositiveInt('MAX_DIGEST_BYTES'),
      timezone: process.env.DIGEST_TIMEZONE || undefined,
      ...(process.env.ALLOWED_SENDERS
        ? { mail: { verdicts: 'ses', allowedSenders: parseAllowedSenders(process.env.ALLOWED_SENDERS) } }
        : {}),
      ...(process.env.REPORT_TOPIC_ARN
        ? { notifier: new SnsReportNotifier({ client: sns, topicArn: process.env.REPORT_TOPIC_ARN }) }
        : {}),
    });
    return ingest(event);
  });
