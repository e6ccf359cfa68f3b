import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { sha256 } from './items.ts';
import { madeOnce } from './made-once.ts';

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

/**
 * Loads the CloudFront SDK's client and invalidation command (a chunk of their own in the Lambda
 * bundle): for a handler that makes its client lazily, e.g. wrapped for tracing.
 */
export const loadCloudFrontSdk = (): Promise<typeof import('./cloudfront-sdk.ts')> =>
  import('./cloudfront-sdk.ts');

/** Options of {@link CloudFrontInvalidator}. */
export interface CloudFrontInvalidatorOptions {
  readonly distributionId: string;
  /**
   * The CloudFront client, or a function that makes it when the first invalidation is sent: the
   * CloudFront SDK is then loaded after the objects are written, not at every cold start.
   * @default new CloudFrontClient({}), made with the first invalidation
   */
  readonly client?: CloudFrontClient | (() => CloudFrontClient | Promise<CloudFrontClient>);
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The CDN port on a CloudFront distribution: one `CreateInvalidation` per call. */
export class CloudFrontInvalidator implements CdnInvalidator {
  readonly #client: () => Promise<CloudFrontClient>;
  readonly #distributionId: string;
  readonly #now: () => Date;

  constructor(options: CloudFrontInvalidatorOptions) {
    this.#client = madeOnce<CloudFrontClient>(
      options.client ?? (async () => new (await loadCloudFrontSdk()).CloudFrontClient({})),
    );
    this.#distributionId = options.distributionId;
    this.#now = options.now ?? (() => new Date());
  }

  async invalidate(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    const items = invalidationPaths(paths);
    const [client, { CreateInvalidationCommand }] = await Promise.all([this.#client(), loadCloudFrontSdk()]);
    await client.send(
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
