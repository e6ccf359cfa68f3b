import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SenderPolicy } from '@feedwright/mail';
import { resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import {
  createDynamoIssueRegistry,
  createDynamoStoryStore,
  S3DigestSource,
  S3SiteStore,
} from '@feedwright/storage';
import { CloudFrontInvalidator } from '@feedwright/storage/cdn';
import type { PipelineLogger } from '../logger.ts';
import { METRIC_NAMESPACE, METRICS, SERVICE_NAMES } from '../metrics.ts';
import { type ReconcileResult, reconcile } from '../reconcile.ts';

// For the handler, which makes its CloudFront client lazily (wrapped for tracing).
export { loadCloudFrontSdk } from '@feedwright/storage/cdn';
export type { ReconcileResult } from '../reconcile.ts';

/** What the reconcile adapter is built from. */
export interface ReconcileDependencies {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly incomingBucket: string;
  readonly siteBucket: string;
  /** baseUrl, siteTitle, itemsPerFeed… (the render function's settings) */
  readonly site?: Partial<SiteConfig>;
  /** @default 5 MiB */
  readonly maxDigestBytes?: number;
  /** @default 'UTC' */
  readonly timezone?: string;
  /** Who may publish by mail, as for ingest. @default undefined - mailed digests are refused */
  readonly mail?: SenderPolicy;
  /** The CloudFront distribution in front of the site, to invalidate what reconcile rewrote. */
  readonly distributionId?: string;
  /**
   * The client, or a function that makes it with the first invalidation (see `CloudFrontInvalidator`).
   * @default new CloudFrontClient({}) when `distributionId` is given, made with the first invalidation
   */
  readonly cloudFront?: CloudFrontClient | (() => CloudFrontClient | Promise<CloudFrontClient>);
  /** @default a Powertools Logger for service `feedwright-reconcile` */
  readonly logger?: PipelineLogger;
  /** @default Powertools Metrics, namespace `feedwright`, service `feedwright-reconcile` */
  readonly metrics?: Metrics;
}

/**
 * The reconcile Lambda adapter: any event (the schedule's, or an operator's `aws lambda invoke`) → one
 * `reconcile` of the incoming bucket, the table and the site bucket → its result, logged and counted.
 */
export function createReconcileHandler(deps: ReconcileDependencies): () => Promise<ReconcileResult> {
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE_NAMES.reconcile });
  const metrics =
    deps.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE_NAMES.reconcile });
  const services = {
    source: new S3DigestSource({ client: deps.s3 }),
    incomingBucket: deps.incomingBucket,
    stories: createDynamoStoryStore({ tableName: deps.tableName, client: deps.dynamo }),
    issues: createDynamoIssueRegistry({ tableName: deps.tableName, client: deps.dynamo }),
    site: new S3SiteStore({ bucket: deps.siteBucket, client: deps.s3 }),
    config: resolveSiteConfig(deps.site),
    logger,
    ...(deps.maxDigestBytes === undefined ? {} : { maxDigestBytes: deps.maxDigestBytes }),
    ...(deps.timezone === undefined ? {} : { timezone: deps.timezone }),
    ...(deps.mail === undefined ? {} : { mail: deps.mail }),
    ...(deps.distributionId
      ? {
          cdn: new CloudFrontInvalidator({
            distributionId: deps.distributionId,
            ...(deps.cloudFront === undefined ? {} : { client: deps.cloudFront }),
          }),
        }
      : {}),
  };
  return async (): Promise<ReconcileResult> => {
    const result = await reconcile(services);
    const names = METRICS.reconcile;
    metrics.addMetric(names.digestsReapplied, MetricUnit.Count, result.reapplied.length);
    metrics.addMetric(names.digestsWithdrawnByReconcile, MetricUnit.Count, result.withdrawn.length);
    // A new stack's first site is no repair: nothing was lost (see ReconcileResult.firstSite).
    const repairedObjects = result.firstSite ? 0 : result.written.length + result.deleted.length;
    metrics.addMetric(names.objectsRepaired, MetricUnit.Count, repairedObjects);
    return result;
  };
}
