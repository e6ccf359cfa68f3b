import { isSearchPath } from '@feedwright/site';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedwrightStack } from '../../infra/lib/feedwright-stack.ts';
import { type Synthesized, synthFeedwright } from './synth-feedwright.ts';

const HUB = 'https://hub.example.net/websub';

function logicalId(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

describe('FeedwrightStack: the report topic', () => {
  let synthesized: Synthesized;
  let stack: FeedwrightStack;
  let template: Template;

  beforeAll(() => {
    synthesized = synthFeedwright({
      context: { editorEmail: 'desk@example.com', hubUrl: HUB },
      skipBundling: true,
    });
    stack = synthesized.stack;
    template = synthesized.template;
  });
  afterAll(() => synthesized.cleanup());

  it('encrypts the topic with its own rotating key and requires TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'feedwright reports',
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(stack.reports.key), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'feedwright report topic encryption',
      EnableKeyRotation: true,
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: logicalId(stack.reports.topic) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only the ingest role publish: every other principal is denied by the topic policy', () => {
    // Prepare
    const ingestRole = { 'Fn::GetAtt': [logicalId(stack.ingest.role), 'Arn'] };

    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'OnlyIngestPublishes',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sns:Publish',
            Resource: { Ref: logicalId(stack.reports.topic) },
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': ingestRole } },
          },
          {
            Sid: 'IngestPublishes',
            Effect: 'Allow',
            Principal: { AWS: ingestRole },
            Action: 'sns:Publish',
            Resource: { Ref: logicalId(stack.reports.topic) },
          },
        ]),
      },
    });
    const renderPolicies = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: logicalId(stack.render.role) }] },
      }),
    );
    expect(JSON.stringify(renderPolicies)).not.toContain('sns:Publish');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack.ingest.role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: logicalId(stack.reports.topic) } }),
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: { 'Fn::GetAtt': [logicalId(stack.reports.key), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('subscribes -c editorEmail and tells ingest where to publish', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'desk@example.com',
      TopicArn: { Ref: logicalId(stack.reports.topic) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('parse an uploaded digest'),
      Environment: {
        Variables: Match.objectLike({ REPORT_TOPIC_ARN: { Ref: logicalId(stack.reports.topic) } }),
      },
    });
    template.hasOutput('ReportTopicArn', { Value: { Ref: logicalId(stack.reports.topic) } });
  });

  it('gives render the hub and the feeds a viewer-response function writing the Link header', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('re-render'),
      Environment: { Variables: Match.objectLike({ SITE_HUB_URL: HUB }) },
    });
    const functions = Object.values(template.findResources('AWS::CloudFront::Function'));
    expect(functions).toHaveLength(1);
    const code = String((functions[0] as { Properties: { FunctionCode: string } }).Properties.FunctionCode);
    expect(code).toContain(JSON.stringify(HUB));
    expect(code).toContain('rel="self"');
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as {
      Properties: {
        DistributionConfig: { DefaultCacheBehavior: object; CacheBehaviors: Array<{ PathPattern: string }> };
      };
    };
    const config = distribution.Properties.DistributionConfig;
    // Every behavior that serves feeds: the search page's and index's serve none.
    const feedBehaviors = config.CacheBehaviors.filter((behavior) => !isSearchPath(behavior.PathPattern));
    for (const behavior of [config.DefaultCacheBehavior, ...feedBehaviors]) {
      expect(behavior).toMatchObject({ FunctionAssociations: [{ EventType: 'viewer-response' }] });
    }
  });

  it('leaves no unacknowledged AwsSolutions finding', () => {
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synthesized.app);

    // Assess
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});

describe('FeedwrightStack hubUrl validation', () => {
  it('refuses a hub that is not an absolute http(s) URL', () => {
    expect(() => synthFeedwright({ context: { hubUrl: 'hub.example.net' }, skipBundling: true })).toThrow(
      /-c hubUrl: hubUrl 'hub.example.net' is not an absolute URL/,
    );
  });
});

describe('FeedwrightStack without editorEmail and hubUrl', () => {
  it('still has the report topic, with no subscription, and no WebSub function', () => {
    // Act
    const synthesized = synthFeedwright({ skipBundling: true });

    // Assess
    try {
      synthesized.template.resourceCountIs('AWS::SNS::Subscription', 0);
      synthesized.template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'feedwright reports' });
      synthesized.template.resourceCountIs('AWS::CloudFront::Function', 0);
    } finally {
      synthesized.cleanup();
    }
  });
});
