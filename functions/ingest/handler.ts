import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { digestReadingFromEnvironment } from '@feedwright/config';
import { parseAllowedSenders } from '@feedwright/mail/sender-policy';
// Each from its own subpath, never the package's index: the index reaches every handler's code, and
// every module it reaches with `import()` (mail parsing, the CloudFront SDK) would share chunks with
// this function's init.
import { requireEnv } from '@feedwright/pipeline/env';
import { createIngestHandler } from '@feedwright/pipeline/ingest-handler';
import { loadSnsSdk, SnsReportNotifier } from '@feedwright/pipeline/report-topic';
import middy from '@middy/core';
import type { Context, S3Event } from 'aws-lambda';

// X-Ray (active tracing): each SDK call is a subsegment; the pipeline annotates digest keys and story ids.
const tracer = new Tracer({ serviceName: 'feedwright-ingest' });
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
// The SNS client is made (and its SDK loaded) with the first report, after that digest's stories
// are written: loading it at init would delay every cold ingest before its stories are written.
const sns = async (): Promise<SNSClient> => tracer.captureAWSv3Client(new (await loadSnsSdk()).SNSClient({}));
const logger = new Logger({ serviceName: 'feedwright-ingest' });
const metrics = new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-ingest' });
let ingest: ReturnType<typeof createIngestHandler> | undefined;

/**
 * Lambda entry: env TABLE_NAME, REPORT_TOPIC_ARN? (each report goes to that SNS topic), POWERTOOLS_*,
 * and the digest settings (MAX_DIGEST_BYTES, DIGEST_TIMEZONE, ALLOWED_SENDERS: set with
 * `-c mailDomain`, mailed digests from these senders, authenticated by SES, are accepted), read
 * through `@feedwright/config` as reconcile reads them. The environment is read on the first
 * invocation, so importing this module needs none of it.
 */
export const handler = middy<S3Event, void, Error, Context>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event) => {
    ingest ??= fromEnvironment();
    return ingest(event);
  });

/** The adapter, built from the function's environment (read once, on the first invocation). */
function fromEnvironment(): ReturnType<typeof createIngestHandler> {
  const digest = digestReadingFromEnvironment();
  return createIngestHandler({
    s3,
    dynamo,
    logger,
    metrics,
    tracer,
    tableName: requireEnv('TABLE_NAME'),
    maxDigestBytes: digest.maxDigestBytes,
    timezone: digest.digestTimezone,
    ...(digest.allowedSenders === undefined
      ? {}
      : { mail: { verdicts: 'ses', allowedSenders: parseAllowedSenders(digest.allowedSenders) } }),
    ...(process.env.REPORT_TOPIC_ARN
      ? { notifier: new SnsReportNotifier({ client: sns, topicArn: process.env.REPORT_TOPIC_ARN }) }
      : {}),
  });
}
