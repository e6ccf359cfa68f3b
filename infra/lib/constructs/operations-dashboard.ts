import { METRICS } from '@feedwright/pipeline/metrics';
import { Duration } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { byReasonSearch, cloudFrontMetric, pipelineMetric } from '../pipeline-metrics.ts';

/** Properties of {@link OperationsDashboard}. */
export interface OperationsDashboardProps {
  /** The dashboard's name in the console. */
  readonly dashboardName: string;
  /** The functions whose errors, throttles, duration and concurrency are graphed, by a short name. */
  readonly functions: readonly { readonly name: string; readonly function: lambda.IFunction }[];
  /** The failure queues whose depth is graphed. */
  readonly queues: readonly { readonly name: string; readonly queue: sqs.IQueue }[];
  /** The distribution in front of the site (its additional metrics must be on for the cache hit rate). */
  readonly distribution: cloudfront.IDistribution;
  /** The alarms shown in the status widget at the top. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /**
   * The freshness alarm's threshold, drawn as a line on the freshness graph.
   * @default - no line
   */
  readonly freshnessThreshold?: Duration;
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/**
 * The operator's view of the service on one page: whether digests go live and how fast (freshness
 * from upload to the last site object, p50/p95/max), what ingest accepted and refused and why, what
 * render wrote and invalidated, the failure queues, reconcile's repairs, mail refusals, hub pings,
 * each function's health, and what readers get from CloudFront.
 */
export class OperationsDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { ingest, render, reconcile } = METRICS;
    const sum = (
      service: 'ingest' | 'render' | 'reconcile',
      name: string,
      label: string,
    ): cloudwatch.Metric => pipelineMetric(service, name, { period: PERIOD, label });
    const freshness = (statistic: string, label: string): cloudwatch.Metric =>
      pipelineMetric('render', render.freshness, { period: PERIOD, statistic, label });
    const graph = (
      title: string,
      left: cloudwatch.IMetric[],
      extra: Partial<cloudwatch.GraphWidgetProps> = {},
    ): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: HEIGHT, ...extra });
    const perFunction = (
      title: string,
      metric: (fn: lambda.IFunction, name: string) => cloudwatch.IMetric,
    ): cloudwatch.GraphWidget =>
      graph(
        title,
        props.functions.map(({ name, function: fn }) => metric(fn, name)),
      );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# feedwright\nDigests in, feeds out. **Freshness**: from the S3 event of an upload (or a mail) to the end of the render that wrote its last site object. Every alarm below links to its runbook section (docs/runbook.md).',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...props.alarms],
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      graph(
        'Freshness: upload to live (ms)',
        [freshness('p50', 'p50'), freshness('p95', 'p95'), freshness(cloudwatch.Stats.MAXIMUM, 'max')],
        props.freshnessThreshold === undefined
          ? {}
          : {
              leftAnnotations: [
                { value: props.freshnessThreshold.toMilliseconds(), label: 'p95 alarm threshold' },
              ],
            },
      ),
      graph('Digests', [
        sum('ingest', ingest.digestsIngested, 'accepted'),
        sum('ingest', ingest.digestsRejected, 'refused'),
        sum('ingest', ingest.digestsWithdrawn, 'withdrawn (deleted)'),
        sum('ingest', ingest.digestsSkipped, 'skipped (duplicate or older event)'),
      ]),
      graph('Digests refused, by channel and reason', [
        byReasonSearch('ingest', ingest.digestsRejectedByReason, PERIOD),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Stories', [
        sum('ingest', ingest.storiesWritten, 'written (added or corrected)'),
        sum('ingest', ingest.storiesCorrected, 'corrected'),
        sum('ingest', ingest.storiesWithdrawn, 'withdrawn'),
      ]),
      graph('Site objects', [
        sum('render', render.objectsWritten, 'written'),
        sum('render', render.objectsDeleted, 'deleted'),
        sum('render', render.invalidationPaths, 'invalidation paths'),
      ]),
      graph(
        'Failure queues (messages)',
        props.queues.map(({ name, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: cloudwatch.Stats.MAXIMUM,
            label: name,
          }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph('Reconcile repairs (should stay at 0)', [
        sum('reconcile', reconcile.digestsReapplied, 'digests re-applied'),
        sum('reconcile', reconcile.digestsWithdrawnByReconcile, 'digests withdrawn'),
        sum('reconcile', reconcile.objectsRepaired, 'site objects repaired'),
      ]),
      graph('Mail refused, by reason', [
        byReasonSearch('ingest', ingest.digestsRejectedByReason, PERIOD, 'mail'),
      ]),
      graph('WebSub hub pings', [
        sum('render', render.hubNotificationsSent, 'sent'),
        sum('render', render.hubNotificationsFailed, 'failed'),
        sum('ingest', ingest.reportNotificationsFailed, 'report notifications failed'),
      ]),
    );
    this.dashboard.addWidgets(
      perFunction('Function errors', (fn, name) =>
        fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: name }),
      ),
      perFunction('Function throttles', (fn, name) =>
        fn.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: name }),
      ),
      perFunction('Function duration p95 (ms)', (fn, name) =>
        fn.metricDuration({ period: PERIOD, statistic: 'p95', label: name }),
      ),
    );
    this.dashboard.addWidgets(
      perFunction('Function concurrency (max)', (fn, name) =>
        fn.metric('ConcurrentExecutions', {
          period: PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
          label: name,
        }),
      ),
      graph('CloudFront requests', [
        cloudFrontMetric(props.distribution, 'Requests', {
          statistic: cloudwatch.Stats.SUM,
          period: PERIOD,
          label: 'requests',
        }),
      ]),
      graph(
        'CloudFront error rates and cache hit rate (%)',
        [
          cloudFrontMetric(props.distribution, '4xxErrorRate', {
            statistic: cloudwatch.Stats.AVERAGE,
            period: PERIOD,
            label: '4xx',
          }),
          cloudFrontMetric(props.distribution, '5xxErrorRate', {
            statistic: cloudwatch.Stats.AVERAGE,
            period: PERIOD,
            label: '5xx',
          }),
        ],
        {
          right: [
            // Published only with the distribution's additional metrics switched on.
            cloudFrontMetric(props.distribution, 'CacheHitRate', {
              statistic: cloudwatch.Stats.AVERAGE,
              period: PERIOD,
              label: 'cache hit rate',
            }),
          ],
          rightYAxis: { min: 0, max: 100 },
        },
      ),
    );
  }
}
