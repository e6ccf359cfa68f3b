import { SERVICE_NAMES } from '@feedwright/pipeline/metrics';
import { Duration, Validations } from 'aws-cdk-lib';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { Construct } from 'constructs';
import type { IncomingBucket, SiteBucket } from './buckets.ts';
import { FailureQueue } from './failure-queue.ts';
import { PipelineFunction } from './pipeline-function.ts';
import type { SiteDistribution } from './site-distribution.ts';
import type { StoryTable } from './story-table.ts';

/** Properties of {@link PipelineFunctions}. */
export interface PipelineFunctionsProps {
  readonly incoming: IncomingBucket;
  readonly site: SiteBucket;
  readonly table: StoryTable;
  /** The CloudFront distribution in front of the site: render invalidates what it changed there. */
  readonly cdn: SiteDistribution;
  /** The ingest handler module. */
  readonly ingestEntry: string;
  /** The render handler module. */
  readonly renderEntry: string;
  /** Directory esbuild bundles from (where `node_modules` is). */
  readonly projectRoot: string;
  /**
   * The site's settings (SITE_BASE_URL, SITE_TITLE, SITE_HUB_URL, …), the same object for every
   * function that renders: `siteEnvironment` of `@feedwright/config`.
   */
  readonly siteEnvironment: Readonly<Record<string, string>>;
  /**
   * How digests are read (MAX_DIGEST_BYTES, DIGEST_TIMEZONE), the same for every function that reads
   * them: `digestReadingEnvironment` of `@feedwright/config`.
   */
  readonly digestEnvironment: Readonly<Record<string, string>>;
}

/**
 * Ingest and render with their failure queues, wired into the flow: created/removed digests invoke
 * ingest (async, bounded retries, failures parked on a queue), the table's story records stream to
 * render (failed batches parked on the other queue), each with exactly the rights it needs.
 */
export class PipelineFunctions extends Construct {
  public readonly ingest: PipelineFunction;
  public readonly render: PipelineFunction;
  public readonly ingestFailures: FailureQueue;
  public readonly renderFailures: FailureQueue;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const { incoming, site, table, projectRoot } = props;

    this.ingestFailures = new FailureQueue(this, 'IngestFailures', {
      holds: "ingest's S3 events that failed every retry",
    });
    this.renderFailures = new FailureQueue(this, 'RenderFailures', {
      holds: "render's stream batches that failed every retry",
    });

    this.ingest = new PipelineFunction(this, 'Ingest', {
      entry: props.ingestEntry,
      projectRoot,
      description: 'feedwright: parse an uploaded digest into stories, write its report',
      serviceName: SERVICE_NAMES.ingest,
      // Parsing is CPU-bound and a digest is at most 5 MiB (read whole, parsed, diffed against the
      // stored stories): 512 MB gives a third of a vCPU, enough to finish a worst case in seconds,
      // and 30 s leaves room for DynamoDB retries on a large digest's batch writes.
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: {
        TABLE_NAME: table.table.tableName,
        ...props.digestEnvironment,
      },
      asyncInvoke: {
        // S3 invokes asynchronously: two retries ride out throttling and transient errors, an event
        // older than 6 h is parked rather than replayed over newer uploads of the same key.
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new destinations.SqsDestination(this.ingestFailures.queue),
      },
    });

    this.render = new PipelineFunction(this, 'Render', {
      entry: props.renderEntry,
      projectRoot,
      description: 'feedwright: re-render the feeds and pages of the topics a stream batch touched',
      serviceName: SERVICE_NAMES.render,
      // Renders three feed formats per touched topic plus "all", story pages, the touched months of
      // the archive and the index, and compares each with the stored object: 1024 MB (~0.6 vCPU);
      // a batch of up to 1,000 records (a back-fill of ~100 digests) took ~7 s on the emulators, and
      // 120 s covers S3 latency spikes on many objects.
      memorySize: 1024,
      timeout: Duration.seconds(120),
      environment: {
        TABLE_NAME: table.table.tableName,
        SITE_BUCKET: site.bucket.bucketName,
        ...props.siteEnvironment,
        // Where render records each digest that went live, and its freshness (`reports/live/…`).
        INCOMING_BUCKET: incoming.bucket.bucketName,
        // Changed and deleted paths are invalidated after each render: a takedown is not cached.
        DISTRIBUTION_ID: props.cdn.distribution.distributionId,
      },
    });

    props.cdn.grantInvalidation(this.render.role);
    incoming.grantIngest(this.ingest.role);
    table.grantIngest(this.ingest.role);
    table.grantRender(this.render.role);
    site.grantRender(this.render.role);
    incoming.grantLiveReports(this.render.role);
    incoming.notify(this.ingest.function);
    table.streamTo(this.render.function, this.render.role, this.renderFailures.queue);

    for (const fn of [this.ingest, this.render]) {
      Validations.of(fn.function).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to nodejs22.x, the runtime the handlers are built and tested for (esbuild target node22); moving to a newer one is a deliberate, tested change.',
      });
    }
  }
}
