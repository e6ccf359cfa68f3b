import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  checkSetting,
  digestReadingEnvironment,
  SETTING_NAMES,
  SETTINGS,
  type SettingValues,
  SITE_SETTING_NAMES,
  siteEnvironment,
} from '@feedwright/config';
import { METRICS } from '@feedwright/pipeline/metrics';
import { type SiteConfig, SUBSCRIPTION_FEED_PATH } from '@feedwright/site';
import { BUCKET_PREFIXES } from '@feedwright/storage/schema';
import {
  CfnOutput,
  CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { IncomingBucket, LogBucket, SiteBucket } from './constructs/buckets.ts';
import type { FailureQueue } from './constructs/failure-queue.ts';
import { MailReceiving } from './constructs/mail-receiving.ts';
import { OperationsDashboard } from './constructs/operations-dashboard.ts';
import { PipelineAlarms, RUNBOOK_SECTIONS, type WatchedMetric } from './constructs/pipeline-alarms.ts';
import type { PipelineFunction } from './constructs/pipeline-function.ts';
import { PipelineFunctions } from './constructs/pipeline-functions.ts';
import { ReconcileFunction } from './constructs/reconcile-function.ts';
import { ReportTopic } from './constructs/report-topic.ts';
import { SearchIndexFunction } from './constructs/search-index-function.ts';
import { SiteDistribution } from './constructs/site-distribution.ts';
import { StoryTable } from './constructs/story-table.ts';
import { pipelineMetric } from './pipeline-metrics.ts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A deploy-time setting (context value or prop) that cannot work; the message says what to pass. */
export class FeedwrightConfigError extends Error {
  override readonly name = 'FeedwrightConfigError';
}

/**
 * The settings a deploy can choose (every one but `baseUrl`, which the stack derives from the
 * distribution or `domainName`): each is defined, with its default, check and meaning, once in
 * `SETTINGS` of `@feedwright/config` and listed in docs/operations.md; `cdk deploy -c name=value`
 * sets it.
 */
export type FeedwrightSettings = Partial<Omit<SettingValues, 'baseUrl'>>;

/** Properties of the {@link FeedwrightStack}. */
export interface FeedwrightStackProps extends StackProps {
  /**
   * The deploy's choices (`-c name=value`), each checked by its definition.
   * @default - every setting's default
   */
  readonly settings?: FeedwrightSettings;
  /**
   * The reconcile handler module.
   * @default functions/reconcile/handler.ts in this repository
   */
  readonly reconcileEntry?: string;
  /**
   * The ingest handler module.
   * @default functions/ingest/handler.ts in this repository
   */
  readonly ingestEntry?: string;
  /**
   * The render handler module.
   * @default functions/render/handler.ts in this repository
   */
  readonly renderEntry?: string;
  /**
   * The search-index handler module.
   * @default functions/search-index/handler.ts in this repository
   */
  readonly searchIndexEntry?: string;
  /**
   * Directory esbuild bundles from (where `node_modules` is, as `npm ci` installed it from the lock file).
   * @default the repository root
   */
  readonly projectRoot?: string;
}

/**
 * Everything feedwright runs on AWS: the incoming bucket editors upload to, the story table, the
 * ingest and render functions, the site bucket and the CloudFront distribution readers poll, the
 * failure queues, alarms and outputs.
 */
export class FeedwrightStack extends Stack {
  public readonly logBucket: s3.Bucket;
  public readonly incomingBucket: s3.Bucket;
  public readonly siteBucket: s3.Bucket;
  public readonly table: dynamodb.Table;
  public readonly site: SiteDistribution;
  public readonly ingest: PipelineFunction;
  public readonly render: PipelineFunction;
  public readonly reconcile: PipelineFunction;
  public readonly reconcileRule: events.Rule;
  public readonly searchIndex: SearchIndexFunction;
  public readonly ingestFailures: FailureQueue;
  public readonly renderFailures: FailureQueue;
  public readonly alarms: PipelineAlarms;
  public readonly dashboard: OperationsDashboard;
  public readonly reports: ReportTopic;
  /** SES receipt of mailed digests, when `mailDomain` is set. */
  public readonly mail?: MailReceiving;

  constructor(scope: Construct, id: string, props: FeedwrightStackProps = {}) {
    super(scope, id, props);
    const settings = props.settings ?? {};
    validateSettings(settings);
    const allowedSenders = mailAllowList(settings);
    const projectRoot = props.projectRoot ?? REPO_ROOT;

    const logs = new LogBucket(this, 'LogBucket');
    const incoming = new IncomingBucket(this, 'IncomingBucket', { logBucket: logs.bucket });
    const siteBucket = new SiteBucket(this, 'SiteBucket', { logBucket: logs.bucket });
    const table = new StoryTable(this, 'Table');
    this.site = new SiteDistribution(this, 'Site', {
      bucket: siteBucket.bucket,
      logBucket: logs.bucket,
      ...(settings.domainName !== undefined && settings.certificateArn !== undefined
        ? {
            customDomain: {
              domainName: settings.domainName,
              certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn),
            },
          }
        : {}),
      ...(settings.webAclArn === undefined ? {} : { webAclArn: settings.webAclArn }),
      ...(settings.hubUrl === undefined || settings.hubUrl === null
        ? {}
        : { websub: { hubUrl: settings.hubUrl, feedPathPattern: SUBSCRIPTION_FEED_PATH.source } }),
    });
    // One site environment for every function that renders, one digest environment for every function
    // that reads digests: the same objects, so the functions cannot disagree.
    const siteEnv = siteEnvironmentOf(settings, this.site.siteUrl);
    const digestEnv = digestReadingEnvironment(settings);
    // 'Default': the functions and queues keep the logical ids they had as the stack's own children.
    const pipeline = new PipelineFunctions(this, 'Default', {
      incoming,
      site: siteBucket,
      table,
      cdn: this.site,
      siteEnvironment: siteEnv,
      digestEnvironment: digestEnv,
      ingestEntry: props.ingestEntry ?? join(REPO_ROOT, 'functions', 'ingest', 'handler.ts'),
      renderEntry: props.renderEntry ?? join(REPO_ROOT, 'functions', 'render', 'handler.ts'),
      projectRoot,
    });
    ({ ingest: this.ingest, render: this.render } = pipeline);
    this.reports = new ReportTopic(this, 'Reports', {
      publisher: this.ingest.role,
      ...(settings.editorEmail === undefined ? {} : { editorEmail: settings.editorEmail }),
    });
    this.ingest.function.addEnvironment('REPORT_TOPIC_ARN', this.reports.topic.topicArn);
    ({ ingestFailures: this.ingestFailures, renderFailures: this.renderFailures } = pipeline);
    [this.logBucket, this.incomingBucket, this.siteBucket] = [
      logs.bucket,
      incoming.bucket,
      siteBucket.bucket,
    ];
    this.table = table.table;
    const reconcile = new ReconcileFunction(this, 'Reconcile', {
      incoming,
      site: siteBucket,
      table,
      cdn: this.site,
      siteEnvironment: siteEnv,
      digestEnvironment: digestEnv,
      entry: props.reconcileEntry ?? join(REPO_ROOT, 'functions', 'reconcile', 'handler.ts'),
      projectRoot,
      ...(settings.reconcileSchedule === undefined ? {} : { schedule: settings.reconcileSchedule }),
    });
    [this.reconcile, this.reconcileRule] = [reconcile.fn, reconcile.rule];
    this.searchIndex = new SearchIndexFunction(this, 'SearchIndex', {
      site: siteBucket,
      table,
      siteEnvironment: siteEnv,
      entry: props.searchIndexEntry ?? join(REPO_ROOT, 'functions', 'search-index', 'handler.ts'),
      projectRoot,
    });
    if (settings.mailDomain !== undefined && allowedSenders !== undefined) {
      this.mail = new MailReceiving(this, 'Mail', {
        mailDomain: settings.mailDomain,
        bucket: this.incomingBucket,
        prefix: BUCKET_PREFIXES.mail,
        ingest: { function: this.ingest.function, role: this.ingest.role, allowedSenders },
        // Reconcile re-applies mailed digests through ingest's code, under the same sender rule.
        readers: [{ function: this.reconcile.function, role: this.reconcile.role }],
      });
    }

    const ingestRedrive = redriveCommand(this.ingestFailures, this.ingest);
    const renderRedrive = redriveCommand(this.renderFailures, this.render);
    const searchRedrive = redriveCommand(this.searchIndex.failures, this.searchIndex.fn);
    const [ingestFn, renderFn, reconcileFn, searchIndexFn] = [
      this.ingest.function,
      this.render.function,
      this.reconcile.function,
      this.searchIndex.fn.function,
    ];
    const freshnessThreshold = Duration.seconds(
      settings.freshnessAlarmSeconds ?? SETTINGS.freshnessAlarmSeconds.defaultValue ?? 300,
    );
    this.alarms = new PipelineAlarms(this, 'Alarms', {
      functions: [
        { name: 'Ingest', function: ingestFn },
        { name: 'Render', function: renderFn, maxIteratorAge: Duration.minutes(5) },
        { name: 'Reconcile', function: reconcileFn },
        { name: 'SearchIndex', function: searchIndexFn, maxIteratorAge: Duration.minutes(30) },
      ],
      queues: [
        { name: 'IngestFailureQueue', queue: this.ingestFailures.queue, remedy: ingestRedrive },
        { name: 'RenderFailureQueue', queue: this.renderFailures.queue, remedy: renderRedrive },
        { name: 'SearchIndexFailureQueue', queue: this.searchIndex.failures.queue, remedy: searchRedrive },
      ],
      metrics: operationalAlarms({
        freshnessThreshold,
        mailRefusals:
          settings.mailRefusalAlarmThreshold ?? SETTINGS.mailRefusalAlarmThreshold.defaultValue ?? 10,
        mail: this.mail !== undefined,
      }),
      runbookUrl: settings.runbookUrl ?? SETTINGS.runbookUrl.defaultValue ?? '',
      ...(settings.alarmEmail === undefined ? {} : { alarmEmail: settings.alarmEmail }),
    });
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      dashboardName: `${this.stackName}-operations`,
      functions: [
        { name: 'Ingest', function: ingestFn },
        { name: 'Render', function: renderFn },
        { name: 'Reconcile', function: reconcileFn },
        { name: 'SearchIndex', function: searchIndexFn },
      ],
      queues: [
        { name: 'ingest failures', queue: this.ingestFailures.queue },
        { name: 'render failures', queue: this.renderFailures.queue },
        { name: 'search index failures', queue: this.searchIndex.failures.queue },
      ],
      distribution: this.site.distribution,
      alarms: this.alarms.alarms,
      freshnessThreshold,
    });
    this.retainDeployHandlerLogs();
    this.acknowledgeCdkInternals();
    this.addOutputs(ingestRedrive, renderRedrive);
  }

  private addOutputs(ingestRedrive: string, renderRedrive: string): void {
    const { digests, reports } = BUCKET_PREFIXES;
    const outputs: Array<[string, string, string?]> = [
      ['SiteUrl', this.site.siteUrl, 'Where readers find the index page, the OPML and every feed'],
      [
        'DistributionDomainName',
        this.site.distribution.distributionDomainName,
        'Point the custom domain (CNAME or alias) here',
      ],
      [
        'DistributionId',
        this.site.distribution.distributionId,
        'For cache invalidations (aws cloudfront create-invalidation)',
      ],
      [
        'IncomingBucketName',
        this.incomingBucket.bucketName,
        `Editors upload digests under ${digests}; processing reports appear under ${reports}`,
      ],
      [
        'UploadCommand',
        `aws s3 cp digest.txt s3://${this.incomingBucket.bucketName}/${digests}`,
        'How an editor publishes a digest',
      ],
      ['SiteBucketName', this.siteBucket.bucketName, 'The rendered site (written by render only)'],
      ['TableName', this.table.tableName, 'Stories, digests, topics'],
      [
        'ReportTopicArn',
        this.reports.topic.topicArn,
        'Every upload report (Published / Rejected); subscribe with -c editorEmail=… or aws sns subscribe',
      ],
      ['IngestFunctionName', this.ingest.function.functionName],
      ['RenderFunctionName', this.render.function.functionName],
      ['ReconcileFunctionName', this.reconcile.function.functionName],
      ['SearchIndexFunctionName', this.searchIndex.fn.function.functionName],
      [
        'ReconcileCommand',
        `aws lambda invoke --function-name ${this.reconcile.function.functionName} --cli-read-timeout 0 /dev/stdout`,
        'Repairs any divergence of table and site from the incoming bucket now (it also runs on its schedule)',
      ],
      [
        'SearchIndexCommand',
        `aws lambda invoke --function-name ${this.searchIndex.fn.function.functionName} --payload '{}' --cli-binary-format raw-in-base64-out --cli-read-timeout 0 /dev/stdout`,
        "Rebuilds the search index from every live story now (it also follows the table's changes)",
      ],
      [
        'IngestFailureQueueUrl',
        this.ingestFailures.queue.queueUrl,
        "Ingest's S3 events that failed every retry",
      ],
      [
        'RenderFailureQueueUrl',
        this.renderFailures.queue.queueUrl,
        "Render's stream batches that failed every retry",
      ],
      [
        'DashboardName',
        this.dashboard.dashboard.dashboardName,
        'The operations dashboard in CloudWatch (freshness, digests, failures, CloudFront)',
      ],
      ['IngestRedriveCommand', ingestRedrive, 'Re-runs the failed digests once the cause is fixed'],
      [
        'RenderRedriveCommand',
        renderRedrive,
        'Re-renders the failed stream batches (within the stream 24 h retention)',
      ],
    ];
    if (this.mail !== undefined) {
      const domain = this.mail.mailDomain;
      outputs.push(
        [
          'MailDomain',
          domain,
          'Mail digests to any address at this domain; only the allowed senders publish',
        ],
        [
          'MailMxRecord',
          `${domain}. MX 10 inbound-smtp.${this.region}.amazonaws.com.`,
          "The DNS record that sends the domain's mail to SES in this region",
        ],
      );
    }
    for (const [id, value, description] of outputs) {
      new CfnOutput(this, id, description === undefined ? { value } : { value, description });
    }
  }

  /**
   * The functions CDK itself adds (the S3 notification configurator, the site bucket's auto-delete
   * handler) would log to a group Lambda creates on first use, kept forever: each gets its own group
   * with a retention instead, as the pipeline's functions have.
   */
  private retainDeployHandlerLogs(): void {
    for (const construct of this.node.findAll()) {
      if (!(construct instanceof CfnResource) || construct.cfnResourceType !== 'AWS::Lambda::Function')
        continue;
      // The pipeline's functions have their own groups already (PipelineFunction).
      if (construct instanceof lambda.CfnFunction && construct.loggingConfig !== undefined) continue;
      const group = new logs.LogGroup(construct.node.scope ?? this, `${construct.node.id}LogGroup`, {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      construct.addPropertyOverride('LoggingConfig.LogGroup', group.logGroupName);
    }
  }

  /** The one finding on a resource CDK itself adds (the S3 notification configurator). */
  private acknowledgeCdkInternals(): void {
    const handler = this.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (handler !== undefined) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's own notification-configuration handler runs only during deploys; the managed basic-execution policy lets it write its own logs and nothing else (its S3 right is scoped to the incoming bucket).",
      });
    }
  }
}

/**
 * The alarms on the pipeline's own metrics: any reconcile repair (a divergence is a bug somewhere
 * upstream), freshness p95 over its threshold, and, with mail receiving, a burst of refused mail.
 */
function operationalAlarms(options: {
  readonly freshnessThreshold: Duration;
  readonly mailRefusals: number;
  readonly mail: boolean;
}): WatchedMetric[] {
  const { reconcile, render, ingest } = METRICS;
  const period = Duration.minutes(5);
  const repairs = new cloudwatch.MathExpression({
    expression: 'reapplied + withdrawn + objects',
    usingMetrics: {
      reapplied: pipelineMetric('reconcile', reconcile.digestsReapplied, { period }),
      withdrawn: pipelineMetric('reconcile', reconcile.digestsWithdrawnByReconcile, { period }),
      objects: pipelineMetric('reconcile', reconcile.objectsRepaired, { period }),
    },
    label: 'reconcile repairs',
    period,
  });
  const alarms: WatchedMetric[] = [
    {
      name: 'ReconcileRepaired',
      metric: repairs,
      threshold: 1,
      description:
        "Reconcile found the table or the site out of step with the incoming bucket and repaired it: some event was lost or some step failed without an alarm. Its 'reconciled' log line names the digests and objects.",
      runbookSection: RUNBOOK_SECTIONS.reconcileRepair,
    },
    {
      name: 'FreshnessP95',
      metric: pipelineMetric('render', render.freshness, {
        period: Duration.minutes(15),
        statistic: 'p95',
      }),
      threshold: options.freshnessThreshold.toMilliseconds(),
      description: `Digests take more than ${options.freshnessThreshold.toHumanString()} (p95 over 15 minutes) from upload to live.`,
      runbookSection: RUNBOOK_SECTIONS.freshness,
    },
  ];
  if (options.mail) {
    alarms.push({
      name: 'MailRefusals',
      metric: pipelineMetric('ingest', ingest.mailRefused, { period: Duration.hours(1) }),
      threshold: options.mailRefusals,
      description: `${options.mailRefusals} or more mailed digests were refused within an hour: a sender off the allow-list, failing SPF/DKIM, or spam aimed at the mail domain.`,
      runbookSection: RUNBOOK_SECTIONS.mailRefusals,
    });
  }
  return alarms;
}

/** The `feedwright redrive` command that drains `failures` onto `target`. */
function redriveCommand(failures: FailureQueue, target: PipelineFunction): string {
  return `npx feedwright redrive --queue-url ${failures.queue.queueUrl} --function-name ${target.function.functionName}`;
}

/**
 * Refuses settings that cannot work, before any resource is made: each setting passes the check of its
 * one definition (as it did when read from the context), and the settings that only work together
 * come together. Each message says what to pass.
 */
function validateSettings(settings: FeedwrightSettings): void {
  if ((settings.domainName === undefined) !== (settings.certificateArn === undefined)) {
    throw new FeedwrightConfigError(
      'A custom domain needs both -c domainName=<host> and -c certificateArn=<ACM ARN in us-east-1>; got only one of them.',
    );
  }
  for (const name of SETTING_NAMES) {
    const value = (settings as Partial<Record<string, unknown>>)[name];
    if (name === 'baseUrl' || value === undefined || value === null) continue;
    try {
      checkSetting(name, String(value), name);
    } catch (error) {
      if (error instanceof ConfigError) throw new FeedwrightConfigError(`${error.message}.`);
      throw error;
    }
  }
}

/** The site's settings among `settings`, as the environment of every function that renders. */
function siteEnvironmentOf(settings: FeedwrightSettings, siteUrl: string): Record<string, string> {
  const values: Partial<Record<keyof SiteConfig, unknown>> = {};
  for (const name of SITE_SETTING_NAMES) {
    if (name !== 'baseUrl' && settings[name] !== undefined) values[name] = settings[name];
  }
  return siteEnvironment(values as Partial<SiteConfig>, siteUrl);
}

/**
 * `mailDomain` and `allowedSenders` come together (mail without an allow-list would let any
 * authenticated sender publish); returns the allow-list as ingest reads it, or undefined.
 */
function mailAllowList(settings: FeedwrightSettings): string | undefined {
  if (settings.mailDomain === undefined && settings.allowedSenders === undefined) return undefined;
  if (settings.mailDomain === undefined || settings.allowedSenders === undefined) {
    throw new FeedwrightConfigError(
      'Mail needs both -c mailDomain=<domain SES receives for> and -c allowedSenders=<a@x.com,@newsletter.example.com>; got only one of them.',
    );
  }
  // Both were checked by validateSettings; the allow-list is passed on in its normalised form.
  return SETTINGS.allowedSenders.check(settings.allowedSenders);
}
