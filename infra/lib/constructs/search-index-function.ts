import { createRequire } from 'node:module';
import { SEARCH_INDEX_PREFIX, SEARCH_PAGE_PATH, SEARCH_SCRIPT_PATH } from '@feedwright/site';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { logicalIdOf, type SiteBucket } from './buckets.ts';
import { FailureQueue } from './failure-queue.ts';
import { PipelineFunction } from './pipeline-function.ts';
import type { StoryTable } from './story-table.ts';

/** Where Pagefind's indexer (a Rust binary, run by its Node API) is in the bundle. */
const PAGEFIND_BINARY = 'pagefind_extended';

/** Properties of a {@link SearchIndexFunction}. */
export interface SearchIndexFunctionProps {
  readonly site: SiteBucket;
  readonly table: StoryTable;
  /** The site's settings (SITE_BASE_URL, SITE_TITLE, …), the very object render gets. */
  readonly siteEnvironment: Readonly<Record<string, string>>;
  /** The search-index handler module. */
  readonly entry: string;
  /** Directory esbuild bundles from (where `node_modules` is). */
  readonly projectRoot: string;
  /**
   * The debounce: how long the stream's story changes are gathered before the index is rebuilt, and so
   * at most how often it is rebuilt while digests keep coming (the event source's batching window, at
   * most 5 minutes).
   * @default Duration.minutes(2)
   */
  readonly interval?: Duration;
  /**
   * Pagefind's Linux x64 indexer, bundled beside the handler.
   * @default node_modules/@pagefind/linux-x64/bin/pagefind_extended, as `npm ci` installs it on Linux x64
   */
  readonly pagefindBinary?: string;
}

/**
 * The search-index function: after stories change (the table's stream, debounced by the event source's
 * batching window), it rebuilds the Pagefind index of every live story and writes what changed of it to
 * the site bucket, removing index files no longer named. One at a time (reserved concurrency 1): two
 * rebuilds at once could each remove the other's new files. x86_64, because the Pagefind binary the lock
 * file installs on the Linux x64 machines that build and deploy is that one.
 */
export class SearchIndexFunction extends Construct {
  public readonly fn: PipelineFunction;
  public readonly failures: FailureQueue;

  constructor(scope: Construct, id: string, props: SearchIndexFunctionProps) {
    super(scope, id);
    const binary = props.pagefindBinary ?? pagefindLinuxX64Binary();

    this.failures = new FailureQueue(this, 'Failures', {
      holds: "the search index's stream batches that failed every retry",
    });
    this.fn = new PipelineFunction(this, 'Function', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'feedwright: rebuild the search index (Pagefind) of every live story after changes',
      serviceName: 'feedwright-search-index',
      architecture: lambda.Architecture.X86_64,
      bundledFiles: { [binary]: PAGEFIND_BINARY },
      reservedConcurrentExecutions: 1,
      // Sized for ~50,000 stories: the live stories read whole (~150 MB of items, a few hundred MB as
      // objects) and Pagefind's index of them in its own process; 2048 MB also buys more than one vCPU.
      // The first build writes every index file (tens of thousands of small objects); later ones write
      // the few that changed. 15 minutes is Lambda's ceiling and leaves room for that first build.
      memorySize: 2048,
      timeout: Duration.minutes(15),
      environment: {
        TABLE_NAME: props.table.table.tableName,
        SITE_BUCKET: props.site.bucket.bucketName,
        ...props.siteEnvironment,
        PAGEFIND_EXTENDED_BINARY_PATH: `/var/task/${PAGEFIND_BINARY}`,
      },
    });

    props.table.grantSearchIndex(this.fn.role);
    props.table.streamToSearchIndex(
      this.fn.function,
      this.fn.role,
      this.failures.queue,
      props.interval ?? Duration.minutes(2),
    );
    this.#grantSearchObjects(props.site);
    Validations.of(this.fn.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the runtime the handlers are built and tested for (esbuild target node22); moving to a newer one is a deliberate, tested change.',
    });
  }

  /** The search page, its script and the index: read, written and removed; listed under the index only. */
  #grantSearchObjects(site: SiteBucket): void {
    const bucket = site.bucket;
    this.fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [
          bucket.arnForObjects(SEARCH_PAGE_PATH),
          bucket.arnForObjects(SEARCH_SCRIPT_PATH),
          bucket.arnForObjects(`${SEARCH_INDEX_PREFIX}*`),
        ],
      }),
    );
    this.fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${SEARCH_INDEX_PREFIX}*`] } },
      }),
    );
    Validations.of(this.fn.role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(site.bucket)}.Arn>/${SEARCH_INDEX_PREFIX}*]`,
      reason:
        "The search index's file names are hashes of their content, known only when it is built: the function owns that one prefix of the site bucket and nothing else.",
    });
  }
}

/** Pagefind's Linux x64 binary as installed by npm, or a clear error where npm did not install it. */
function pagefindLinuxX64Binary(): string {
  try {
    return createRequire(import.meta.url).resolve(`@pagefind/linux-x64/bin/${PAGEFIND_BINARY}`);
  } catch {
    throw new Error(
      "the search-index function bundles Pagefind's Linux x64 indexer (@pagefind/linux-x64), which npm installs on Linux x64 only: synthesize on Linux x64 (as CI does), or install it there with `npm install --no-save --force @pagefind/linux-x64`",
    );
  }
}
