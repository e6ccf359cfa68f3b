import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '@feedwright/config';
import { METRICS } from '@feedwright/pipeline/metrics';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedwrightStack } from '../../infra/lib/feedwright-stack.ts';
import { type Synthesized, synthFeedwright } from './synth-feedwright.ts';

const RUNBOOK_URL = 'https://git.example.com/ops/feedwright/docs/runbook.md';
const CONTEXT = {
  mailDomain: 'digests.example.com',
  allowedSenders: 'desk@example.com',
  alarmEmail: 'ops@example.com',
  runbookUrl: RUNBOOK_URL,
  freshnessAlarmSeconds: '120',
  mailRefusalAlarmThreshold: '25',
};

type Resource = { readonly Type: string; readonly Properties: Record<string, unknown> };

let synthesized: Synthesized;
let stack: FeedwrightStack;
let template: Template;

function logicalId(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function resourcesOf(type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** A template string value with its tokens (Refs, GetAtts) shown as TOKEN. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  return join === undefined ? 'TOKEN' : join[1].map(flatten).join(join[0]);
}

function dashboardBody(): string {
  const [dashboard] = Object.values(resourcesOf('AWS::CloudWatch::Dashboard'));
  return flatten(dashboard?.Properties.DashboardBody);
}

/** GitHub's anchor of a Markdown heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

function runbookAnchors(): Set<string> {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchorOf(match[1] ?? '')));
}

beforeAll(() => {
  synthesized = synthFeedwright({ context: CONTEXT, skipBundling: true });
  stack = synthesized.stack;
  template = synthesized.template;
});

afterAll(() => synthesized.cleanup());

describe('FeedwrightStack: tracing and logs', () => {
  it('traces every pipeline function with X-Ray, responses left out of the traces', () => {
    for (const fn of [stack.ingest, stack.render, stack.reconcile]) {
      expect(template.toJSON().Resources[logicalId(fn.function)].Properties).toMatchObject({
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: { POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false' } },
      });
    }
  });

  it('sends every function, CDK deploy handlers included, to a log group with a retention', () => {
    // Prepare
    const groups = resourcesOf('AWS::Logs::LogGroup');
    const functions = Object.entries(resourcesOf('AWS::Lambda::Function'));

    // Assess
    expect(functions.length).toBeGreaterThanOrEqual(5);
    for (const [id, fn] of functions) {
      const ref = (fn.Properties.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref;
      expect(ref, id).toBeDefined();
      expect(groups[ref ?? '']?.Properties.RetentionInDays, id).toBeGreaterThan(0);
    }
    for (const [id, group] of Object.entries(groups)) {
      expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
    }
  });
});

describe('FeedwrightStack: alarms with runbook links', () => {
  it('ends every alarm description with a link to a section the runbook has', () => {
    // Prepare
    const anchors = runbookAnchors();
    const alarms = Object.entries(resourcesOf('AWS::CloudWatch::Alarm'));

    // Assess
    expect(alarms).toHaveLength(16);
    for (const [id, alarm] of alarms) {
      const description = flatten(alarm.Properties.AlarmDescription);
      const link = /Runbook: (https:\/\/[^#\s]+)#([a-z0-9-]+)$/.exec(description);
      expect(link?.[1], id).toBe(RUNBOOK_URL);
      expect(anchors.has(link?.[2] ?? ''), `${id} links to #${link?.[2]}`).toBe(true);
    }
  });

  it('links to the repository runbook when no runbookUrl is given', () => {
    // Act
    const plain = synthFeedwright({ skipBundling: true });

    // Assess
    const descriptions = Object.values(plain.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) =>
      flatten(alarm.Properties.AlarmDescription),
    );
    plain.cleanup();
    expect(descriptions.length).toBeGreaterThan(0);
    for (const description of descriptions) {
      expect(description).toContain(`${SETTINGS.runbookUrl.defaultValue}#`);
    }
  });

  it('refuses a runbook URL with a fragment or a threshold that is not a positive number', () => {
    expect(() =>
      synthFeedwright({ skipBundling: true, context: { runbookUrl: 'https://x.example/r.md#top' } }),
    ).toThrow(/-c runbookUrl.*must be an absolute http\(s\) URL without a #fragment/);
    expect(() => synthFeedwright({ skipBundling: true, context: { freshnessAlarmSeconds: 'soon' } })).toThrow(
      /-c freshnessAlarmSeconds.*must be a whole number/,
    );
  });

  it('alarms when freshness p95 over 15 minutes reaches the context threshold', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'feedwright',
      MetricName: METRICS.render.freshness,
      Dimensions: [{ Name: 'service', Value: 'feedwright-render' }],
      ExtendedStatistic: 'p95',
      Period: 900,
      Threshold: 120_000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms on any reconcile repair: digests re-applied or withdrawn, site objects repaired', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'reapplied + withdrawn + objects', ReturnData: true }),
        ...[
          METRICS.reconcile.digestsReapplied,
          METRICS.reconcile.digestsWithdrawnByReconcile,
          METRICS.reconcile.objectsRepaired,
        ].map((name) =>
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: {
                Namespace: 'feedwright',
                MetricName: name,
                Dimensions: [{ Name: 'service', Value: 'feedwright-reconcile' }],
              },
              Stat: 'Sum',
            }),
          }),
        ),
      ]),
    });
  });

  it('alarms when mail refusals within an hour reach the context threshold', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRICS.ingest.mailRefused,
      Dimensions: [{ Name: 'service', Value: 'feedwright-ingest' }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 25,
    });
  });
});

describe('FeedwrightStack: operations dashboard', () => {
  it('graphs freshness p50, p95 and max with the alarm threshold', () => {
    const body = dashboardBody();
    for (const stat of ['p50', 'p95', 'Maximum']) {
      expect(body).toContain(`["feedwright","Freshness","service","feedwright-render",{"label":`);
      expect(body).toContain(`"stat":"${stat}"`);
    }
    expect(body).toContain('{"value":120000,"label":"p95 alarm threshold"');
  });

  it('graphs every metric the functions emit', () => {
    const body = dashboardBody();
    const graphed = [
      ...Object.values(METRICS.ingest),
      ...Object.values(METRICS.render),
      ...Object.values(METRICS.reconcile),
    ].filter((name) => name !== METRICS.ingest.mailRefused && name !== METRICS.render.objectsUnchanged);
    for (const name of graphed) expect(body, name).toContain(name);
    // Refusals by reason, all channels and mail alone.
    expect(body).toContain(
      `SEARCH('{feedwright,channel,reason,service} MetricName=\\"DigestsRejectedByReason\\" service=\\"feedwright-ingest\\" channel=\\"mail\\"', 'Sum', 300)`,
    );
  });

  it("graphs each function's errors, throttles, duration and concurrency, and every failure queue", () => {
    const body = dashboardBody();
    for (const metric of ['Errors', 'Throttles', 'Duration', 'ConcurrentExecutions']) {
      expect(body.match(new RegExp(`\\["AWS/Lambda","${metric}","FunctionName","TOKEN"`, 'g'))).toHaveLength(
        4,
      );
    }
    expect(body.match(/\["AWS\/SQS","ApproximateNumberOfMessagesVisible","QueueName","TOKEN"/g)).toHaveLength(
      3,
    );
  });

  it('graphs CloudFront requests, error rates and cache hit rate from us-east-1, with additional metrics on', () => {
    const body = dashboardBody();
    for (const metric of ['Requests', '4xxErrorRate', '5xxErrorRate', 'CacheHitRate']) {
      expect(body).toMatch(
        new RegExp(
          `\\["AWS/CloudFront","${metric}","DistributionId","TOKEN","Region","Global",\\{[^}]*"region":"us-east-1"`,
        ),
      );
    }
    template.hasResourceProperties('AWS::CloudFront::MonitoringSubscription', {
      DistributionId: { Ref: logicalId(stack.site.distribution) },
      MonitoringSubscription: {
        RealtimeMetricsSubscriptionConfig: { RealtimeMetricsSubscriptionStatus: 'Enabled' },
      },
    });
  });

  it('shows every alarm in its status widget and names itself in an output', () => {
    const body = dashboardBody();
    expect(body).toContain('"type":"alarm"');
    expect(body.match(/"alarms":\[[^\]]*\]/)?.[0].match(/TOKEN/g)).toHaveLength(16);
    template.hasOutput('DashboardName', { Value: { Ref: logicalId(stack.dashboard.dashboard) } });
  });
});

describe('FeedwrightStack: operations under cdk-nag', () => {
  it('leaves no unacknowledged AwsSolutions finding with tracing, the dashboard and every alarm', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synthesized.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });
});
