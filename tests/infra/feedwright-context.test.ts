import { SETTINGS, SITE_SETTING_NAMES } from '@feedwright/config';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFeedwrightStack } from '../../infra/lib/feedwright-app.ts';
import { FeedwrightConfigError, type FeedwrightStack } from '../../infra/lib/feedwright-stack.ts';
import { cdkJsonContext, type Synthesized, synthFeedwright } from './synth-feedwright.ts';

const CONTEXT = {
  domainName: 'feeds.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b6c3a3e-1111-2222-3333-444455556666',
  alarmEmail: 'ops@example.com',
  webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/feedwright/abc',
  siteTitle: 'Daily Digest Feeds',
  digestTimezone: 'Asia/Shanghai',
  reconcileSchedule: 'cron(15 3 * * ? *)',
};

let synthesized: Synthesized;
let stack: FeedwrightStack;
let template: Template;

function logicalId(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

beforeAll(() => {
  synthesized = synthFeedwright({ context: CONTEXT });
  stack = synthesized.stack;
  template = synthesized.template;
});

afterAll(() => synthesized.cleanup());

describe('FeedwrightStack with every optional context key', () => {
  it('serves the custom domain with its certificate, TLS 1.2 (2021) and SNI, behind the web ACL', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['feeds.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: CONTEXT.certificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
        WebACLId: CONTEXT.webAclArn,
      }),
    });
  });

  it('gives render and the outputs the custom base URL', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SITE_BASE_URL: 'https://feeds.example.com/',
          SITE_TITLE: 'Daily Digest Feeds',
        }),
      },
    });
    template.hasOutput('SiteUrl', { Value: 'https://feeds.example.com/' });
  });

  it('runs reconcile on the given schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(15 3 * * ? *)' });
  });

  it('reads digests in the given time zone', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DIGEST_TIMEZONE: 'Asia/Shanghai' }) },
    });
  });

  it('emails every alarm through a KMS-encrypted, TLS-only topic CloudWatch can publish to', () => {
    // Prepare
    const topic = stack.alarms.topic;
    if (topic === undefined) throw new Error('expected an alarm topic');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalId(topic) },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    // Errors and throttles of four functions, three failure queues, two iterator ages, reconcile
    // repairs, freshness (no mail here).
    expect(alarms).toHaveLength(15);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: logicalId(topic) }]);
    }
  });

  it('leaves no unacknowledged AwsSolutions finding (the TLS and WAF ones now hold without acknowledgement)', () => {
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synthesized.app);
    const acknowledged = stack.site.distribution.node.metadata
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>));

    // Assess
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(acknowledged.some((id) => id.endsWith('AwsSolutions-CFR4'))).toBe(false);
    expect(acknowledged.some((id) => id.endsWith('AwsSolutions-CFR2'))).toBe(false);
  });
});

describe('FeedwrightStack context validation', () => {
  it('refuses a domain without a certificate', () => {
    expect(() =>
      synthFeedwright({ context: { domainName: 'feeds.example.com' }, skipBundling: true }),
    ).toThrow(/needs both -c domainName=<host> and -c certificateArn=/);
  });

  it('refuses a certificate outside us-east-1', () => {
    expect(() =>
      synthFeedwright({
        context: {
          domainName: 'feeds.example.com',
          certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        },
        skipBundling: true,
      }),
    ).toThrow(/must be an ACM certificate in us-east-1/);
  });

  it.each([
    ['digestTimezone', 'Mars/Base', /-c digestTimezone: unknown time zone 'Mars\/Base'/],
    ['itemsPerFeed', 'fifty', /-c itemsPerFeed must be a whole number, not 'fifty'/],
    ['reconcileSchedule', 'daily', /-c reconcileSchedule must be an EventBridge schedule/],
    ['alarmEmail', 'ops-at-example.com', /alarmEmail must be an e-mail address/],
    [
      'webAclArn',
      'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y',
      /webAclArn must be the ARN of a WAF web ACL/,
    ],
    ['siteTitle', 'Two\nlines', /siteTitle must be a title of 1 to 200 characters/],
  ])('refuses -c %s=%s, which could not work once deployed', (key, value, message) => {
    expect(() => synthFeedwright({ context: { [key]: value }, skipBundling: true })).toThrow(message);
  });

  it('refuses an unknown context key, naming the one meant, before any resource is made', () => {
    // Act
    const synth = () => synthFeedwright({ context: { digestTimeZone: 'Asia/Shanghai' }, skipBundling: true });

    // Assess
    expect(synth).toThrow(FeedwrightConfigError);
    expect(synth).toThrow(/unknown context key 'digestTimeZone': did you mean 'digestTimezone'\?/);
  });

  it('refuses a malformed domain name', () => {
    expect(() =>
      synthFeedwright({
        context: { domainName: 'feeds example', certificateArn: CONTEXT.certificateArn },
        skipBundling: true,
      }),
    ).toThrow(/domainName must be a DNS host name/);
  });

  it('refuses a context value that is not a string', () => {
    expect(() => synthFeedwright({ context: { alarmEmail: 42 }, skipBundling: true })).toThrow(
      /Context value alarmEmail must be a string/,
    );
    expect(() => synthFeedwright({ context: { alarmEmail: 42 }, skipBundling: true })).toThrow(
      FeedwrightConfigError,
    );
  });
});

describe('FeedwrightStack site settings', () => {
  it('gives every function the same site settings, from the context, the hub included', () => {
    // Prepare
    const site = synthFeedwright({
      context: {
        hubUrl: 'https://hub.example.net/',
        siteTitle: 'Daily Digest Feeds',
        itemsPerFeed: '20',
        language: 'en-GB',
      },
      skipBundling: true,
    });
    const SITE_VARIABLES = SITE_SETTING_NAMES.map((name) => SETTINGS[name].env);
    const siteVariablesOf = (variables: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(variables).filter(([name]) => SITE_VARIABLES.includes(name)));

    // Act
    const functions = Object.values(site.template.findResources('AWS::Lambda::Function'));
    const rendering = functions
      .map((fn) => (fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>)
      .filter((variables) => 'SITE_BUCKET' in variables);
    site.cleanup();

    // Assess
    expect(rendering.length).toBeGreaterThanOrEqual(2);
    const expected = siteVariablesOf(rendering[0] ?? {});
    expect(expected).toMatchObject({
      SITE_HUB_URL: 'https://hub.example.net/',
      SITE_TITLE: 'Daily Digest Feeds',
      ITEMS_PER_FEED: '20',
      SITE_LANGUAGE: 'en-GB',
      FEED_MAX_BYTES: String(512 * 1024),
    });
    // Every setting, defaults included; the unset ones that default to none (icon, logo…) left out.
    const given = SITE_SETTING_NAMES.filter(
      (name) => SETTINGS[name].defaultValue !== null || name === 'hubUrl',
    ).map((name) => SETTINGS[name].env);
    expect(Object.keys(expected).sort()).toEqual(given.sort());
    for (const variables of functions.map((fn) => fn.Properties?.Environment?.Variables ?? {})) {
      const siteVariables = siteVariablesOf(variables);
      if (Object.keys(siteVariables).length > 0) expect(siteVariables).toEqual(expected);
    }
  });
});

describe('cdk-nag as a synthesis gate', () => {
  it('fails synthesis when a resource has an unacknowledged finding', () => {
    // Prepare
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const gated = addFeedwrightStack(app);
    new s3.Bucket(gated, 'Careless'); // no access logs, no TLS enforcement

    // Act + Assess
    expect(() => app.synth()).toThrow(/S3 Bucket has server access logs disabled/);
  });
});
