import { SERVICE_NAMES } from '@feedwright/pipeline/metrics';
import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { IncomingBucket, SiteBucket } from './buckets.ts';
import { PipelineFunction } from './pipeline-function.ts';
import type { SiteDistribution } from './site-distribution.ts';
import type { StoryTable } from './story-table.ts';

/** Properties of a {@link ReconcileFunction}. */
export interface ReconcileFunctionProps {
  readonly incoming: IncomingBucket;
  readonly site: SiteBucket;
  readonly table: StoryTable;
  /** The distribution whose paths reconcile invalidates when it rewrites them. */
  readonly cdn: SiteDistribution;
  /** The site's settings (SITE_*, …), the very object render gets. */
  readonly siteEnvironment: Readonly<Record<string, string>>;
  /** How digests are read (MAX_DIGEST_BYTES, DIGEST_TIMEZONE), the very object ingest gets. */
  readonly digestEnvironment: Readonly<Record<string, string>>;
  /** The reconcile handler module. */
  readonly entry: string;
  /** Directory esbuild bundles from (where `node_modules` is). */
  readonly projectRoot: string;
  /**
   * When it runs: an EventBridge schedule expression.
   * @default 'rate(1 day)'
   */
  readonly schedule?: string;
}

/**
 * The reconcile function and its schedule: makes the table match the incoming bucket and the site
 * bucket match the live stories. Daily by default; an operator can invoke it any time. Its rights are
 * ingest's on the incoming bucket and the table (it applies digests through ingest), render's on the
 * site bucket, and invalidation of this distribution.
 */
export class ReconcileFunction extends Construct {
  public readonly fn: PipelineFunction;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconcileFunctionProps) {
    super(scope, id);
    this.fn = new PipelineFunction(this, 'Function', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'feedwright: repair any divergence of table and site from the incoming bucket',
      serviceName: SERVICE_NAMES.reconcile,
      // Lists both buckets, reads every live story and renders the whole site once: seconds when
      // nothing differs, minutes for a large archive that does.
      memorySize: 1024,
      timeout: Duration.minutes(10),
      environment: {
        TABLE_NAME: props.table.table.tableName,
        INCOMING_BUCKET: props.incoming.bucket.bucketName,
        SITE_BUCKET: props.site.bucket.bucketName,
        ...props.siteEnvironment,
        ...props.digestEnvironment,
        DISTRIBUTION_ID: props.cdn.distribution.distributionId,
      },
    });
    props.incoming.grantIngest(this.fn.role);
    props.table.grantIngest(this.fn.role);
    props.site.grantRender(this.fn.role);
    props.cdn.grantInvalidation(this.fn.role);

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'feedwright: run reconcile',
      schedule: events.Schedule.expression(props.schedule ?? 'rate(1 day)'),
    });
    this.rule.addTarget(new targets.LambdaFunction(this.fn.function, { retryAttempts: 2 }));
    Validations.of(this.fn.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the runtime the handlers are built and tested for (esbuild target node22); moving to a newer one is a deliberate, tested change.',
    });
  }
}
