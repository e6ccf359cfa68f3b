import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { encodePath, resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import {
  createDynamoIssueRegistry,
  createDynamoStoryStore,
  S3DigestSource,
  S3SiteStore,
} from '@feedwright/storage';
import { CloudFrontInvalidator, invalidationPaths } from '@feedwright/storage/cdn';
import { liveReportKeyFor } from '@feedwright/storage/schema';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type DigestLive, digestsLive } from '../freshness.ts';
import { annotationList, type PipelineLogger, type TraceAnnotator, withCorrelationId } from '../logger.ts';
import { METRIC_NAMESPACE, METRICS, SERVICE_NAMES } from '../metrics.ts';
import { runRenderPlan } from '../render.ts';
import { planRender } from '../render-plan.ts';
import { publishToHub } from '../websub.ts';

/** What the render adapter is built from. */
export interface RenderDependencies {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly siteBucket: string;
  /** baseUrl, siteTitle, itemsPerFeed, maxFeedBytes… @default the site package's defaults */
  readonly site?: Partial<SiteConfig>;
  /** @default a Powertools Logger for service `feedwright-render` */
  readonly logger?: PipelineLogger;
  /** @default Powertools Metrics, namespace `feedwright`, service `feedwright-render` */
  readonly metrics?: Metrics;
  /** The CloudFront distribution in front of the site: changed paths are invalidated after each render. */
  readonly distributionId?: string;
  /**
   * The client, or a function that makes it with the first invalidation (see `CloudFrontInvalidator`).
   * @default new CloudFrontClient({}) when `distributionId` is given, made with the first invalidation
   */
  readonly cloudFront?: CloudFrontClient | (() => CloudFrontClient | Promise<CloudFrontClient>);
  /**
   * Write the archive too (topic, month and issue pages, RFC 5005 archive documents, the issue feed, the
   * sitemap), as `feedwright build` does: see `RenderServices.archive`. Off only for measuring.
   * @default true
   */
  readonly archive?: boolean;
  /**
   * The incoming bucket: each digest that went live gets `reports/live/<key>.json` there (its event,
   * when it went live, its freshness), next to ingest's report, for `feedwright status`.
   * @default undefined - freshness is measured, logged and counted, not written
   */
  readonly incomingBucket?: string;
  /** Annotates the invocation's trace with the batch's digest keys and story ids. @default none */
  readonly tracer?: TraceAnnotator;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Told of each digest that went live, after it is logged and counted (the local stack prints it). */
  readonly onLive?: (live: DigestLive) => void;
}

/** A record whose render work failed; Lambda retries the batch from the earliest such record. */
class RenderFailedError extends Error {
  override readonly name = 'RenderFailedError';
}

/**
 * The render Lambda adapter: a DynamoDB stream batch → a render plan → `runRenderPlan` → a partial batch
 * response. The function's middy chain (logger context, metrics flush) wraps it in `functions/render`.
 *
 * Rendering is per batch, not per record: the batch is planned (touched stories and topics), each unit
 * rendered once, and then Powertools' `BatchProcessor` reports exactly the records that touched a
 * failed unit. For a stream, Lambda checkpoints before the lowest reported sequence number and retries
 * from there (bisecting when configured); every record before it only touched units that succeeded, so
 * nothing is skipped. If every record failed, `processPartialResponse` throws and the whole batch is
 * retried.
 */
export function createRenderHandler(
  deps: RenderDependencies,
): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE_NAMES.render });
  const metrics =
    deps.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE_NAMES.render });
  const reports = deps.incomingBucket === undefined ? undefined : new S3DigestSource({ client: deps.s3 });
  const now = deps.now ?? (() => new Date());
  const stories = createDynamoStoryStore({ tableName: deps.tableName, client: deps.dynamo });
  const services = {
    stories,
    redirects: stories,
    ...(deps.archive === false
      ? {}
      : {
          archive: {
            stories,
            issues: createDynamoIssueRegistry({ tableName: deps.tableName, client: deps.dynamo }),
          },
        }),
    site: new S3SiteStore({ bucket: deps.siteBucket, client: deps.s3 }),
    config: resolveSiteConfig(deps.site),
    logger,
    ...(deps.distributionId
      ? {
          cdn: new CloudFrontInvalidator({
            distributionId: deps.distributionId,
            ...(deps.cloudFront === undefined ? {} : { client: deps.cloudFront }),
          }),
        }
      : {}),
  };

  return async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    const records = event.Records ?? [];
    const plan = planRender(records);
    if (plan.digests.size > 0) deps.tracer?.putAnnotation('digestKeys', annotationList(plan.digests.keys()));
    if (plan.storyIds.size > 0) deps.tracer?.putAnnotation('storyIds', annotationList(plan.storyIds));
    const result = await runRenderPlan(plan, services);
    logger.info('batch rendered', {
      records: records.length,
      stories: plan.storyIds.size,
      topics: [...plan.topics],
      written: result.written,
      unchanged: result.unchanged,
      deleted: result.deleted,
      invalidated: services.cdn === undefined ? 0 : result.changedPaths.length,
      failedUnits: [...result.failed.keys()],
      digests: [...plan.digests.keys()],
    });
    const names = METRICS.render;
    metrics.addMetric(names.objectsWritten, MetricUnit.Count, result.written);
    metrics.addMetric(names.objectsUnchanged, MetricUnit.Count, result.unchanged);
    metrics.addMetric(names.objectsDeleted, MetricUnit.Count, result.deleted);
    if (services.cdn !== undefined) {
      metrics.addMetric(
        names.invalidationPaths,
        MetricUnit.Count,
        invalidationPaths(result.changedPaths).length,
      );
    }
    // Only a batch rendered in full makes its digests live; a failed one is retried and measured then.
    if (result.failed.size === 0) {
      for (const live of digestsLive(plan.digests.values(), now())) {
        await reportLive(live);
      }
    }

    // WebSub: after the writes (and the invalidation), so a hub fetching a feed at once gets the new
    // bytes (feeds are revalidated by the edge when a hub is set); never fails the batch.
    const hubUrl = services.config.hubUrl;
    if (hubUrl !== null && result.changedFeeds.length > 0) {
      const feedUrls = result.changedFeeds.map((path) => `${services.config.baseUrl}${encodePath(path)}`);
      const pinged = await publishToHub(feedUrls, { hubUrl, logger });
      logger.info('hub notified', { hub: hubUrl, published: pinged.published, failed: pinged.failed });
      metrics.addMetric(names.hubNotificationsSent, MetricUnit.Count, pinged.published.length);
      metrics.addMetric(names.hubNotificationsFailed, MetricUnit.Count, pinged.failed.length);
    }

    async function reportLive(live: DigestLive): Promise<void> {
      const log = withCorrelationId(logger, live.key);
      log.info('digest live', { ...live });
      if (live.freshnessMs !== undefined) {
        metrics.addMetric(names.freshness, MetricUnit.Milliseconds, live.freshnessMs);
      }
      if (reports !== undefined && deps.incomingBucket !== undefined) {
        try {
          await reports.putReport(deps.incomingBucket, liveReportKeyFor(live.key), live);
        } catch (error) {
          // The site is right; only the status view misses this digest's freshness.
          log.warn('live report not written', { key: live.key, error: error as Error });
        }
      }
      deps.onLive?.(live);
    }

    const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
      const units = plan.unitsByRecord.get(record.dynamodb?.SequenceNumber ?? '') ?? [];
      const failedUnit = units.find((unit) => result.failed.has(unit));
      if (failedUnit !== undefined) {
        throw new RenderFailedError(`rendering ${failedUnit} failed`, {
          cause: result.failed.get(failedUnit),
        });
      }
    };
    const processor = new BatchProcessor(EventType.DynamoDBStreams, { logger });
    return processPartialResponse(event, recordHandler, processor, { context });
  };
}
