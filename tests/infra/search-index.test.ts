import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_CONTENT_SECURITY_POLICY, SITE_CONTENT_SECURITY_POLICY } from '@feedwright/site';
import { KEY_PREFIX } from '@feedwright/storage/schema';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedwrightStack } from '../../infra/lib/feedwright-stack.ts';
import { type Synthesized, synthFeedwright } from './synth-feedwright.ts';

type Statement = { readonly Action: string | string[]; readonly Resource: unknown; readonly Effect: string };

let synthesized: Synthesized;
let stack: FeedwrightStack;
let template: Template;

beforeAll(() => {
  synthesized = synthFeedwright();
  stack = synthesized.stack;
  template = synthesized.template;
});

afterAll(() => synthesized.cleanup());

const logicalId = (construct: Construct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const getAtt = (construct: Construct, attribute: string) => ({
  'Fn::GetAtt': [logicalId(construct), attribute],
});
const propertiesOf = (construct: Construct): Record<string, unknown> =>
  template.toJSON().Resources[logicalId(construct)].Properties;

describe('FeedwrightStack: the search-index function', () => {
  it('runs one at a time on x86_64, sized for ~50,000 stories, with the site settings and its Pagefind binary', () => {
    expect(propertiesOf(stack.searchIndex.fn.function)).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['x86_64'],
      MemorySize: 2048,
      Timeout: 900,
      ReservedConcurrentExecutions: 1,
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: logicalId(stack.table) },
          SITE_BUCKET: { Ref: logicalId(stack.siteBucket) },
          SITE_BASE_URL: {
            'Fn::Join': ['', ['https://', getAtt(stack.site.distribution, 'DomainName'), '/']],
          },
          PAGEFIND_EXTENDED_BINARY_PATH: '/var/task/pagefind_extended',
          POWERTOOLS_SERVICE_NAME: 'feedwright-search-index',
        },
      },
    });
  });

  it('bundles the handler with Pagefind inside and its indexer beside it, executable', () => {
    // Prepare
    const code = propertiesOf(stack.searchIndex.fn.function).Code as { S3Key: string };
    const assetDir = join(synthesized.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);

    // Act
    const binary = join(assetDir, 'pagefind_extended');
    const version = execFileSync(binary, ['--version'], { encoding: 'utf8' });

    // Assess
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    expect(version).toMatch(/1\.6\.0/);
    const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(bundle).not.toMatch(/from\s*["']pagefind["']/);
    expect(bundle).toContain('_BINARY_PATH');
  });

  it('is told of story changes by the stream, debounced by a two-minute batching window, failures parked', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.searchIndex.fn.function) },
      EventSourceArn: getAtt(stack.table, 'StreamArn'),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 10_000,
      MaximumBatchingWindowInSeconds: 120,
      ParallelizationFactor: 1,
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: Match.absent(),
      FunctionResponseTypes: Match.absent(),
      DestinationConfig: { OnFailure: { Destination: getAtt(stack.searchIndex.failures.queue, 'Arn') } },
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { Keys: { pk: { S: [{ prefix: KEY_PREFIX.story }] } } } }) },
        ],
      },
    });
  });

  it('may query the stories, read the stream and write only the search page, its script and the index', () => {
    // Act
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: logicalId(stack.searchIndex.fn.role) }] },
    });
    const statements = Object.values(policies).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({
        actions: (Array.isArray(statement.Action) ? [...statement.Action] : [statement.Action]).sort(),
        resource: statement.Resource,
        condition: (statement as { Condition?: unknown }).Condition,
      })),
    );

    // Assess
    const table = getAtt(stack.table, 'Arn');
    const object = (key: string) => ({ 'Fn::Join': ['', [getAtt(stack.siteBucket, 'Arn'), `/${key}`]] });
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          actions: ['dynamodb:Query'],
          resource: [table, { 'Fn::Join': ['', [table, '/index/*']] }],
          condition: undefined,
        },
        {
          actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          resource: [object('pagefind/*'), object('search.html'), object('search.js')],
          condition: undefined,
        },
        {
          actions: ['s3:ListBucket'],
          resource: getAtt(stack.siteBucket, 'Arn'),
          condition: { StringLike: { 's3:prefix': ['pagefind/*'] } },
        },
        {
          actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          resource: getAtt(stack.searchIndex.failures.queue, 'Arn'),
          condition: undefined,
        },
      ]),
    );
    // Those, the stream's three actions and ListStreams, and its own log group: nothing else.
    expect(statements).toHaveLength(7);
  });

  it('alarms on its errors, its failure queue and a stream it falls 30 minutes behind', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack.searchIndex.fn.function) } }],
      Threshold: 1_800_000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(stack.searchIndex.failures.queue, 'QueueName') }],
    });
  });
});

describe('FeedwrightStack: the search policy at the edge', () => {
  it('serves search.html and pagefind/* with the search CSP, everything else with the strict one', () => {
    // Prepare
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    type HeadersConfig = {
      SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: string } };
    };
    const cspOf = (id: string): string | undefined =>
      (policies[id]?.Properties.ResponseHeadersPolicyConfig as HeadersConfig | undefined)
        ?.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    const config = propertiesOf(stack.site.distribution).DistributionConfig as {
      DefaultCacheBehavior: { ResponseHeadersPolicyId: { Ref: string } };
      CacheBehaviors: Array<{ PathPattern: string; ResponseHeadersPolicyId: { Ref: string } }>;
    };

    // Assess
    const searchPolicy = logicalId(stack.site.searchHeadersPolicy);
    for (const pattern of ['search.html', 'pagefind/*']) {
      const behavior = config.CacheBehaviors.find((candidate) => candidate.PathPattern === pattern);
      expect(behavior?.ResponseHeadersPolicyId, pattern).toEqual({ Ref: searchPolicy });
    }
    expect(cspOf(searchPolicy)).toBe(SEARCH_CONTENT_SECURITY_POLICY);
    expect(cspOf(config.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref)).toBe(SITE_CONTENT_SECURITY_POLICY);
    const others = config.CacheBehaviors.filter(
      (behavior) => !['search.html', 'pagefind/*'].includes(behavior.PathPattern),
    );
    for (const behavior of others) {
      expect(cspOf(behavior.ResponseHeadersPolicyId.Ref), behavior.PathPattern).toBe(
        SITE_CONTENT_SECURITY_POLICY,
      );
    }
  });
});
