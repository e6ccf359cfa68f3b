import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Straight from the schema module: the CDK app needs the key names, not the storage adapters.
import { DEFAULT_MAX_DIGEST_BYTES } from '@feedwright/digest';
import { SUBSCRIPTION_FEED_PATH } from '@feedwright/site';
import { BUCKET_PREFIXES, KEY_PREFIX, TABLE_INDEXES, TABLE_KEYS } from '@feedwright/storage/schema';
import {
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type { Construct } from 'constructs';
import { FailureQueue } from './constructs/failure-queue.ts';
import { PipelineAlarms } from './constructs/pipeline-alarms.ts';
import { PipelineFunction } from './constructs/pipeline-function.ts';
import { ReportTopic } from './constructs/report-topic.ts';
import { SiteDistribution } from './constructs/site-distribution.ts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const DIGESTS_PREFIX = BUCKET_PREFIXES.digests;
const REPORTS_PREFIX = BUCKET_PREFIXES.reports;
// Story items' partition keys start with this; render's stream source only sees those records.
const STORY_PK_PREFIX = KEY_PREFIX.story;

/** A deploy-time setting (context value or prop) that cannot work; the message says what to pass. */
export class FeedwrightConfigError extends Error {
  override readonly name = 'FeedwrightConfigError';
}

/** Properties of the {@link FeedwrightStack}. */
export interface FeedwrightStackProps extends StackProps {
  /**
   * Serve the site on this domain (needs `certificateArn`).
   * @default - the distribution's `*.cloudfront.net` domain
   */
  readonly domainName?: string;
  /**
   * ARN of an ACM certificate in us-east-1 for `domainName`.
   * @default - none; required when `domainName` is set
   */
  readonly certificateArn?: string;
  /**
   * Email every alarm to this address (the subscription must be confirmed from the inbox).
   * @default - no notifications
   */
  readonly alarmEmail?: string;
  /**
   * ARN of an existing WAF web ACL (scope CLOUDFRONT) for the distribution.
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * Title of the site and its feeds (`SITE_TITLE`).
   * @default - the site package's own default
   */
  readonly siteTitle?: string;
  /**
   * IANA time zone the digests' wall times are read in (`DIGEST_TIMEZONE`).
   * @default 'UTC'
   */
  readonly digestTimezone?: string;
  /**
   * Subscribe this address to the report topic: every upload's outcome by e-mail.
   * @default - the topic has no subscription
   */
  readonly editorEmail?: string;
  /**
   * WebSub hub: the feeds advertise it (links and Link headers), render notifies it of changed feeds.
   * @default - no WebSub
   */
  readonly hubUrl?: string;
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
   * Directory esbuild bundles from; both entries and the lock file must lie under it.
   * @default the repository root
   */
  readonly projectRoot?: string;
  /**
   * The lock file pinning bundled dependencies.
   * @default package-lock.json at `projectRoot`
   */
  readonly depsLockFilePath?: string;
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
  public readonly ingestFailures: FailureQueue;
  public readonly renderFailures: FailureQueue;
  public readonly alarms: PipelineAlarms;
  public readonly reports: ReportTopic;

  constructor(scope: Construct, id: string, props: FeedwrightStackProps = {}) {
    super(scope, id, props);

    if ((props.domainName === undefined) !== (props.certificateArn === undefined)) {
      throw new FeedwrightConfigError(
        'A custom domain needs both -c domainName=<host> and -c certificateArn=<ACM ARN in us-east-1>; got only one of them.',
      );
    }
    if (
      props.certificateArn !== undefined &&
      !/^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\//.test(props.certificateArn)
    ) {
      throw new FeedwrightConfigError(
        `certificateArn must be an ACM certificate in us-east-1 (CloudFront only uses those); got ${props.certificateArn}.`,
      );
    }

    if (props.hubUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(props.hubUrl)) {
      throw new FeedwrightConfigError(
        `hubUrl must be an absolute http(s) URL such as https://hub.example.com/; got ${props.hubUrl}.`,
      );
    }
    const projectRoot = props.projectRoot ?? REPO_ROOT;
    const depsLockFilePath = props.depsLockFilePath ?? join(projectRoot, 'package-lock.json');

    // ---- Buckets -------------------------------------------------------------------------------

    // One bucket for S3 server access logs and CloudFront standard logs. ACLs stay enabled
    // (BUCKET_OWNER_PREFERRED) because CloudFront's standard logging still writes with ACLs.
    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365) }],
      // Access logs are the audit trail of who uploaded what: kept like the digests themselves.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket itself; logging it into itself would loop, and its writers are only the S3 and CloudFront log delivery services.',
    });

    this.incomingBucket = new s3.Bucket(this, 'IncomingBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Every overwritten or deleted digest stays recoverable.
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/incoming/',
      lifecycleRules: [
        { id: 'expire-old-digest-versions', noncurrentVersionExpiration: Duration.days(90) },
        { id: 'expire-reports', prefix: REPORTS_PREFIX, expiration: Duration.days(180) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      // Editors' data: a stack delete must never take it along.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.siteBucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/site/',
      // Lets S3 answer CORS preflights that CloudFront forwards for feeds/* (the response headers
      // policy then sets the same headers on every feed response).
      cors: [
        {
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: ['*'],
          allowedHeaders: ['*'],
          maxAge: 86_400,
        },
      ],
      // Every object here is rendered from the table (which is retained), so the bucket is a cache:
      // deleting the stack deletes it, objects included, rather than leaving an orphan behind.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    // ---- Table ---------------------------------------------------------------------------------

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(TABLE_INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    // ---- Site ----------------------------------------------------------------------------------

    this.site = new SiteDistribution(this, 'Site', {
      bucket: this.siteBucket,
      logBucket: this.logBucket,
      ...(props.domainName !== undefined && props.certificateArn !== undefined
        ? {
            customDomain: {
              domainName: props.domainName,
              certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
            },
          }
        : {}),
      ...(props.webAclArn === undefined ? {} : { webAclArn: props.webAclArn }),
      ...(props.hubUrl === undefined
        ? {}
        : { websub: { hubUrl: props.hubUrl, feedPathPattern: SUBSCRIPTION_FEED_PATH.source } }),
    });

    // ---- Functions -----------------------------------------------------------------------------

    this.ingestFailures = new FailureQueue(this, 'IngestFailures', {
      holds: "ingest's S3 events that failed every retry",
    });
    this.renderFailures = new FailureQueue(this, 'RenderFailures', {
      holds: "render's stream batches that failed every retry",
    });

    this.ingest = new PipelineFunction(this, 'Ingest', {
      entry: props.ingestEntry ?? join(REPO_ROOT, 'functions', 'ingest', 'handler.ts'),
      projectRoot,
      depsLockFilePath,
      description: 'feedwright: parse an uploaded digest into stories, write its report',
      serviceName: 'feedwright-ingest',
      // Parsing is CPU-bound and a digest is at most 5 MiB (read whole, parsed, diffed against the
      // stored stories): 512 MB gives a third of a vCPU, enough to finish a worst case in seconds,
      // and 30 s leaves room for DynamoDB retries on a large digest's batch writes.
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: {
        TABLE_NAME: this.table.tableName,
        // Ingest's default, passed explicitly so that it shows in the console.
        MAX_DIGEST_BYTES: String(DEFAULT_MAX_DIGEST_BYTES),
        DIGEST_TIMEZONE: props.digestTimezone ?? 'UTC',
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
      entry: props.renderEntry ?? join(REPO_ROOT, 'functions', 'render', 'handler.ts'),
      projectRoot,
      depsLockFilePath,
      description: 'feedwright: re-render the feeds and pages of the topics a stream batch touched',
      serviceName: 'feedwright-render',
      // Renders three feed formats per touched topic plus "all", story pages and the index, and
      // compares each with the stored object: 1024 MB (~0.6 vCPU) keeps a batch of 100 stories
      // across a few topics to a couple of seconds; 60 s covers S3 latency spikes on many objects.
      memorySize: 1024,
      timeout: Duration.seconds(60),
      environment: {
        TABLE_NAME: this.table.tableName,
        SITE_BUCKET: this.siteBucket.bucketName,
        SITE_BASE_URL: this.site.siteUrl,
        ...(props.siteTitle === undefined ? {} : { SITE_TITLE: props.siteTitle }),
        ...(props.hubUrl === undefined ? {} : { SITE_HUB_URL: props.hubUrl }),
      },
    });

    this.grantIngest();
    this.grantRender();

    this.reports = new ReportTopic(this, 'Reports', {
      publisher: this.ingest.role,
      ...(props.editorEmail === undefined ? {} : { editorEmail: props.editorEmail }),
    });
    this.ingest.function.addEnvironment('REPORT_TOPIC_ARN', this.reports.topic.topicArn);

    for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
      this.incomingBucket.addEventNotification(event, new s3n.LambdaDestination(this.ingest.function), {
        prefix: DIGESTS_PREFIX,
      });
    }

    this.render.function.addEventSource(
      new sources.DynamoEventSource(this.table, {
        // TRIM_HORIZON, not LATEST: if the mapping is ever recreated, records written meanwhile
        // are still rendered; replaying older ones is harmless because render writes only changes.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // One ingest writes a digest's stories within a second: wait that long so they render together.
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        // Bounded, so a poison record can't stall the shard for the stream's 24 h retention.
        retryAttempts: 3,
        maxRecordAge: Duration.hours(1),
        // One batch per shard at a time: two renders of one topic racing could publish older bytes last.
        parallelizationFactor: 1,
        onFailure: new sources.SqsDlq(this.renderFailures.queue),
        filters: [
          lambda.FilterCriteria.filter({
            dynamodb: {
              Keys: { [TABLE_KEYS.partitionKey]: { S: lambda.FilterRule.beginsWith(STORY_PK_PREFIX) } },
            },
          }),
        ],
      }),
    );

    // ---- Alarms --------------------------------------------------------------------------------

    this.alarms = new PipelineAlarms(this, 'Alarms', {
      functions: [
        { name: 'Ingest', function: this.ingest.function },
        { name: 'Render', function: this.render.function, maxIteratorAge: Duration.minutes(5) },
      ],
      queues: [
        {
          name: 'IngestFailureQueue',
          queue: this.ingestFailures.queue,
          remedy: this.redriveCommand(this.ingestFailures, this.ingest),
        },
        {
          name: 'RenderFailureQueue',
          queue: this.renderFailures.queue,
          remedy: this.redriveCommand(this.renderFailures, this.render),
        },
      ],
      ...(props.alarmEmail === undefined ? {} : { alarmEmail: props.alarmEmail }),
    });

    // ---- Acknowledged cdk-nag findings ---------------------------------------------------------

    this.acknowledgeCdkInternals();
    Validations.of(this.ingest.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the runtime the handlers are built and tested for (esbuild target node22); moving to a newer one is a deliberate, tested change.',
    });
    Validations.of(this.render.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the runtime the handlers are built and tested for (esbuild target node22); moving to a newer one is a deliberate, tested change.',
    });

    // ---- Outputs -------------------------------------------------------------------------------

    new CfnOutput(this, 'SiteUrl', {
      value: this.site.siteUrl,
      description: 'Where readers find the index page, the OPML and every feed',
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.site.distribution.distributionDomainName,
      description: 'Point the custom domain (CNAME or alias) here',
    });
    new CfnOutput(this, 'DistributionId', {
      value: this.site.distribution.distributionId,
      description: 'For cache invalidations (aws cloudfront create-invalidation)',
    });
    new CfnOutput(this, 'IncomingBucketName', {
      value: this.incomingBucket.bucketName,
      description: `Editors upload digests under ${DIGESTS_PREFIX}; processing reports appear under ${REPORTS_PREFIX}`,
    });
    new CfnOutput(this, 'UploadCommand', {
      value: `aws s3 cp digest.txt s3://${this.incomingBucket.bucketName}/${DIGESTS_PREFIX}`,
      description: 'How an editor publishes a digest',
    });
    new CfnOutput(this, 'SiteBucketName', {
      value: this.siteBucket.bucketName,
      description: 'The rendered site (written by render only)',
    });
    new CfnOutput(this, 'ReportTopicArn', {
      value: this.reports.topic.topicArn,
      description:
        'Every upload report (Published / Rejected); subscribe with -c editorEmail=… or aws sns subscribe',
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'Stories, digests, topics',
    });
    new CfnOutput(this, 'IngestFunctionName', { value: this.ingest.function.functionName });
    new CfnOutput(this, 'RenderFunctionName', { value: this.render.function.functionName });
    new CfnOutput(this, 'IngestFailureQueueUrl', {
      value: this.ingestFailures.queue.queueUrl,
      description: "Ingest's S3 events that failed every retry",
    });
    new CfnOutput(this, 'RenderFailureQueueUrl', {
      value: this.renderFailures.queue.queueUrl,
      description: "Render's stream batches that failed every retry",
    });
    new CfnOutput(this, 'IngestRedriveCommand', {
      value: this.redriveCommand(this.ingestFailures, this.ingest),
      description: 'Re-runs the failed digests once the cause is fixed',
    });
    new CfnOutput(this, 'RenderRedriveCommand', {
      value: this.redriveCommand(this.renderFailures, this.render),
      description: 'Re-renders the failed stream batches (within the stream 24 h retention)',
    });
  }

  private redriveCommand(failures: FailureQueue, target: PipelineFunction): string {
    return `npx feedwright redrive --queue-url ${failures.queue.queueUrl} --function-name ${target.function.functionName}`;
  }

  /** Ingest: read digests, write reports, read and write items (the contract's list), plus ListBucket for 404s. */
  private grantIngest(): void {
    const role = this.ingest.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.incomingBucket.arnForObjects(`${DIGESTS_PREFIX}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // Beyond the contract's list, for the contract's own reason (given there for render): ingest
        // treats a digest deleted before it could be read as gone (404), and without ListBucket S3
        // answers 403 instead, which would fail and retry the event until it lands on the queue.
        // Key names only; the bucket holds nothing but digests and their reports.
        actions: ['s3:ListBucket'],
        resources: [this.incomingBucket.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.incomingBucket.arnForObjects(`${REPORTS_PREFIX}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // grantReadWriteData would add Scan (and DescribeTable); ingest never scans.
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [this.table.tableArn, `${this.table.tableArn}/index/*`],
      }),
    );

    const id = (element: Construct) => this.getLogicalId(element.node.defaultChild as CfnElement);
    const bucket = id(this.incomingBucket);
    const table = id(this.table);
    const policy = role.node.findChild('DefaultPolicy');
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${DIGESTS_PREFIX}*]`,
        reason: 'Ingest reads any digest an editor uploads; the wildcard is confined to the digests/ prefix.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${REPORTS_PREFIX}*]`,
        reason:
          "Ingest writes one report per digest, named after the digest's key; the wildcard is confined to reports/.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${table}.Arn>/index/*]`,
        reason:
          "Queries use the table's own two GSIs (byTopic, all); index/* covers exactly those on this one table.",
      },
    );
  }

  /** Render: query stories (no Scan), manage the site's objects, and read the stream (granted by the event source). */
  private grantRender(): void {
    const role = this.render.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'],
        resources: [this.table.tableArn, `${this.table.tableArn}/index/*`],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [this.siteBucket.arnForObjects('*')],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // So comparing with a not-yet-written object gets 404 (NotFound) instead of 403.
        actions: ['s3:ListBucket'],
        resources: [this.siteBucket.bucketArn],
      }),
    );

    const id = (element: Construct) => this.getLogicalId(element.node.defaultChild as CfnElement);
    const policy = role.node.findChild('DefaultPolicy');
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${id(this.siteBucket)}.Arn>/*]`,
        reason:
          'Render owns the whole site bucket: every key in it is a rendered page or feed that render writes or removes.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${id(this.table)}.Arn>/index/*]`,
        reason:
          "Feeds are read through the table's own two GSIs (byTopic, all); index/* covers exactly those on this one table.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams, added by the stream event source, supports no resource-level permissions; the other stream actions are scoped to this table.',
      },
    );
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
