import { KEY_PREFIX, RENDER_STREAM_PREFIXES, TABLE_INDEXES, TABLE_KEYS } from '@feedwright/storage/schema';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { logicalIdOf } from './buckets.ts';

/**
 * The one DynamoDB table of stories, digest manifests and topics, with the key schema and sparse
 * indexes of `@feedwright/storage/schema`: on-demand, a stream with new and old images,
 * point-in-time recovery, deletion protection, retained with the stack.
 */
/** The DynamoDB actions `DynamoItemTable` sends: ingest's and reconcile's table rights, no more. */
const INGEST_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
] as const;

export class StoryTable extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // 'Default' keeps the logical id it had as a direct child of the stack (see buckets.ts).
    this.table = new dynamodb.Table(this, 'Default', {
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
  }

  /**
   * Ingest (and reconcile, which applies digests through ingest) reads and writes items: exactly what
   * `DynamoItemTable` sends (GetItem, BatchGetItem, Query, conditional PutItem). Never Scan
   * (grantReadWriteData would add it), and none of the write actions the item table never calls.
   */
  grantIngest(role: iam.Role): void {
    this.#grant(role, [...INGEST_TABLE_ACTIONS]);
    this.#acknowledgeIndexes(role, 'Queries use');
  }

  /** Render queries stories (never Scan); the stream's rights come with {@link streamTo}. */
  grantRender(role: iam.Role): void {
    this.#grant(role, ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem']);
    this.#acknowledgeIndexes(role, 'Feeds are read through');
  }

  /**
   * Feeds story records of the stream to `fn`, one batch per shard at a time, with partial batch
   * responses, bisect-on-error, bounded retries and `onFailure` for what fails every retry.
   */
  streamTo(fn: lambda.Function, role: iam.Role, onFailure: sqs.IQueue): void {
    fn.addEventSource(
      new sources.DynamoEventSource(this.table, {
        // TRIM_HORIZON, not LATEST: if the mapping is ever recreated, records written meanwhile
        // are still rendered; replaying older ones is harmless because render writes only changes.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        // Up to ~100 digests' stories per batch: their topics, months and listings render once for all
        // of them, which is what keeps a back-fill of many digests fast (1,000 digests: 98 s with
        // 1,000, 130 s with 500 on the local stack). Lambda sends less when a batch would pass its
        // 6 MB payload.
        batchSize: 1000,
        // One ingest writes a digest's stories within a second: wait that long so they render together.
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        // Bounded, so a poison record can't stall the shard for the stream's 24 h retention.
        retryAttempts: 3,
        maxRecordAge: Duration.hours(1),
        // One batch per shard at a time: two renders of one topic racing could publish older bytes last.
        parallelizationFactor: 1,
        onFailure: new sources.SqsDlq(onFailure),
        // Story items and issue records; several filters match when any one does.
        filters: RENDER_STREAM_PREFIXES.map((prefix) =>
          lambda.FilterCriteria.filter({
            dynamodb: { Keys: { [TABLE_KEYS.partitionKey]: { S: lambda.FilterRule.beginsWith(prefix) } } },
          }),
        ),
      }),
    );
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, added by the stream event source, supports no resource-level permissions; the other stream actions are scoped to this table.',
    });
  }

  /** The search indexer reads every live story: Query of the `all` index, nothing else. */
  grantSearchIndex(role: iam.Role): void {
    this.#grant(role, ['dynamodb:Query']);
    this.#acknowledgeIndexes(role, 'The live stories are read through');
  }

  /**
   * Tells `fn` that stories changed: story records of the stream, gathered for up to `window` (the
   * debounce: while changes keep coming, at most one invocation per shard per window), in batches as
   * large as Lambda allows. The records are only a signal (the function rebuilds from the table), so no
   * bisecting and no partial batch responses: a failed batch is retried whole, then parked on `onFailure`.
   */
  streamToSearchIndex(fn: lambda.Function, role: iam.Role, onFailure: sqs.IQueue, window: Duration): void {
    fn.addEventSource(
      new sources.DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10_000,
        maxBatchingWindow: window,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(6),
        parallelizationFactor: 1,
        onFailure: new sources.SqsDlq(onFailure),
        filters: [
          lambda.FilterCriteria.filter({
            dynamodb: {
              Keys: { [TABLE_KEYS.partitionKey]: { S: lambda.FilterRule.beginsWith(KEY_PREFIX.story) } },
            },
          }),
        ],
      }),
    );
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, added by the stream event source, supports no resource-level permissions; the other stream actions are scoped to this table.',
    });
  }

  #grant(role: iam.Role, actions: string[]): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions,
        resources: [this.table.tableArn, `${this.table.tableArn}/index/*`],
      }),
    );
  }

  #acknowledgeIndexes(role: iam.Role, use: string): void {
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.table)}.Arn>/index/*]`,
      reason: `${use} the table's own two GSIs (byTopic, all); index/* covers exactly those on this one table.`,
    });
  }
}
