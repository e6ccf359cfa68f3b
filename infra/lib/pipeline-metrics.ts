import { METRIC_NAMESPACE, SERVICE_NAMES } from '@feedwright/pipeline/metrics';
import type { Duration } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** Which function publishes a metric: its `service` dimension. */
export type PipelineService = keyof typeof SERVICE_NAMES;

/** One of the functions' custom metrics (namespace `feedwright`, dimension `service`). */
export function pipelineMetric(
  service: PipelineService,
  metricName: string,
  options: { readonly statistic?: string; readonly period: Duration; readonly label?: string },
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAMES[service] },
    statistic: options.statistic ?? cloudwatch.Stats.SUM,
    period: options.period,
    ...(options.label === undefined ? {} : { label: options.label }),
  });
}

/**
 * Every series of a `...ByReason` metric (one per `channel` and `reason` seen), for graphs: a SEARCH
 * expression, since the reasons are whatever the parser and the mail checks refused with.
 */
export function byReasonSearch(
  service: PipelineService,
  metricName: string,
  period: Duration,
  channel?: string,
): cloudwatch.MathExpression {
  const filter = channel === undefined ? '' : ` channel="${channel}"`;
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRIC_NAMESPACE},channel,reason,service} MetricName="${metricName}" service="${SERVICE_NAMES[service]}"${filter}', 'Sum', ${period.toSeconds()})`,
    usingMetrics: {},
    label: '',
    period,
  });
}

/**
 * A CloudFront metric of `distribution`. CloudFront publishes in us-east-1 with dimensions
 * `DistributionId` and `Region=Global`, whatever region the stack is in; aws-cdk-lib's own
 * `metricRequests()` etc. leave both out, so graphs in another region would stay empty.
 */
export function cloudFrontMetric(
  distribution: cloudfront.IDistribution,
  metricName: string,
  options: { readonly statistic: string; readonly period: Duration; readonly label?: string },
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
    region: 'us-east-1',
    statistic: options.statistic,
    period: options.period,
    ...(options.label === undefined ? {} : { label: options.label }),
  });
}
