import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { acceptMailDigest, parseAllowedSenders } from '@feedwright/mail';
import { SITE_CONTENT_SECURITY_POLICY } from '@feedwright/site';
import { TABLE_INDEXES, TABLE_KEYS } from '@feedwright/storage/schema';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineFunction } from '../../infra/lib/constructs/pipeline-function.ts';
import type { FeedwrightStack } from '../../infra/lib/feedwright-stack.ts';
import { eml } from '../unit/mail/mail-fixtures.ts';
import { bundleFiles, textOf } from './bundle-files.ts';
import { type Synthesized, synthFeedwright } from './synth-feedwright.ts';

type Resource = { readonly Type: string; readonly Properties?: Record<string, unknown> } & Record<
  string,
  unknown
>;
type Statement = { readonly Action: string | string[]; readonly Resource: unknown; readonly Effect: string };

let synthesized: Synthesized;
let stack: FeedwrightStack;
let template: Template;

/** The logical id CloudFormation will know a construct's main resource by. */
function logicalId(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function getAtt(construct: Construct, attribute: string): Record<string, unknown> {
  return { 'Fn::GetAtt': [logicalId(construct), attribute] };
}

function resource(construct: Construct): Resource {
  const found = template.toJSON().Resources[logicalId(construct)] as Resource | undefined;
  if (found === undefined) throw new Error(`no resource for ${construct.node.path}`);
  return found;
}

/** Every Allow statement of the policies attached to a role, actions as sorted arrays (the template sorts them). */
function statementsOf(role: Construct): Array<{ actions: string[]; resource: unknown }> {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalId(role) }] },
  });
  return Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({
        actions: (Array.isArray(statement.Action) ? [...statement.Action] : [statement.Action]).sort(),
        resource: statement.Resource,
      })),
  );
}

/** The ARN of this stack's distribution, as the template spells it. */
function distributionArn(): Record<string, unknown> {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':cloudfront::',
        { Ref: 'AWS::AccountId' },
        ':distribution/',
        { Ref: logicalId(stack.site.distribution) },
      ],
    ],
  };
}

function objectsArn(bucket: Construct, pattern: string): Record<string, unknown> {
  return { 'Fn::Join': ['', [getAtt(bucket, 'Arn'), `/${pattern}`]] };
}

const denyInsecureTransport = Match.objectLike({
  Effect: 'Deny',
  Action: Match.anyValue(),
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

beforeAll(() => {
  synthesized = synthFeedwright();
  stack = synthesized.stack;
  template = synthesized.template;
});

afterAll(() => synthesized.cleanup());

describe('FeedwrightStack: incoming bucket', () => {
  it('is versioned, private, S3-encrypted and retained on stack deletion', () => {
    // Prepare
    const bucket = resource(stack.incomingBucket);

    // Assess
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack.logBucket) } },
    });
  });

  it('expires old digest versions and old reports', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'reports/', ExpirationInDays: 180, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.incomingBucket) },
      PolicyDocument: { Statement: Match.arrayWith([denyInsecureTransport]) },
    });
  });

  it('notifies ingest of objects created and removed under digests/ only', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalId(stack.incomingBucket) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: Match.arrayEquals(
          ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'].map((event) => ({
            Events: [event],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'digests/' }] } },
            LambdaFunctionArn: getAtt(stack.ingest.function, 'Arn'),
          })),
        ),
      },
    });
  });
});

describe('FeedwrightStack: site and log buckets', () => {
  it('keeps the site bucket private, encrypted and TLS-only, and deletes it with the stack', () => {
    // Prepare
    const bucket = resource(stack.siteBucket);

    // Assess
    expect(bucket.DeletionPolicy).toBe('Delete');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.siteBucket) },
      PolicyDocument: { Statement: Match.arrayWith([denyInsecureTransport]) },
    });
  });

  it('lets only this distribution read the site bucket (Origin Access Control)', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.siteBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: ['s3:GetObject', 's3:ListBucket'],
            Condition: {
              StringEquals: {
                'AWS:SourceArn': Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(stack.site.distribution) }])],
                }),
              },
            },
          }),
        ]),
      },
    });
  });

  it('keeps access logs in a private, encrypted, retained bucket', () => {
    // Prepare
    const bucket = resource(stack.logBucket);

    // Assess
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.logBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          denyInsecureTransport,
          Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
  });
});

describe('FeedwrightStack: table', () => {
  it('is on-demand with a new-and-old-images stream and point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('uses the storage package key schema and both sparse indexes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Match.arrayWith(
        Object.values(TABLE_INDEXES).map((index) =>
          Match.objectLike({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }),
        ),
      ),
    });
  });

  it('is retained when the stack is deleted', () => {
    expect(resource(stack.table)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('FeedwrightStack: functions', () => {
  it('runs all four on Node.js 22, arm64 (the search index x86_64, its Pagefind binary), JSON logs into their own log groups', () => {
    for (const fn of [stack.ingest, stack.render, stack.reconcile, stack.searchIndex.fn]) {
      expect(resource(fn.function).Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: [fn === stack.searchIndex.fn ? 'x86_64' : 'arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(fn.logGroup) } },
      });
    }
    // The deploy-time handlers CDK adds have groups of their own (tests/infra/operations.test.ts).
    for (const fn of [stack.ingest, stack.render, stack.reconcile, stack.searchIndex.fn]) {
      expect(resource(fn.logGroup).Properties).toMatchObject({ RetentionInDays: 90 });
    }
  });

  it('gives ingest 512 MB / 30 s and the contract environment', () => {
    expect(resource(stack.ingest.function).Properties).toMatchObject({
      MemorySize: 512,
      Timeout: 30,
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: logicalId(stack.table) },
          MAX_DIGEST_BYTES: String(5 * 1024 * 1024),
          DIGEST_TIMEZONE: 'UTC',
          POWERTOOLS_SERVICE_NAME: 'feedwright-ingest',
          POWERTOOLS_METRICS_NAMESPACE: 'feedwright',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('gives render 1024 MB / 120 s and a base URL on the distribution domain', () => {
    expect(resource(stack.render.function).Properties).toMatchObject({
      MemorySize: 1024,
      Timeout: 120,
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: logicalId(stack.table) },
          SITE_BUCKET: { Ref: logicalId(stack.siteBucket) },
          SITE_BASE_URL: {
            'Fn::Join': ['', ['https://', getAtt(stack.site.distribution, 'DomainName'), '/']],
          },
          POWERTOOLS_SERVICE_NAME: 'feedwright-render',
          POWERTOOLS_METRICS_NAMESPACE: 'feedwright',
        },
      },
    });
  });

  const assetDirOf = (fn: PipelineFunction) => {
    const code = resource(fn.function).Properties?.Code as { S3Key: string };
    return join(synthesized.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  };

  it('bundles each handler as minified ES module chunks, each with a source map and the AWS SDK inside', () => {
    for (const fn of [stack.ingest, stack.render, stack.reconcile, stack.searchIndex.fn]) {
      // Prepare
      const assetDir = assetDirOf(fn);

      // Act: every chunk that index.mjs imports, now or later, must be in the asset.
      const files = bundleFiles(assetDir);

      // Assess
      expect(resource(fn.function).Properties).toMatchObject({
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
      });
      expect(files.init).toContain('index.mjs');
      expect(files.init.length).toBeGreaterThan(1);
      for (const file of [...files.init, ...files.later]) {
        const code = readFileSync(join(assetDir, file), 'utf8');
        expect(existsSync(join(assetDir, `${file}.map`))).toBe(true);
        // Each chunk is a module of its own, and its CommonJS dependencies need their own `require`.
        expect(
          code.startsWith("const require = process.getBuiltinModule('node:module').createRequire("),
        ).toBe(true);
        // Built-in modules are taken as CommonJS ones, never imported (their ES module facades are slow).
        expect(code).not.toMatch(
          /\b(?:from|import)\s*\(?\s*["'](?:node:)?(?:http|https|stream|crypto|fs|path|os)["']/,
        );
        expect(code).toContain(`sourceMappingURL=${file}.map`);
        // A bare import of an SDK package would mean the runtime's SDK is used instead of the pinned one.
        expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
        // Minified: a line break only every few hundred bytes at most (template literals keep theirs).
        expect(code.split('\n').length).toBeLessThan(Math.max(10, code.length / 500));
      }
    }
  });

  it('loads mail parsing, the SNS client and the CloudFront client only with import(), never at init', () => {
    // Prepare: strings only these libraries hold (iconv-lite's error, SNS's and CloudFront's API).
    const markers = {
      mail: 'Encoding not recognized',
      sns: 'KMSThrottling',
      cloudFront: 'TooManyInvalidationsInProgress',
    };
    const loaded = (fn: PipelineFunction) => {
      const dir = assetDirOf(fn);
      const files = bundleFiles(dir);
      return { init: textOf(dir, files.init), later: textOf(dir, files.later) };
    };

    // Act
    const ingest = loaded(stack.ingest);
    const render = loaded(stack.render);
    const reconcile = loaded(stack.reconcile);
    const searchIndex = loaded(stack.searchIndex.fn);

    // Assess
    for (const bundle of [ingest, render, reconcile, searchIndex]) {
      for (const marker of Object.values(markers)) expect(bundle.init).not.toContain(marker);
    }
    expect(ingest.later).toContain(markers.mail);
    expect(ingest.later).toContain(markers.sns);
    expect(render.later).toContain(markers.cloudFront);
    expect(reconcile.later).toContain(markers.mail);
    expect(reconcile.later).toContain(markers.cloudFront);
  });

  it("ships each function only the code it can run, not other functions' lazy chunks", () => {
    // Prepare: as above, strings only mail parsing, the SNS client and the CloudFront client hold; and
    // one of the digest parser's messages, which render and search-index never parse.
    const markers = {
      mail: 'Encoding not recognized',
      sns: 'KMSThrottling',
      cloudFront: 'TooManyInvalidationsInProgress',
      digestParser: 'the line after the date must be the digest title',
    };
    const asset = (fn: PipelineFunction) => {
      const dir = assetDirOf(fn);
      return textOf(dir, bundleFiles(dir).all);
    };

    // Act
    const ingest = asset(stack.ingest);
    const render = asset(stack.render);
    const searchIndex = asset(stack.searchIndex.fn);

    // Assess
    expect(ingest).toContain(markers.digestParser);
    expect(ingest).not.toContain(markers.cloudFront);
    for (const code of [render, searchIndex]) {
      expect(code).not.toContain(markers.mail);
      expect(code).not.toContain(markers.sns);
      expect(code).not.toContain(markers.digestParser);
    }
    expect(searchIndex).not.toContain(markers.cloudFront);
  });

  it('bundles the schemas of the S3 operations the functions send, not the whole S3 API', () => {
    for (const fn of [stack.ingest, stack.render, stack.reconcile, stack.searchIndex.fn]) {
      // Act
      const dir = assetDirOf(fn);
      const code = textOf(dir, bundleFiles(dir).all);

      // Assess: PutObject is sent by every function; no function configures a bucket's lifecycle.
      expect(code).toContain('"PutObjectRequest"');
      expect(code).not.toContain('"PutBucketLifecycleConfigurationRequest"');
    }
  });

  it('reads a mailed digest with the chunks ingest loads for a mail/ key (GB 18030 text, an HTML-only message)', async () => {
    // Prepare: the module ingest imports for a mail/ key, found by what it exports.
    const dir = assetDirOf(stack.ingest);
    const lazy = bundleFiles(dir).later.filter((file) =>
      /export\s*\{[^}]*\bas acceptMailDigest\b/.test(readFileSync(join(dir, file), 'utf8')),
    );
    const policy = {
      verdicts: 'trusted',
      allowedSenders: parseAllowedSenders('@newsletter.example.com'),
    } as const;

    // Act
    const bundled = (await import(pathToFileURL(join(dir, lazy[0] ?? 'missing.mjs')).href)) as {
      acceptMailDigest: typeof acceptMailDigest;
    };
    const results = await Promise.all(
      ['cx-daily-2022-10-17-cjk-gb18030', 'cx-daily-2020-12-01-html-only'].map(async (name) => ({
        bundled: (await bundled.acceptMailDigest(eml(name), { policy })).digest,
        source: (await acceptMailDigest(eml(name), { policy })).digest,
      })),
    );

    // Assess
    expect(lazy).toHaveLength(1);
    for (const { bundled: digest, source } of results) {
      expect(digest.stories.length).toBeGreaterThan(0);
      expect(digest).toEqual(source);
    }
  });

  it('bundles only the environment credential provider, not the SDK default chain', () => {
    // Act
    const bundles = [stack.ingest, stack.render, stack.reconcile].map((fn) => {
      const dir = assetDirOf(fn);
      return textOf(dir, bundleFiles(dir).all);
    });

    // Assess: SSO and web-identity settings are read only by the chain's other providers.
    for (const code of bundles) {
      expect(code).toContain('AWS_SECRET_ACCESS_KEY');
      expect(code).not.toContain('sso_start_url');
      expect(code).not.toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
    }
  });

  it('produces bundles Node loads as ESM, and ingest runs its middy chain from the bundle', async () => {
    // Prepare
    const bundlePath = (fn: PipelineFunction) => join(assetDirOf(fn), 'index.mjs');
    const ingest = (await import(pathToFileURL(bundlePath(stack.ingest)).href)) as { handler: unknown };
    const render = (await import(pathToFileURL(bundlePath(stack.render)).href)) as { handler: unknown };
    const previous = process.env.TABLE_NAME;
    process.env.TABLE_NAME = 'feedwright-test';

    // Act: a record outside digests/ is logged and ignored without touching AWS.
    const run =
      typeof ingest.handler === 'function'
        ? (ingest.handler as (event: unknown, context: unknown) => Promise<unknown>)(
            {
              Records: [
                {
                  eventSource: 'aws:s3',
                  eventName: 'ObjectCreated:Put',
                  s3: {
                    bucket: { name: 'incoming' },
                    object: { key: 'elsewhere/x.txt', size: 1, sequencer: '01' },
                  },
                },
              ],
            },
            { functionName: 'ingest', awsRequestId: 'test', getRemainingTimeInMillis: () => 30_000 },
          )
        : Promise.reject(new Error('the ingest bundle exports no handler'));

    // Assess
    try {
      await expect(run).resolves.toBeUndefined();
      expect(typeof render.handler).toBe('function');
    } finally {
      if (previous === undefined) delete process.env.TABLE_NAME;
      else process.env.TABLE_NAME = previous;
    }
  });

  it('lets ingest read digests (404 when gone), write reports and read/write items, and nothing else', () => {
    // Act
    const statements = statementsOf(stack.ingest.role);

    // Assess
    const table = getAtt(stack.table, 'Arn');
    const indexes = { 'Fn::Join': ['', [table, '/index/*']] };
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resource: objectsArn(stack.incomingBucket, 'digests/*'),
        },
        { actions: ['s3:ListBucket'], resource: getAtt(stack.incomingBucket, 'Arn') },
        {
          actions: ['s3:GetObject', 's3:PutObject'],
          resource: objectsArn(stack.incomingBucket, 'reports/*'),
        },
        {
          // Exactly what DynamoItemTable sends: no UpdateItem, DeleteItem, BatchWriteItem or ConditionCheckItem.
          actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
          resource: [table, indexes],
        },
        {
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resource: getAtt(stack.ingest.logGroup, 'Arn'),
        },
        {
          actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          resource: getAtt(stack.ingestFailures.queue, 'Arn'),
        },
        { actions: ['sns:Publish'], resource: { Ref: logicalId(stack.reports.topic) } },
        { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resource: getAtt(stack.reports.key, 'Arn') },
        // Active tracing: X-Ray's two actions have no resource-level permissions.
        { actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resource: '*' },
      ]),
    );
    expect(statements).toHaveLength(9);
  });

  it("gives reconcile ingest's rights on digests and items, render's on the site, and invalidation", () => {
    // Act
    const statements = statementsOf(stack.reconcile.role);

    // Assess
    const table = getAtt(stack.table, 'Arn');
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          actions: ['s3:ListBucket'],
          resource: [getAtt(stack.incomingBucket, 'Arn'), getAtt(stack.siteBucket, 'Arn')],
        },
        {
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resource: objectsArn(stack.incomingBucket, 'digests/*'),
        },
        {
          actions: ['s3:GetObject', 's3:PutObject'],
          resource: objectsArn(stack.incomingBucket, 'reports/*'),
        },
        {
          actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          resource: objectsArn(stack.siteBucket, '*'),
        },
        {
          actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
          resource: [table, { 'Fn::Join': ['', [table, '/index/*']] }],
        },
        { actions: ['cloudfront:CreateInvalidation'], resource: distributionArn() },
        {
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resource: getAtt(stack.reconcile.logGroup, 'Arn'),
        },
        { actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resource: '*' },
      ]),
    );
    expect(statements).toHaveLength(8);
  });

  it('runs reconcile daily by default, on the function with the stack settings', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: getAtt(stack.reconcile.function, 'Arn') })],
    });
    expect(resource(stack.reconcile.function).Properties?.Environment).toMatchObject({
      Variables: {
        INCOMING_BUCKET: { Ref: logicalId(stack.incomingBucket) },
        SITE_BUCKET: { Ref: logicalId(stack.siteBucket) },
        DISTRIBUTION_ID: { Ref: logicalId(stack.site.distribution) },
      },
    });
  });

  it('lets render query stories, manage site objects and read the stream, and nothing else', () => {
    // Act
    const statements = statementsOf(stack.render.role);

    // Assess
    const table = getAtt(stack.table, 'Arn');
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
          resource: [table, { 'Fn::Join': ['', [table, '/index/*']] }],
        },
        {
          actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          resource: objectsArn(stack.siteBucket, '*'),
        },
        { actions: ['s3:ListBucket'], resource: getAtt(stack.siteBucket, 'Arn') },
        {
          actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          resource: getAtt(stack.table, 'StreamArn'),
        },
        // ListStreams (added by the stream event source) and X-Ray's two actions (active tracing) have no
        // resource-level permissions; CDK merges them into one statement.
        {
          actions: ['dynamodb:ListStreams', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
          resource: '*',
        },
        {
          actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          resource: getAtt(stack.renderFailures.queue, 'Arn'),
        },
        {
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resource: getAtt(stack.render.logGroup, 'Arn'),
        },
        // The takedown: this distribution only, no other.
        { actions: ['cloudfront:CreateInvalidation'], resource: distributionArn() },
        // Each digest that went live, next to its report: nothing else in the incoming bucket.
        { actions: ['s3:PutObject'], resource: objectsArn(stack.incomingBucket, 'reports/live/*') },
      ]),
    );
    expect(statements).toHaveLength(9);
    expect(resource(stack.render.function).Properties?.Environment).toMatchObject({
      Variables: { DISTRIBUTION_ID: { Ref: logicalId(stack.site.distribution) } },
    });
  });

  it('grants dynamodb:Scan to no one and attaches no AWS-managed policy to the function roles', () => {
    // Prepare
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Statement[]).flatMap((statement) => statement.Action),
    );

    // Assess
    expect(actions.some((action) => /^dynamodb:(Scan|\*)$/.test(action))).toBe(false);
    for (const fn of [stack.ingest, stack.render, stack.reconcile]) {
      expect(resource(fn.role).Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('FeedwrightStack: failure handling', () => {
  it('retries ingest twice, then parks the event on its failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(stack.ingest.function) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: getAtt(stack.ingestFailures.queue, 'Arn') } },
    });
  });

  it('feeds render from the stream in bisected, partially-failable, bounded batches of STORY#, ISSUES# and REDIRECTS records', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.render.function) },
      EventSourceArn: getAtt(stack.table, 'StreamArn'),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: getAtt(stack.renderFailures.queue, 'Arn') } },
      FilterCriteria: {
        Filters: ['STORY#', 'ISSUES#', 'REDIRECTS'].map((prefix) => ({
          Pattern: JSON.stringify({ dynamodb: { Keys: { pk: { S: [{ prefix }] } } } }),
        })),
      },
    });
  });

  it('keeps failure queues encrypted, TLS-only and for 14 days', () => {
    for (const failures of [stack.ingestFailures, stack.renderFailures]) {
      expect(resource(failures.queue).Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(failures.queue) }],
        PolicyDocument: { Statement: Match.arrayWith([denyInsecureTransport]) },
      });
    }
  });
});

describe('FeedwrightStack: CloudFront', () => {
  it('serves the site bucket through Origin Access Control, compressed, over HTTP/2 and 3', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        HttpVersion: 'http2and3',
        Origins: [
          Match.objectLike({
            DomainName: getAtt(stack.siteBucket, 'RegionalDomainName'),
            OriginAccessControlId: Match.anyValue(),
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({
          Compress: true,
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          CachePolicyId: { Ref: logicalId(stack.site.cachePolicy) },
          ResponseHeadersPolicyId: { Ref: logicalId(stack.site.pagesHeadersPolicy) },
        }),
        Logging: { Bucket: getAtt(stack.logBucket, 'RegionalDomainName'), Prefix: 'cloudfront/' },
        CustomErrorResponses: [{ ErrorCode: 404, ErrorCachingMinTTL: 10 }],
      }),
    });
  });

  it('uses the default certificate and no aliases when no domain is given', () => {
    // Prepare
    const config = resource(stack.site.distribution).Properties?.DistributionConfig as Record<
      string,
      unknown
    >;

    // Assess
    expect(config.Aliases).toBeUndefined();
    expect(config.ViewerCertificate).toBeUndefined();
    expect(config.WebACLId).toBeUndefined();
  });

  it('adds CORS to every feed through a behavior of their own', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: Match.arrayWith([
          Match.objectLike({
            PathPattern: 'feeds/*',
            Compress: true,
            ViewerProtocolPolicy: 'redirect-to-https',
            AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
            CachePolicyId: { Ref: logicalId(stack.site.cachePolicy) },
            ResponseHeadersPolicyId: { Ref: logicalId(stack.site.feedsHeadersPolicy) },
          }),
        ]),
      }),
    });
    expect(resource(stack.site.feedsHeadersPolicy).Properties).toMatchObject({
      ResponseHeadersPolicyConfig: {
        CorsConfig: {
          AccessControlAllowOrigins: { Items: ['*'] },
          AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'OPTIONS'] },
          AccessControlAllowCredentials: false,
          OriginOverride: true,
        },
      },
    });
  });

  it('caches 60 s by default, honours origin Cache-Control up to a day, and compresses', () => {
    expect(resource(stack.site.cachePolicy).Properties).toMatchObject({
      CachePolicyConfig: {
        DefaultTTL: 60,
        MinTTL: 0,
        MaxTTL: 86_400,
        ParametersInCacheKeyAndForwardedToOrigin: {
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
        },
      },
    });
  });

  it('sends HSTS, nosniff, frame denial, a referrer policy and the CSP on pages and feeds', () => {
    for (const policy of [stack.site.pagesHeadersPolicy, stack.site.feedsHeadersPolicy]) {
      expect(resource(policy).Properties).toMatchObject({
        ResponseHeadersPolicyConfig: {
          SecurityHeadersConfig: {
            StrictTransportSecurity: {
              AccessControlMaxAgeSec: 730 * 86_400,
              IncludeSubdomains: true,
              Override: true,
            },
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
            ContentSecurityPolicy: { ContentSecurityPolicy: SITE_CONTENT_SECURITY_POLICY, Override: true },
          },
        },
      });
    }
    expect(SITE_CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
    expect(SITE_CONTENT_SECURITY_POLICY).not.toContain('script-src');
  });
});

describe('FeedwrightStack: alarms', () => {
  it('alarms on errors and throttles of both functions', () => {
    for (const fn of [stack.ingest.function, stack.render.function]) {
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn) } }],
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    }
  });

  it('alarms as soon as a failure queue holds a message', () => {
    for (const failures of [stack.ingestFailures, stack.renderFailures]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(failures.queue, 'QueueName') }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('alarms when render falls five minutes behind its stream', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack.render.function) } }],
      Statistic: 'Maximum',
      Threshold: 300_000,
    });
    // Errors and throttles of four functions, three failure queues, render's and the search index's
    // iterator age, reconcile repairs, freshness (no mail refusals without mail).
    template.resourceCountIs('AWS::CloudWatch::Alarm', 15);
  });

  it('has no alarm topic and no alarm actions without an alarm email (only the report topic)', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'feedwright reports' });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });
});

describe('FeedwrightStack: outputs', () => {
  it('gives the site URL, the buckets, the upload command, the failure queues and the search index rebuild', () => {
    // Prepare
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'SiteUrl',
        'IncomingBucketName',
        'SiteBucketName',
        'UploadCommand',
        'IngestFailureQueueUrl',
        'RenderFailureQueueUrl',
        'IngestRedriveCommand',
        'RenderRedriveCommand',
        'SearchIndexCommand',
      ]),
    );
    template.hasOutput('SiteUrl', {
      Value: { 'Fn::Join': ['', ['https://', getAtt(stack.site.distribution, 'DomainName'), '/']] },
    });
    template.hasOutput('IncomingBucketName', { Value: { Ref: logicalId(stack.incomingBucket) } });
    template.hasOutput('SiteBucketName', { Value: { Ref: logicalId(stack.siteBucket) } });
    template.hasOutput('UploadCommand', {
      Value: {
        'Fn::Join': [
          '',
          ['aws s3 cp digest.txt s3://', { Ref: logicalId(stack.incomingBucket) }, '/digests/'],
        ],
      },
    });
    template.hasOutput('IngestFailureQueueUrl', { Value: { Ref: logicalId(stack.ingestFailures.queue) } });
    template.hasOutput('RenderFailureQueueUrl', { Value: { Ref: logicalId(stack.renderFailures.queue) } });
    template.hasOutput('SearchIndexCommand', {
      Value: {
        'Fn::Join': [
          '',
          [
            'aws lambda invoke --function-name ',
            { Ref: logicalId(stack.searchIndex.fn.function) },
            " --payload '{}' --cli-binary-format raw-in-base64-out --cli-read-timeout 0 /dev/stdout",
          ],
        ],
      },
    });
    template.hasOutput('IngestRedriveCommand', {
      Value: {
        'Fn::Join': [
          '',
          [
            'npx feedwright redrive --queue-url ',
            { Ref: logicalId(stack.ingestFailures.queue) },
            ' --function-name ',
            { Ref: logicalId(stack.ingest.function) },
          ],
        ],
      },
    });
  });
});

describe('FeedwrightStack: cdk-nag and annotations', () => {
  it('leaves no unacknowledged AwsSolutions finding, error or warning', () => {
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synthesized.app);

    // Assess
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('synthesizes with no CDK error or warning annotation', () => {
    // Act
    const annotations = Annotations.fromStack(stack);

    // Assess
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('gives every acknowledgement a reason a reviewer can read', () => {
    // Prepare
    const reasons = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .filter(([id]) => id.includes('AwsSolutions-'));

    // Assess
    expect(reasons.length).toBeGreaterThanOrEqual(10);
    for (const [id, reason] of reasons) {
      expect(reason.length, id).toBeGreaterThan(60);
      expect(reason.endsWith('.'), id).toBe(true);
    }
  });
});
