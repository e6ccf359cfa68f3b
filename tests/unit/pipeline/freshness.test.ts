import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { createRenderHandler, type DigestLive, digestsLive, planRender } from '@feedwright/pipeline';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { unreachableClients } from '../../support/unreachable-clients.ts';

const context = {
  functionName: 'render',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:render',
  memoryLimitInMB: '1024',
  getRemainingTimeInMillis: () => 120_000,
} as unknown as Context;

interface Stamp {
  readonly key?: string;
  readonly sequencer: string;
  readonly eventAt?: string;
  readonly live?: boolean;
}

/**
 * A stream record of a digest's issue record (see `IssueRegistry`): the same issue before and after,
 * so that only the event stamp (sequencer, event time) differs and render has no page to write.
 */
function issueRecord(before: Stamp | null, after: Stamp, sequenceNumber = '700'): DynamoDBRecord {
  const key = after.key ?? 'digests/a.txt';
  const sk = `2020-12-01T09:19:00Z#${key}`;
  const image = (stamp: Stamp) => ({
    pk: { S: 'ISSUES#2020-12' },
    sk: { S: sk },
    kind: { S: 'issue' },
    live: { BOOL: stamp.live !== false },
    digestKey: { S: key },
    sequencer: { S: stamp.sequencer },
    ...(stamp.eventAt === undefined ? {} : { eventAt: { S: stamp.eventAt } }),
    ...(stamp.live === false
      ? {}
      : {
          title: { S: 'CX Daily' },
          summary: { S: 'A summary.' },
          date: { S: '2020-12-01' },
          publishedAt: { S: '2020-12-01T09:19:00Z' },
          storyIds: { L: [{ S: '2020-12-01-personal-data-the-law' }] },
        }),
  });
  return {
    eventName: before === null ? 'INSERT' : 'MODIFY',
    dynamodb: {
      Keys: { pk: { S: 'ISSUES#2020-12' }, sk: { S: sk } },
      SequenceNumber: sequenceNumber,
      ...(before === null ? {} : { OldImage: image(before) }),
      NewImage: image(after),
    },
  } as DynamoDBRecord;
}

describe('Function: planRender, digest events', () => {
  it('names each digest whose event wrote an issue record, with the event time', () => {
    // Act
    const plan = planRender([
      issueRecord(
        { sequencer: '0A', eventAt: '2026-01-01T00:00:00.000Z' },
        {
          sequencer: '0B',
          eventAt: '2026-01-02T10:00:00.000Z',
        },
      ),
    ]);

    // Assess
    expect([...plan.digests.values()]).toEqual([
      { digestKey: 'digests/a.txt', sequencer: '0B', eventAt: '2026-01-02T10:00:00.000Z' },
    ]);
    // The issue itself did not change: nothing to render for it.
    expect(plan.issueMonths.size).toBe(0);
  });

  it('keeps the newest event of a digest and ignores a record its event did not write', () => {
    // Act
    const plan = planRender([
      issueRecord(null, { sequencer: '0C', eventAt: '2026-01-02T10:00:00.000Z' }, '701'),
      issueRecord(null, { sequencer: '0D', eventAt: '2026-01-02T10:00:05.000Z', live: false }, '702'),
      issueRecord(
        { key: 'digests/b.txt', sequencer: '05' },
        { key: 'digests/b.txt', sequencer: '05', eventAt: '2026-01-02T10:00:00.000Z' },
        '703',
      ),
    ]);

    // Assess
    expect([...plan.digests.entries()]).toEqual([
      ['digests/a.txt', { digestKey: 'digests/a.txt', sequencer: '0D', eventAt: '2026-01-02T10:00:05.000Z' }],
    ]);
  });
});

describe('Function: digestsLive', () => {
  it('measures each digest from its S3 event to the end of the render, in key order', () => {
    // Act
    const live = digestsLive(
      [
        { digestKey: 'digests/b.txt', sequencer: '02', eventAt: '2026-01-02T10:00:00.000Z' },
        { digestKey: 'digests/a.txt', sequencer: '01', eventAt: '2026-01-02T10:00:01.500Z' },
        { digestKey: 'mail/abc', sequencer: '03' },
      ],
      new Date('2026-01-02T10:00:03.250Z'),
    );

    // Assess
    expect(live).toEqual([
      {
        key: 'digests/a.txt',
        sequencer: '01',
        eventAt: '2026-01-02T10:00:01.500Z',
        liveAt: '2026-01-02T10:00:03.250Z',
        freshnessMs: 1750,
      },
      {
        key: 'digests/b.txt',
        sequencer: '02',
        eventAt: '2026-01-02T10:00:00.000Z',
        liveAt: '2026-01-02T10:00:03.250Z',
        freshnessMs: 3250,
      },
      // Written before event times were kept: live, with no figure.
      { key: 'mail/abc', sequencer: '03', liveAt: '2026-01-02T10:00:03.250Z' },
    ]);
  });

  it('never reports a negative freshness when the clocks disagree', () => {
    const [live] = digestsLive(
      [{ digestKey: 'digests/a.txt', sequencer: '01', eventAt: '2026-01-02T10:00:05.000Z' }],
      new Date('2026-01-02T10:00:04.000Z'),
    );
    expect(live?.freshnessMs).toBe(0);
  });
});

/** A logger for Metrics' own warnings, which these tests do not read. */
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('Function: createRenderHandler, freshness', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('emits one Freshness value per digest that went live, logs it with the key and annotates the trace', async () => {
    // Prepare
    const { s3, dynamo, calls } = unreachableClients();
    const metrics = new Metrics({
      namespace: 'feedwright',
      serviceName: 'feedwright-render',
      logger: silent,
    });
    const logger = new RecordingLogger({ serviceName: 'feedwright-render', logLevel: 'INFO' });
    const annotations: Array<[string, unknown]> = [];
    const lived: DigestLive[] = [];
    const render = createRenderHandler({
      s3,
      dynamo,
      tableName: 'feedwright',
      siteBucket: 'feedwright-site',
      logger,
      metrics,
      tracer: { putAnnotation: (key, value) => annotations.push([key, value]) },
      now: () => new Date('2026-01-02T10:00:02.000Z'),
      onLive: (live) => lived.push(live),
    });

    // Act
    const response = await render(
      {
        Records: [
          issueRecord({ sequencer: '01' }, { sequencer: '02', eventAt: '2026-01-02T10:00:00.500Z' }, '801'),
          issueRecord(
            { key: 'digests/b.txt', sequencer: '07' },
            { key: 'digests/b.txt', sequencer: '08', eventAt: '2026-01-02T10:00:01.750Z' },
            '802',
          ),
        ],
      },
      context,
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([]);
    const emf = metrics.serializeMetrics();
    expect(emf.Freshness).toEqual([1500, 250]);
    expect(emf._aws.CloudWatchMetrics[0]?.Metrics).toContainEqual({
      Name: 'Freshness',
      Unit: 'Milliseconds',
    });
    const liveLines = logger.lines.filter((line) => line.message === 'digest live');
    expect(liveLines.map((line) => [line.key, line.freshnessMs, line.correlation_id])).toEqual([
      ['digests/a.txt', 1500, 'digests/a.txt'],
      ['digests/b.txt', 250, 'digests/b.txt'],
    ]);
    expect(lived.map((live) => live.key)).toEqual(['digests/a.txt', 'digests/b.txt']);
    expect(annotations).toContainEqual(['digestKeys', 'digests/a.txt,digests/b.txt']);
  });

  it('gives each digest’s live lines its own key as correlation_id when one handler renders batches at once', async () => {
    // Prepare: one handler instance, as the local stack shares it; the live reports are not written,
    // and each write fails only once both batches are waiting on theirs, so the two overlap.
    const { dynamo, calls } = unreachableClients();
    const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    let waiting: Array<() => void> = [];
    s3.middlewareStack.add(
      () => async () => {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 2) {
            for (const release of waiting) release();
            waiting = [];
          }
        });
        throw new Error('S3 is down');
      },
      { step: 'initialize', name: 'failInPairs' },
    );
    const logger = new RecordingLogger({ serviceName: 'feedwright-render', logLevel: 'INFO' });
    const render = createRenderHandler({
      s3,
      dynamo,
      tableName: 'feedwright',
      siteBucket: 'feedwright-site',
      incomingBucket: 'feedwright-incoming',
      logger,
      metrics: new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-render', logger: silent }),
      now: () => new Date('2026-01-02T10:00:02.000Z'),
    });

    // Act
    const responses = await Promise.all([
      render(
        {
          Records: [
            issueRecord({ sequencer: '01' }, { sequencer: '02', eventAt: '2026-01-02T10:00:00.500Z' }),
          ],
        },
        context,
      ),
      render(
        {
          Records: [
            issueRecord(
              { key: 'digests/b.txt', sequencer: '07' },
              { key: 'digests/b.txt', sequencer: '08', eventAt: '2026-01-02T10:00:01.750Z' },
            ),
          ],
        },
        context,
      ),
    ]);

    // Assess
    expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(calls).toEqual([]);
    const digestLines = logger.lines.filter((line) => line.key !== undefined);
    expect(digestLines.map((line) => [line.message, line.key, line.correlation_id]).sort()).toEqual([
      ['digest live', 'digests/a.txt', 'digests/a.txt'],
      ['digest live', 'digests/b.txt', 'digests/b.txt'],
      ['live report not written', 'digests/a.txt', 'digests/a.txt'],
      ['live report not written', 'digests/b.txt', 'digests/b.txt'],
    ]);
    // A batch's own lines are about all its digests: they carry none's key, and never another batch's.
    const batchLines = logger.lines.filter((line) => line.key === undefined);
    expect(batchLines.map((line) => line.message)).toEqual(['batch rendered', 'batch rendered']);
    for (const line of batchLines) expect(line).not.toHaveProperty('correlation_id');
  });

  it('measures nothing for a batch that failed, so that its retry does', async () => {
    // Prepare
    const { s3, dynamo } = unreachableClients();
    const metrics = new Metrics({ namespace: 'feedwright', serviceName: 'feedwright-render' });
    const lived: DigestLive[] = [];
    const render = createRenderHandler({
      s3,
      dynamo,
      tableName: 'feedwright',
      siteBucket: 'feedwright-site',
      logger: new Logger({ serviceName: 'feedwright-render', logLevel: 'SILENT' }),
      metrics,
      onLive: (live) => lived.push(live),
    });
    // A new issue: its pages need the table, which cannot be reached.
    const record = issueRecord(null, { sequencer: '02', eventAt: '2026-01-02T10:00:00.500Z' }, '901');

    // Act
    const attempt = render({ Records: [record] }, context);

    // Assess
    await expect(attempt).rejects.toThrow();
    expect(lived).toEqual([]);
    expect(metrics.serializeMetrics().Freshness).toBeUndefined();
  });
});
