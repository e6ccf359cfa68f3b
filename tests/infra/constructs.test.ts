import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { IncomingBucket, LogBucket, SiteBucket } from '../../infra/lib/constructs/buckets.ts';
import { StoryTable } from '../../infra/lib/constructs/story-table.ts';

/** A stack with cdk-nag's checks, as the app registers them, and a role to grant to. */
function prepare(): { app: App; stack: Stack; role: iam.Role } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const role = new iam.Role(stack, 'FnRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, role };
}

/** The cdk-nag errors left on the stack after synthesis. */
function nagErrors(app: App, stack: Stack): string[] {
  app.synth();
  return Annotations.fromStack(stack)
    .findError('*', Match.stringLikeRegexp('AwsSolutions-'))
    .map((message) => String(message.entry.data));
}

// The first synthesis with cdk-nag loads and compiles most of aws-cdk-lib: done once here, under the
// hook timeout, so that no test's own timing includes it on a busy machine.
beforeAll(() => {
  const { app } = prepare();
  app.synth();
});

describe('Construct: IncomingBucket', () => {
  it('is versioned and retained, and grants ingest digests/ (any version) to read and reports/ to read and write', () => {
    // Prepare
    const { app, stack, role } = prepare();
    const logs = new LogBucket(stack, 'Logs');
    const incoming = new IncomingBucket(stack, 'Incoming', { logBucket: logs.bucket });

    // Act
    incoming.grantIngest(role);
    const template = Template.fromStack(stack);

    // Assess
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ VersioningConfiguration: { Status: 'Enabled' } }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Resource: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
          }),
          Match.objectLike({ Action: ['s3:GetObject', 's3:PutObject'] }),
        ]),
      },
    });
    const statements = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(statements).toContain('/digests/*');
    expect(statements).toContain('/reports/*');
    expect(nagErrors(app, stack)).toEqual([]);
  });
});

describe('Construct: SiteBucket', () => {
  it('is destroyed with the stack and grants render its objects, with its nag findings acknowledged', () => {
    // Prepare
    const { app, stack, role } = prepare();
    const logs = new LogBucket(stack, 'Logs');
    const site = new SiteBucket(stack, 'Site', { logBucket: logs.bucket });

    // Act
    site.grantRender(role);
    const template = Template.fromStack(stack);

    // Assess
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ CorsConfiguration: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] }),
          Match.objectLike({ Action: 's3:ListBucket' }),
        ]),
      },
    });
    expect(nagErrors(app, stack)).toEqual([]);
  });
});

describe('Construct: StoryTable', () => {
  it('has the schema keys, both indexes and a stream, and grants without Scan', () => {
    // Prepare
    const { app, stack, role } = prepare();
    const table = new StoryTable(stack, 'Table');

    // Act
    table.grantIngest(role);
    const template = Template.fromStack(stack);

    // Assess
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({ IndexName: 'byTopic' }),
          Match.objectLike({ IndexName: 'all' }),
        ],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        DeletionProtectionEnabled: true,
      }),
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('dynamodb:Scan');
    expect(nagErrors(app, stack)).toEqual([]);
  });
});
