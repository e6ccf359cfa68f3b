import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** A function to watch, by a short name used in alarm ids and descriptions. */
export interface WatchedFunction {
  readonly name: string;
  readonly function: lambda.IFunction;
  /**
   * Also alarm when the stream iterator falls this far behind (stream-driven functions only).
   * @default - no iterator-age alarm
   */
  readonly maxIteratorAge?: Duration;
}

/** A failure queue to watch, with the command that drains it (put in the alarm description). */
export interface WatchedQueue {
  readonly name: string;
  readonly queue: sqs.IQueue;
  readonly remedy: string;
}

/** Any other metric to alarm on when it reaches `threshold`. */
export interface WatchedMetric {
  /** The alarm's id. */
  readonly name: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** What it means and what to do first; the runbook link is appended. */
  readonly description: string;
  /** The anchor of its runbook section (see {@link RUNBOOK_SECTIONS}). */
  readonly runbookSection: string;
}

/**
 * The anchors of docs/runbook.md's sections, one per kind of alarm: each alarm's description ends with
 * a link to its section.
 */
export const RUNBOOK_SECTIONS = {
  functionErrors: 'function-errors',
  functionThrottles: 'function-throttles',
  iteratorAge: 'render-behind-its-stream',
  failureQueue: 'failure-queue-not-empty',
  reconcileRepair: 'reconcile-repaired-something',
  freshness: 'freshness-p95-over-threshold',
  mailRefusals: 'mail-refusals-spiking',
} as const;

/** Properties of {@link PipelineAlarms}. */
export interface PipelineAlarmsProps {
  readonly functions: readonly WatchedFunction[];
  readonly queues: readonly WatchedQueue[];
  /**
   * Alarms on the pipeline's own metrics (freshness, reconcile repairs, mail refusals).
   * @default - none
   */
  readonly metrics?: readonly WatchedMetric[];
  /** The runbook page (no fragment); each alarm links to its section of it. */
  readonly runbookUrl: string;
  /**
   * Send every alarm to this address through an encrypted SNS topic.
   * @default - alarms only show in the CloudWatch console
   */
  readonly alarmEmail?: string;
}

const PERIOD = Duration.minutes(5);

/**
 * The alarms an operator needs and no more: any function error or throttle, any message parked on a
 * failure queue, a stream consumer falling behind, and whatever `metrics` adds. Each description ends
 * with a link to its runbook section, and each goes to SNS email when an address is given.
 */
export class PipelineAlarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly topic?: sns.Topic;
  readonly #runbookUrl: string;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.#runbookUrl = props.runbookUrl;

    if (props.alarmEmail !== undefined) {
      // SNS has no SSE-S3 equivalent: a customer-managed key is needed because the AWS-managed
      // aws/sns key's policy can't let CloudWatch publish to the topic.
      const key = new kms.Key(this, 'TopicKey', {
        description: 'feedwright alarm topic encryption',
        enableKeyRotation: true,
      });
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: 'feedwright alarms',
        masterKey: key,
        enforceSSL: true,
      });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    for (const watched of props.functions) {
      this.add(
        `${watched.name}Errors`,
        watched.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        1,
        `${watched.name} threw an error; see its log group. Failed work is retried, then parked on its failure queue.`,
        RUNBOOK_SECTIONS.functionErrors,
      );
      this.add(
        `${watched.name}Throttles`,
        watched.function.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        1,
        `${watched.name} was throttled: the account's Lambda concurrency is exhausted.`,
        RUNBOOK_SECTIONS.functionThrottles,
      );
      if (watched.maxIteratorAge !== undefined) {
        this.add(
          `${watched.name}IteratorAge`,
          watched.function.metric('IteratorAge', { period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
          watched.maxIteratorAge.toMilliseconds(),
          `${watched.name} is more than ${watched.maxIteratorAge.toHumanString()} behind its stream: feeds are stale.`,
          RUNBOOK_SECTIONS.iteratorAge,
        );
      }
    }

    for (const watched of props.queues) {
      this.add(
        `${watched.name}NotEmpty`,
        watched.queue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        1,
        `${watched.name} holds failed work. Fix the cause, then: ${watched.remedy}`,
        RUNBOOK_SECTIONS.failureQueue,
      );
    }

    for (const watched of props.metrics ?? []) {
      this.add(watched.name, watched.metric, watched.threshold, watched.description, watched.runbookSection);
    }
  }

  private add(
    id: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
    runbookSection: string,
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No invocations, no messages, no digests means nothing is wrong.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${description} Runbook: ${this.#runbookUrl}#${runbookSection}`,
    });
    if (this.topic !== undefined) {
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
    }
    this.alarms.push(alarm);
  }
}
