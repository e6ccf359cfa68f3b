import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { sha256 } from './items.ts';

/** The CDN port: drop cached copies of site paths after render changed or deleted them. */
export interface CdnInvalidator {
  /** Invalidates these site paths (no leading slash) in ONE request. */
  invalidate(paths: readonly string[]): Promise<void>;
}

/** Above this many paths, one wildcard (`/*`) is cheaper than listing them (CloudFront bills per path). */
const MAX_LISTED_INVALIDATION_PATHS = 100;

/** Feeds live under this folder; several changed feeds are invalidated as one `/feeds/*` path. */
const FEEDS_FOLDER = 'feeds/';

/**
 * The CloudFront paths for changed site paths: each with a leading slash and percent-encoded as the
 * viewer requests it, `/` too when `index.html` changed (the root serves it). CloudFront bills per
 * path and a wildcard counts as one: more than one changed feed becomes `/feeds/*` (a render touches
 * `all` and each topic's three formats), and more than 100 paths in all become `/*`.
 */
export function invalidationPaths(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)].sort();
  const feeds = unique.filter((path) => path.startsWith(FEEDS_FOLDER));
  const listed = feeds.length > 1 ? unique.filter((path) => !path.startsWith(FEEDS_FOLDER)) : unique;
  if (listed.length + (feeds.length > 1 ? 1 : 0) > MAX_LISTED_INVALIDATION_PATHS) return ['/*'];
  const encoded = listed.map((path) => `/${path.split('/').map(encodeURIComponent).join('/')}`);
  return [
    ...(unique.includes('index.html') ? ['/'] : []),
    ...(feeds.length > 1 ? [`/${FEEDS_FOLDER}*`] : []),
    ...encoded,
  ];
}

/** Options of {@link CloudFrontInvalidator}. */
export interface CloudFrontInvalidatorOptions {
  readonly distributionId: string;
  /** @default new CloudFrontClient({}) */
  readonly client?: CloudFrontClient;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The CDN port on a CloudFront distribution: one `CreateInvalidation` per call. */
export class CloudFrontInvalidator implements CdnInvalidator {
  readonly #client: CloudFrontClient;
  readonly #distributionId: string;
  readonly #now: () => Date;

  constructor(options: CloudFrontInvalidatorOptions) {
    this.#client = options.client ?? new CloudFrontClient({});
    this.#distributionId = options.distributionId;
    this.#now = options.now ?? (() => new Date());
  }

  async invalidate(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    const items = invalidationPaths(paths);
    await this.#client.send(
      new CreateInvalidationCommand({
        DistributionId: this.#distributionId,
        InvalidationBatch: {
          // Unique per batch of paths and moment; a retry of the same request is deduplicated by CloudFront.
          CallerReference: `feedwright-${this.#now().toISOString()}-${sha256(items.join('\n')).slice(0, 16)}`,
          Paths: { Quantity: items.length, Items: items },
        },
      }),
    );
  }
}
