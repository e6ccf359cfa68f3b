import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { encodePath, resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import {
  CloudFrontInvalidator,
  createDynamoIssueRegistry,
  createDynamoStoryStore,
  S3SiteStore,
} from '@feedwright/storage';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { renderPlan } from '../render.ts';
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
  readonly logger?: Logger;
  /** @default Powertools Metrics, namespace `feedwright`, service `feedwright-render` */
  readonly metrics?: Metrics;
  /** The CloudFront distribution in front of the site: changed paths are invalidated after each render. */
  readonly distributionId?: string;
  /** @default new CloudFrontClient({}) when `distributionId` is given */
  readonly cloudFront?: CloudFrontClient;
  /**
   * Write the archive too (topic, month and issue pages, RFC 5005 archive documents, the issue feed, the
   * sitemap), as `feedwright build` does: see `RenderServices.archive`. Off only for measuring.
   * @default true
   */
  readonly archive?: boolean;
}

/** A record whose render work failed; Lambda retries the batch from the earliest such record. */
class RenderFailedError extends Error {
  override readonly name = 'RenderFailedError';
}

/**
 * The render Lambda adapter: a DynamoDB stream batch → a render plan → `renderPlan` → a partial batch
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
  const logger = deps.logger ?? new Logger({ serviceName: 'feedwright-render' });
  const metrics = deps.metrics ?? new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-render' });
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
    const result = await renderPlan(plan, services);
    logger.info('batch rendered', {
      records: records.length,
      stories: plan.storyIds.size,
      topics: [...plan.topics],
      written: result.written,
      unchanged: result.unchanged,
      deleted: result.deleted,
      invalidated: services.cdn === undefined ? 0 : result.changedPaths.length,
      failedUnits: [...result.failed.keys()],
    });
    metrics.addMetric('ObjectsWritten', MetricUnit.Count, result.written);
    metrics.addMetric('ObjectsUnchanged', MetricUnit.Count, result.unchanged);
    metrics.addMetric('ObjectsDeleted', MetricUnit.Count, result.deleted);

    // WebSub: after the writes (and the invalidation), so a hub fetching a feed at once gets the new
    // bytes (feeds are revalidated by the edge when a hub is set); never fails the batch.
    const hubUrl = services.config.hubUrl;
    if (hubUrl !== null && result.changedFeeds.length > 0) {
      const feedUrls = result.changedFeeds.map((path) => `${services.config.baseUrl}${encodePath(path)}`);
      const pinged = await publishToHub(feedUrls, { hubUrl, logger });
      logger.info('hub notified', { hub: hubUrl, published: pinged.published, failed: pinged.failed });
      metrics.addMetric('HubNotificationsSent', MetricUnit.Count, pinged.published.length);
      metrics.addMetric('HubNotificationsFailed', MetricUnit.Count, pinged.failed.length);
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
