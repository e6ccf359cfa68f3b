import { BUCKET_PREFIXES, LIVE_REPORTS_PREFIX } from '@feedwright/storage/schema';
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';

// The L2 bucket of each construct below is its 'Default' child, so its logical ids (and those of
// its policy, notifications and auto-delete resource) are the ones it had as a direct child of the
// stack: moving it into a construct replaces nothing on deploy.
const INNER_ID = 'Default';

/** The logical id CloudFormation knows a construct's resource by (for cdk-nag finding ids). */
export function logicalIdOf(resource: Construct): string {
  return Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement);
}

/**
 * The bucket for S3 server access logs and CloudFront standard logs: private, encrypted, TLS-only,
 * logs kept a year and retained with the stack (they are the audit trail of who uploaded what).
 */
export class LogBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, INNER_ID, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // ACLs stay enabled (BUCKET_OWNER_PREFERRED) because CloudFront's standard logging still writes with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket itself; logging it into itself would loop, and its writers are only the S3 and CloudFront log delivery services.',
    });
  }
}

/** Properties of an {@link IncomingBucket}. */
export interface IncomingBucketProps {
  /** Where its server access logs go (prefix `s3/incoming/`). */
  readonly logBucket: s3.IBucket;
}

/**
 * Where editors upload digests (`digests/`) and ingest writes its reports (`reports/`): versioned,
 * private, encrypted, TLS-only, old versions kept 90 days and reports 180, retained with the stack.
 */
export class IncomingBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: IncomingBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, INNER_ID, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Every overwritten or deleted digest stays recoverable.
      versioned: true,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 's3/incoming/',
      lifecycleRules: [
        { id: 'expire-old-digest-versions', noncurrentVersionExpiration: Duration.days(90) },
        { id: 'expire-reports', prefix: BUCKET_PREFIXES.reports, expiration: Duration.days(180) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      // Editors' data: a stack delete must never take it along.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Created and removed digests (`digests/` only) invoke `fn`. */
  notify(fn: lambda.IFunction): void {
    for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
      this.bucket.addEventNotification(event, new s3n.LambdaDestination(fn), {
        prefix: BUCKET_PREFIXES.digests,
      });
    }
  }

  /**
   * Ingest's rights (reconcile's too): read digests, at the exact version an event names; read and
   * write reports (a retry HEADs its report and writes it when missing); and ListBucket, so a deleted
   * digest reads as 404 and reconcile can list the current digests.
   */
  grantIngest(role: iam.Role): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects(`${BUCKET_PREFIXES.digests}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // Ingest treats a digest deleted before it could be read as gone (404); without ListBucket S3
        // answers 403 instead, which would fail and retry the event until it lands on the queue.
        // Key names only; the bucket holds nothing but digests and their reports.
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects(`${BUCKET_PREFIXES.reports}*`)],
      }),
    );
    const bucket = logicalIdOf(this.bucket);
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${BUCKET_PREFIXES.digests}*]`,
        reason: 'Ingest reads any digest an editor uploads; the wildcard is confined to the digests/ prefix.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${BUCKET_PREFIXES.reports}*]`,
        reason:
          "Ingest writes one report per digest, named after the digest's key; the wildcard is confined to reports/.",
      },
    );
  }

  /**
   * Render records each digest that went live (and its freshness) next to the digest's report: it may
   * write under `reports/live/` and nothing else in this bucket.
   */
  grantLiveReports(role: iam.Role): void {
    const pattern = `${LIVE_REPORTS_PREFIX}*`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(pattern)],
      }),
    );
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.bucket)}.Arn>/${pattern}]`,
      reason:
        "Render writes one live report per digest, named after the digest's key; the wildcard is confined to reports/live/.",
    });
  }
}

/** Properties of a {@link SiteBucket}. */
export interface SiteBucketProps {
  /** Where its server access logs go (prefix `s3/site/`). */
  readonly logBucket: s3.IBucket;
}

/**
 * The rendered site, served only through CloudFront: private, encrypted, TLS-only, and destroyed with
 * the stack (it is rebuilt from the retained table).
 */
export class SiteBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SiteBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, INNER_ID, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: props.logBucket,
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
  }

  /** Render's rights: manage every object, and ListBucket so a not-yet-written object reads as 404. */
  grantRender(role: iam.Role): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.bucket)}.Arn>/*]`,
      reason:
        'Render owns the whole site bucket: every key in it is a rendered page or feed that render writes or removes.',
    });
  }
}
