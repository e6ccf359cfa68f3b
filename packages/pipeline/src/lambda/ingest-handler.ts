import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_MAX_DIGEST_BYTES } from '@feedwright/digest';
import type { SenderPolicy } from '@feedwright/mail';
import { createDynamoIssueRegistry, createDynamoStoryStore, S3DigestSource } from '@feedwright/storage';
import type { KeyLimits } from '@feedwright/storage/schema';
import type { S3Event } from 'aws-lambda';
import { ingestDigestEvent } from '../ingest.ts';
import { annotationList, type PipelineLogger, type TraceAnnotator, withCorrelationId } from '../logger.ts';
import { METRIC_NAMESPACE, METRICS, SERVICE_NAMES } from '../metrics.ts';
import type { IngestReport } from '../report.ts';
import { digestEventsOf, isMailKey } from '../s3-events.ts';
import type { ReportNotifier } from './report-topic.ts';

/** What the ingest adapter is built from. */
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
  /** Who may publish by mail (`mail/` objects). @default undefined - mailed digests are refused */
  readonly mail?: SenderPolicy;
  /** The keys the incoming bucket can hold (the local S3's are shorter). @default S3_KEY_LIMITS */
  readonly keyLimits?: KeyLimits;
  /** @default a Powertools Logger for service `feedwright-ingest` */
  readonly logger?: PipelineLogger;
  /** @default Powertools Metrics, namespace `feedwright`, service `feedwright-ingest` */
  readonly metrics?: Metrics;
  /** Sends every written report to editors (the SNS topic on AWS). @default none */
  readonly notifier?: ReportNotifier;
  /** Annotates the invocation's trace with the digest key (`digestKey`). @default none */
  readonly tracer?: TraceAnnotator;
}

/** Thrown after every record was tried when some failed: Lambda retries the event, done records are no-ops. */
class IngestFailedError extends Error {
  override readonly name = 'IngestFailedError';
}

/**
 * The ingest Lambda adapter: an S3 ObjectCreated/ObjectRemoved notification (keys URL-encoded as AWS
 * sends them) → one `ingestDigestEvent` per digest record → logs and metrics; throws when any record
 * failed so that Lambda retries the event. The function's middy chain (logger context, metrics
 * flush) wraps it in `functions/ingest`.
 */
export function createIngestHandler(deps: IngestDependencies): (event: S3Event) => Promise<void> {
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE_NAMES.ingest });
  const metrics =
    deps.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE_NAMES.ingest });
  const stories = createDynamoStoryStore({ tableName: deps.tableName, client: deps.dynamo });
  const services = {
    source: new S3DigestSource({ client: deps.s3 }),
    stories,
    redirects: stories,
    issues: createDynamoIssueRegistry({ tableName: deps.tableName, client: deps.dynamo }),
    maxDigestBytes: deps.maxDigestBytes ?? DEFAULT_MAX_DIGEST_BYTES,
    timezone: deps.timezone ?? 'UTC',
    ...(deps.mail === undefined ? {} : { mail: deps.mail }),
    ...(deps.keyLimits === undefined ? {} : { keyLimits: deps.keyLimits }),
    logger,
  };

  return async (event: S3Event): Promise<void> => {
    const { events, ignored } = digestEventsOf(event);
    for (const record of ignored) logger.info('record ignored', { ...record });
    if (events.length > 0) {
      deps.tracer?.putAnnotation('digestKey', annotationList(events.map((entry) => entry.key)));
    }
    const failures: unknown[] = [];
    // One at a time: S3 sends one record per event, and two records of one key must apply in order.
    for (const digestEvent of events) {
      const { key, sequencer, eventName } = digestEvent;
      // Every line about this digest, in every function, carries its key: one query finds its path.
      const log = withCorrelationId(logger, key);
      try {
        const { report, persisted } = await ingestDigestEvent(digestEvent, { ...services, logger: log });
        log.info('digest processed', {
          key,
          sequencer,
          eventName,
          status: report.status,
          stories: report.stories,
          warnings: report.warnings.length,
          ...(report.reason === undefined ? {} : { reason: report.reason }),
          reportWritten: persisted,
        });
        if (persisted && deps.notifier !== undefined) {
          // The report is written and the stories applied: a notification that fails must not make
          // Lambda retry work that is done (the retry would be a duplicate and notify nobody).
          try {
            await deps.notifier.notify(report);
          } catch (error) {
            log.warn('report notification failed', { key, error: error as Error });
            metrics.addMetric(METRICS.ingest.reportNotificationsFailed, MetricUnit.Count, 1);
          }
        }
        countReport(metrics, report);
      } catch (error) {
        log.error('digest failed; the event will be retried', {
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
}

/** The metrics of one report: digests by outcome, refusals by channel and reason, stories by change. */
function countReport(metrics: Metrics, report: IngestReport): void {
  const names = METRICS.ingest;
  const count = (name: string, value: number): void => {
    metrics.addMetric(name, MetricUnit.Count, value);
  };
  if (report.status === 'ok') count(names.digestsIngested, 1);
  if (report.status === 'skipped') count(names.digestsSkipped, 1);
  if (report.status === 'withdrawn') count(names.digestsWithdrawn, 1);
  if (report.status === 'rejected') {
    count(names.digestsRejected, 1);
    const mail = isMailKey(report.key);
    if (mail) count(names.mailRefused, 1);
    // Dimensions of its own: a single metric, flushed at once, keeps them off the other metrics.
    const byReason = metrics.singleMetric();
    byReason.addDimensions({ channel: mail ? 'mail' : 'file', reason: report.code ?? 'UNKNOWN' });
    byReason.addMetric(names.digestsRejectedByReason, MetricUnit.Count, 1);
  }
  if (report.status === 'ok' || report.status === 'withdrawn') {
    count(names.storiesWritten, report.stories.added + report.stories.updated);
    count(names.storiesCorrected, report.stories.updated);
    count(names.storiesWithdrawn, report.stories.withdrawn);
  }
}
