import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedwrightConfigError, type FeedwrightStack } from '../../infra/lib/feedwright-stack.ts';
import { type Synthesized, synthFeedwright } from './synth-feedwright.ts';

const MAIL = { mailDomain: 'digests.example.com', allowedSenders: 'Editor@X.com, @newsletter.example.com' };

let synthesized: Synthesized;
let stack: FeedwrightStack;
let template: Template;

function logicalId(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
const bucketArn = () => ({ 'Fn::GetAtt': [logicalId(stack.incomingBucket), 'Arn'] });

beforeAll(() => {
  // Throws if cdk-nag reports an unacknowledged finding on the stack with mail receiving.
  synthesized = synthFeedwright({ context: MAIL, skipBundling: true });
  stack = synthesized.stack;
  template = synthesized.template;
});

afterAll(() => synthesized.cleanup());

describe('FeedwrightStack with -c mailDomain and -c allowedSenders', () => {
  it('has an SES rule that stores every message for the domain under mail/ of the incoming bucket', () => {
    // Assess
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Enabled: true,
        Recipients: ['digests.example.com'],
        ScanEnabled: true,
        Actions: [
          { S3Action: { BucketName: { Ref: logicalId(stack.incomingBucket) }, ObjectKeyPrefix: 'mail/' } },
        ],
      }),
    });
    template.hasResourceProperties('Custom::AWS', {
      Create: Match.stringLikeRegexp('"action":"setActiveReceiptRuleSet"'),
    });
  });

  it('lets SES write only mail/* of the incoming bucket, for this account and rule', () => {
    // Prepare
    const policies = template.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: logicalId(stack.incomingBucket) } },
    });
    const statements = Object.values(policies).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>,
    );

    // Act
    const forSes = statements.filter((statement) =>
      JSON.stringify(statement.Principal ?? '').includes('ses.'),
    );

    // Assess
    expect(forSes).toHaveLength(1);
    expect(forSes[0]).toMatchObject({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [bucketArn(), '/mail/*']] },
      Condition: {
        StringEquals: {
          'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
          'AWS:SourceArn': {
            'Fn::Join': [
              '',
              expect.arrayContaining([
                ':receipt-rule-set/Feedwright-mail:receipt-rule/store-in-incoming-bucket',
              ]),
            ],
          },
        },
      },
    });
  });

  it('notifies ingest of mail/ objects as of digests/ ones', () => {
    // Assess
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalId(stack.incomingBucket) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: Match.arrayEquals(
          ['digests/', 'mail/'].flatMap((prefix) =>
            ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'].map((event) => ({
              Events: [event],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
              LambdaFunctionArn: { 'Fn::GetAtt': [logicalId(stack.ingest.function), 'Arn'] },
            })),
          ),
        ),
      },
    });
  });

  it.each(['ingest', 'reconcile'] as const)(
    'gives %s the normalised allow-list and read access to mail/*',
    (name) => {
      // Prepare
      const fn = stack[name];
      const policies = template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: logicalId(fn.role) }] },
      });

      // Act
      const reads = Object.values(policies)
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>)
        .filter((statement) => [statement.Action].flat().includes('s3:GetObject'))
        .flatMap((statement) => [statement.Resource].flat());
      const variables = template.toJSON().Resources[logicalId(fn.function)].Properties.Environment.Variables;

      // Assess
      expect(variables.ALLOWED_SENDERS).toBe('editor@x.com,@newsletter.example.com');
      expect(reads).toContainEqual({ 'Fn::Join': ['', [bucketArn(), '/mail/*']] });
      expect(reads).toContainEqual({ 'Fn::Join': ['', [bucketArn(), '/digests/*']] });
    },
  );

  it('gives render neither the allow-list nor mail/*', () => {
    // Assess
    const variables =
      template.toJSON().Resources[logicalId(stack.render.function)].Properties.Environment.Variables;
    expect(variables.ALLOWED_SENDERS).toBeUndefined();
    expect(
      JSON.stringify(
        template.findResources('AWS::IAM::Policy', {
          Properties: { Roles: [{ Ref: logicalId(stack.render.role) }] },
        }),
      ),
    ).not.toContain('/mail/');
  });

  it('outputs the MX record to add', () => {
    // Assess
    template.hasOutput('MailMxRecord', {
      Value: {
        'Fn::Join': [
          '',
          ['digests.example.com. MX 10 inbound-smtp.', { Ref: 'AWS::Region' }, '.amazonaws.com.'],
        ],
      },
    });
  });
});

describe('FeedwrightStack mail configuration', () => {
  it('has no SES resources without -c mailDomain', () => {
    // Act
    const plain = synthFeedwright({ skipBundling: true });

    // Assess
    try {
      plain.template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
      plain.template.resourceCountIs('AWS::SES::ReceiptRule', 0);
      expect(JSON.stringify(plain.template.toJSON())).not.toContain('ALLOWED_SENDERS');
    } finally {
      plain.cleanup();
    }
  });

  it.each([
    [{ mailDomain: 'digests.example.com' }, /needs both -c mailDomain=.* and -c allowedSenders=/],
    [{ allowedSenders: 'a@x.com' }, /needs both/],
    [{ mailDomain: 'not a domain', allowedSenders: 'a@x.com' }, /mailDomain must be a domain name/],
    [{ mailDomain: 'digests.example.com', allowedSenders: 'x.com' }, /"x.com" is neither an address/],
    [{ mailDomain: 'digests.example.com', allowedSenders: ' , ' }, /names nobody/],
  ])('refuses %j with a message saying what to pass', (context, message) => {
    // Act + Assess
    expect(() => synthFeedwright({ context, skipBundling: true })).toThrow(FeedwrightConfigError);
    expect(() => synthFeedwright({ context, skipBundling: true })).toThrow(message);
  });
});
