import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { MailReceiving } from '../../infra/lib/constructs/mail-receiving.ts';

let stack: Stack;
let bucket: s3.Bucket;
let template: Template;

function build(region: string): { stack: Stack; bucket: s3.Bucket; mail: MailReceiving } {
  const app = new App();
  const built = new Stack(app, 'MailTest', { env: { region, account: '123456789012' } });
  const incoming = new s3.Bucket(built, 'Incoming', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
  const mail = new MailReceiving(built, 'Mail', {
    mailDomain: 'digests.example.com',
    bucket: incoming,
    prefix: 'mail/',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { stack: built, bucket: incoming, mail };
}

const ruleArn = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':receipt-rule-set/MailTest-mail:receipt-rule/store-in-incoming-bucket',
    ],
  ],
};

beforeAll(() => {
  ({ stack, bucket } = build('eu-west-1'));
  // Throws if cdk-nag reports an unacknowledged finding.
  template = Template.fromStack(stack);
});

describe('Construct: MailReceiving', () => {
  it('creates a rule set and a rule that stores every message for the domain under mail/', () => {
    // Assess
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'MailTest-mail' });
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      RuleSetName: { Ref: Match.stringLikeRegexp('^MailRuleSet') },
      Rule: {
        Name: 'store-in-incoming-bucket',
        Enabled: true,
        Recipients: ['digests.example.com'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [{ S3Action: { BucketName: { Ref: logicalId(bucket) }, ObjectKeyPrefix: 'mail/' } }],
      },
    });
  });

  it('lets SES put objects under mail/ only, for this account and this rule only', () => {
    // Prepare
    const policies = template.findResources('AWS::S3::BucketPolicy');
    const statements = Object.values(policies).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[],
    );

    // Act
    const forSes = statements.filter(
      (s) => JSON.stringify(s.Principal).includes('ses.amazonaws.com') && s.Effect === 'Allow',
    );

    // Assess
    expect(forSes).toEqual([
      {
        Sid: 'AllowSesToStoreMailOnly',
        Effect: 'Allow',
        Principal: { Service: 'ses.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(bucket), 'Arn'] }, '/mail/*']] },
        Condition: {
          StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' }, 'AWS:SourceArn': ruleArn },
        },
      },
    ]);
  });

  it('creates the rule only after the bucket policy (SES test-writes when the rule is made)', () => {
    // Prepare
    const rules = template.findResources('AWS::SES::ReceiptRule');
    const policyId = Object.keys(template.findResources('AWS::S3::BucketPolicy'))[0];

    // Assess
    expect(Object.values(rules)[0]?.DependsOn).toContain(policyId);
  });

  it('activates the rule set on create and update, and deactivates it on delete', () => {
    // Prepare
    const activate = JSON.stringify({
      service: 'SES',
      action: 'setActiveReceiptRuleSet',
      parameters: { RuleSetName: 'MailTest-mail' },
      physicalResourceId: { id: 'MailTest-mail' },
    });

    // Assess
    template.hasResourceProperties('Custom::AWS', {
      Create: activate,
      Update: activate,
      Delete: JSON.stringify({ service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} }),
      InstallLatestAwsSdk: false,
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: 'ses:SetActiveReceiptRuleSet', Effect: 'Allow', Resource: '*' }],
      },
    });
  });

  it('gives the activator no AWS-managed policy, only its own log group', () => {
    // Assess
    const roles = template.findResources('AWS::IAM::Role');
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('passes cdk-nag with no error or warning', () => {
    // Assess
    const findings = [
      ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-')),
      ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-')),
    ];
    expect(findings).toEqual([]);
  });

  it('warns when the stack is in a region where SES does not receive mail', () => {
    // Prepare
    const { stack: elsewhere } = build('sa-east-1');

    // Act
    Template.fromStack(elsewhere);

    // Assess
    Annotations.fromStack(elsewhere).hasWarning(
      '/MailTest/Mail',
      Match.stringLikeRegexp('SES receives mail only in some regions.*sa-east-1 may not be one'),
    );
  });
});

function logicalId(construct: s3.Bucket): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
