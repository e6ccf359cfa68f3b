import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import { createDynamoStoryStore, S3SiteStore } from '@feedwright/storage';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { refreshSearchIndex, type SearchIndexResult } from '../publish.ts';

/** What the search-index adapter is built from. */
export interface SearchIndexDependencies {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly siteBucket: string;
  /** baseUrl, siteTitle, language… @default the site package's defaults */
  readonly site?: Partial<SiteConfig>;
  /** The site has its archive (the search page links it when JavaScript is off). @default true */
  readonly archive?: boolean;
  /** @default a Powertools Logger for service `feedwright-search-index` */
  readonly logger?: Logger;
  /** @default Powertools Metrics, namespace `feedwright`, service `feedwright-search-index` */
  readonly metrics?: Metrics;
}

/**
 * The search-index Lambda adapter. The stream batch only says that stories changed (the event source's
 * batching window is the debounce): the index is rebuilt from every live story, whatever the batch holds,
 * so a batch that fails is simply retried, and any later batch repairs what an earlier one missed.
 */
export function createSearchIndexHandler(
  deps: SearchIndexDependencies,
): (event: DynamoDBStreamEvent) => Promise<SearchIndexResult> {
  const logger = deps.logger ?? new Logger({ serviceName: 'feedwright-search-index' });
  const metrics =
    deps.metrics ?? new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-search-index' });
  const services = {
    stories: createDynamoStoryStore({ tableName: deps.tableName, client: deps.dynamo }),
    site: new S3SiteStore({ bucket: deps.siteBucket, client: deps.s3 }),
    config: resolveSiteConfig(deps.site),
    ...(deps.archive === undefined ? {} : { archive: deps.archive }),
  };
  return async (event) => {
    const started = Date.now();
    const result = await refreshSearchIndex(services);
    logger.info('search index rebuilt', {
      records: event.Records?.length ?? 0,
      stories: result.stories,
      written: result.written.length,
      deleted: result.deleted.length,
      unchanged: result.unchanged,
      ms: Date.now() - started,
    });
    metrics.addMetric('SearchIndexStories', MetricUnit.Count, result.stories);
    metrics.addMetric('SearchIndexFilesWritten', MetricUnit.Count, result.written.length);
    metrics.addMetric('SearchIndexFilesDeleted', MetricUnit.Count, result.deleted.length);
    return result;
  };
}
