import type { GetRecordsCommandInput, _Record as StreamApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { InvokeCommandInput } from '@aws-sdk/client-lambda';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../packages/cli/src/command.ts';
import { parseRedriveArguments } from '../../../packages/cli/src/commands/redrive.ts';
import {
  createFunctionInvoker,
  createStreamReader,
  type FailureQueuePort,
  type FunctionPort,
  type InvokeOutcome,
  type QueueMessage,
  type StreamPort,
  type StreamRead,
} from '../../../packages/cli/src/redrive/aws-ports.ts';
import { classifyMessage, type StreamBatchInfo } from '../../../packages/cli/src/redrive/classify.ts';
import { redrive } from '../../../packages/cli/src/redrive/redrive.ts';
import { runFeedwright } from '../../support/cli.ts';

const STREAM_ARN =
  'arn:aws:dynamodb:eu-west-1:123456789012:table/Feedwright-Table/stream/2026-11-27T00:00:00.000';

/** Lambda's on-failure record for an async (S3-triggered) invocation of ingest. */
function ingestFailureBody(key = 'digests/cx-daily-2020-12-01.txt'): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: '2026-11-27T10:00:00.000Z',
    requestContext: {
      requestId: 'r-1',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ingest:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'incoming' }, object: { key, size: 1234, sequencer: '0061A' } },
        },
      ],
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'IngestFailedError', errorMessage: '1 of 1 digest events failed' },
  });
}

/** Lambda's on-failure record for a stream batch of render. */
function renderFailureBody(firstArrival = '2026-11-27T10:00:00Z'): string {
  return JSON.stringify({
    requestContext: { requestId: 'r-2', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2026-11-27T10:05:00.000Z',
    DDBStreamBatchInfo: {
      shardId: 'shardId-0001',
      startSequenceNumber: '100',
      endSequenceNumber: '300',
      approximateArrivalOfFirstRecord: firstArrival,
      approximateArrivalOfLastRecord: firstArrival,
      batchSize: 3,
      streamArn: STREAM_ARN,
    },
  });
}

function lambdaRecord(pk: string, sequence: string): DynamoDBRecord {
  return {
    eventName: 'MODIFY',
    eventSourceARN: STREAM_ARN,
    dynamodb: { Keys: { pk: { S: pk } }, SequenceNumber: sequence },
  };
}

/** An SQS queue in memory: received messages stay invisible until deleted or released. */
class FakeQueue implements FailureQueuePort {
  readonly messages = new Map<string, QueueMessage>();
  readonly invisible = new Set<string>();
  readonly removed: string[] = [];
  readonly released: string[] = [];

  constructor(bodies: readonly string[]) {
    bodies.forEach((body, index) => {
      const id = `m-${index + 1}`;
      this.messages.set(id, { id, receiptHandle: `h-${id}`, body });
    });
  }

  async receive(max: number): Promise<QueueMessage[]> {
    const visible = [...this.messages.values()]
      .filter((message) => !this.invisible.has(message.id))
      .slice(0, max);
    for (const message of visible) this.invisible.add(message.id);
    return visible;
  }

  async remove(message: QueueMessage): Promise<void> {
    this.messages.delete(message.id);
    this.removed.push(message.id);
  }

  async release(message: QueueMessage): Promise<void> {
    this.invisible.delete(message.id);
    this.released.push(message.id);
  }
}

class FakeFunction implements FunctionPort {
  readonly payloads: unknown[] = [];
  constructor(private readonly outcome: InvokeOutcome = { ok: true, response: null }) {}
  async invoke(payload: unknown): Promise<InvokeOutcome> {
    this.payloads.push(payload);
    return this.outcome;
  }
}

class FakeStream implements StreamPort {
  readonly reads: StreamBatchInfo[] = [];
  constructor(private readonly result: StreamRead) {}
  async read(batch: StreamBatchInfo): Promise<StreamRead> {
    this.reads.push(batch);
    return this.result;
  }
}

const unusedStream = new FakeStream({ kind: 'expired', reason: 'unused' });
const quiet = () => {};
const soon = () => new Date('2026-11-27T12:00:00Z');

describe('classifyMessage', () => {
  it('recognises an ingest on-failure record and names its keys', () => {
    // Act
    const work = classifyMessage(ingestFailureBody('digests/a%20b.txt'));

    // Assess
    expect(work.kind).toBe('s3-event');
    if (work.kind !== 's3-event') return;
    expect(work.keys).toEqual(['digests/a%20b.txt']);
    expect(work.event.Records).toHaveLength(1);
  });

  it('recognises a stream batch record', () => {
    // Act
    const work = classifyMessage(renderFailureBody());

    // Assess
    expect(work).toEqual({
      kind: 'stream-batch',
      batch: {
        shardId: 'shardId-0001',
        startSequenceNumber: '100',
        endSequenceNumber: '300',
        approximateArrivalOfFirstRecord: '2026-11-27T10:00:00Z',
        batchSize: 3,
        streamArn: STREAM_ARN,
      },
    });
  });

  it('refuses what is neither', () => {
    expect(classifyMessage('not json').kind).toBe('unknown');
    expect(classifyMessage('{"hello":"world"}').kind).toBe('unknown');
    expect(classifyMessage('{"requestPayload":{"Records":[{"eventSource":"aws:sqs"}]}}').kind).toBe(
      'unknown',
    );
    expect(classifyMessage('{"DDBStreamBatchInfo":{"shardId":"s"}}').kind).toBe('unknown');
  });
});

describe('redrive', () => {
  it('re-invokes ingest with the original S3 event and deletes the message when it succeeds', async () => {
    // Prepare
    const queue = new FakeQueue([ingestFailureBody()]);
    const ingest = new FakeFunction();

    // Act
    const summary = await redrive({ queue, target: ingest, stream: unusedStream, log: quiet });

    // Assess
    expect(ingest.payloads).toEqual([JSON.parse(ingestFailureBody()).requestPayload]);
    expect(queue.removed).toEqual(['m-1']);
    expect(summary).toEqual({ received: 1, redriven: 1, failed: 0, expired: 0, unknown: 0 });
  });

  it('keeps the message when ingest fails again', async () => {
    // Prepare
    const queue = new FakeQueue([ingestFailureBody()]);
    const ingest = new FakeFunction({ ok: false, error: 'Unhandled: table missing' });
    const lines: string[] = [];

    // Act
    const summary = await redrive({
      queue,
      target: ingest,
      stream: unusedStream,
      log: (line) => lines.push(line),
    });

    // Assess
    expect(queue.removed).toEqual([]);
    expect(queue.messages.has('m-1')).toBe(true);
    expect(summary.failed).toBe(1);
    expect(lines.join('\n')).toContain('table missing');
  });

  it('replays a fresh stream batch, story records only, and deletes the message when render reports no failures', async () => {
    // Prepare
    const queue = new FakeQueue([renderFailureBody()]);
    const render = new FakeFunction({ ok: true, response: { batchItemFailures: [] } });
    const stream = new FakeStream({
      kind: 'records',
      complete: true,
      records: [
        lambdaRecord('STORY#a', '100'),
        lambdaRecord('DIGEST#x', '200'),
        lambdaRecord('STORY#b', '300'),
      ],
    });

    // Act
    const summary = await redrive({ queue, target: render, stream, log: quiet, now: soon });

    // Assess
    expect(stream.reads.map((batch) => batch.shardId)).toEqual(['shardId-0001']);
    expect(render.payloads).toEqual([
      { Records: [lambdaRecord('STORY#a', '100'), lambdaRecord('STORY#b', '300')] },
    ]);
    expect(queue.removed).toEqual(['m-1']);
    expect(summary.redriven).toBe(1);
  });

  it('keeps the message when render reports batch item failures', async () => {
    // Prepare
    const queue = new FakeQueue([renderFailureBody()]);
    const render = new FakeFunction({
      ok: true,
      response: { batchItemFailures: [{ itemIdentifier: '100' }] },
    });
    const stream = new FakeStream({
      kind: 'records',
      complete: true,
      records: [lambdaRecord('STORY#a', '100')],
    });

    // Act
    const summary = await redrive({ queue, target: render, stream, log: quiet, now: soon });

    // Assess
    expect(queue.removed).toEqual([]);
    expect(summary.failed).toBe(1);
  });

  it('leaves a batch older than the stream retention on the queue without reading the stream', async () => {
    // Prepare
    const queue = new FakeQueue([renderFailureBody('2026-11-25T10:00:00Z')]);
    const render = new FakeFunction();
    const stream = new FakeStream({ kind: 'records', complete: true, records: [] });

    // Act
    const summary = await redrive({ queue, target: render, stream, log: quiet, now: soon });

    // Assess
    expect(stream.reads).toEqual([]);
    expect(render.payloads).toEqual([]);
    expect(queue.messages.has('m-1')).toBe(true);
    expect(summary.expired).toBe(1);
  });

  it('leaves a batch whose records the stream has trimmed on the queue', async () => {
    // Prepare
    const queue = new FakeQueue([renderFailureBody()]);
    const render = new FakeFunction();
    const stream = new FakeStream({ kind: 'expired', reason: 'TrimmedDataAccessException' });

    // Act
    const summary = await redrive({ queue, target: render, stream, log: quiet, now: soon });

    // Assess
    expect(render.payloads).toEqual([]);
    expect(queue.removed).toEqual([]);
    expect(summary.expired).toBe(1);
  });

  it('in a dry run invokes and deletes nothing and hands every message back', async () => {
    // Prepare
    const queue = new FakeQueue([ingestFailureBody(), 'garbage', renderFailureBody()]);
    const target = new FakeFunction();
    const stream = new FakeStream({
      kind: 'records',
      complete: true,
      records: [lambdaRecord('STORY#a', '100')],
    });
    const lines: string[] = [];

    // Act
    const summary = await redrive({
      queue,
      target,
      stream,
      dryRun: true,
      log: (line) => lines.push(line),
      now: soon,
    });

    // Assess
    expect(target.payloads).toEqual([]);
    expect(queue.removed).toEqual([]);
    expect(queue.invisible.size).toBe(0);
    expect(summary.received).toBe(3);
    expect(lines.join('\n')).toContain('would re-run ingest for digests/cx-daily-2020-12-01.txt');
  });

  it('stops after --max messages and leaves messages it does not understand', async () => {
    // Prepare
    const queue = new FakeQueue(['garbage', ingestFailureBody(), ingestFailureBody()]);
    const target = new FakeFunction();

    // Act
    const summary = await redrive({ queue, target, stream: unusedStream, maxMessages: 2, log: quiet });

    // Assess
    expect(summary).toEqual({ received: 2, redriven: 1, failed: 0, expired: 0, unknown: 1 });
    expect([...queue.messages.keys()]).toEqual(['m-1', 'm-3']);
  });
});

describe('createStreamReader', () => {
  const batch: StreamBatchInfo = {
    shardId: 'shardId-0001',
    startSequenceNumber: '100',
    endSequenceNumber: '300',
    approximateArrivalOfFirstRecord: '2026-11-27T10:00:00Z',
    batchSize: 3,
    streamArn: STREAM_ARN,
  };

  function apiRecord(
    sequence: string,
    extra: Partial<NonNullable<StreamApiRecord['dynamodb']>> = {},
  ): StreamApiRecord {
    return {
      eventID: `e-${sequence}`,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: { Keys: { pk: { S: `STORY#${sequence}` } }, SequenceNumber: sequence, ...extra },
    };
  }

  it('reads from the first sequence number across pages and stops at the last', async () => {
    // Prepare
    const requests: GetRecordsCommandInput[] = [];
    const pages = [
      { Records: [apiRecord('100'), apiRecord('200')], NextShardIterator: 'it-2' },
      { Records: [apiRecord('300'), apiRecord('400')], NextShardIterator: 'it-3' },
    ];
    const reader = createStreamReader({
      getShardIterator: async (input) => {
        expect(input).toMatchObject({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '100' });
        return { ShardIterator: 'it-1' };
      },
      getRecords: async (input) => {
        requests.push(input);
        return pages[requests.length - 1] ?? { Records: [] };
      },
    });

    // Act
    const read = await reader.read(batch);

    // Assess
    expect(read.kind).toBe('records');
    if (read.kind !== 'records') return;
    expect(read.complete).toBe(true);
    expect(read.records.map((record) => record.dynamodb?.SequenceNumber)).toEqual(['100', '200', '300']);
    expect(requests.map((request) => request.ShardIterator)).toEqual(['it-1', 'it-2']);
  });

  it('shapes records as the Lambda event source does', async () => {
    // Prepare
    const reader = createStreamReader({
      getShardIterator: async () => ({ ShardIterator: 'it-1' }),
      getRecords: async () => ({
        Records: [
          apiRecord('300', {
            ApproximateCreationDateTime: new Date('2026-11-27T10:00:07.900Z'),
            NewImage: {
              pk: { S: 'STORY#300' },
              blob: { B: new Uint8Array([1, 2, 3]) },
              tags: { L: [{ S: 'a' }, { M: { n: { N: '1' } } }] },
            },
            StreamViewType: 'NEW_AND_OLD_IMAGES',
          }),
        ],
      }),
    });

    // Act
    const read = await reader.read(batch);

    // Assess
    expect(read).toEqual({
      kind: 'records',
      complete: true,
      records: [
        {
          eventID: 'e-300',
          eventName: 'INSERT',
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: 'eu-west-1',
          eventSourceARN: STREAM_ARN,
          dynamodb: {
            ApproximateCreationDateTime: Math.floor(Date.parse('2026-11-27T10:00:07Z') / 1000),
            Keys: { pk: { S: 'STORY#300' } },
            NewImage: {
              pk: { S: 'STORY#300' },
              blob: { B: 'AQID' },
              tags: { L: [{ S: 'a' }, { M: { n: { N: '1' } } }] },
            },
            SequenceNumber: '300',
            StreamViewType: 'NEW_AND_OLD_IMAGES',
          },
        },
      ],
    });
  });

  it('reports trimmed records as expired', async () => {
    // Prepare
    const trimmed = Object.assign(new Error('trimmed'), { name: 'TrimmedDataAccessException' });
    const reader = createStreamReader({
      getShardIterator: async () => {
        throw trimmed;
      },
      getRecords: async () => ({}),
    });

    // Act
    const read = await reader.read(batch);

    // Assess
    expect(read.kind).toBe('expired');
  });

  it('says the read is incomplete when the pages run out before the last sequence number', async () => {
    // Prepare
    const reader = createStreamReader(
      {
        getShardIterator: async () => ({ ShardIterator: 'it-1' }),
        getRecords: async () => ({ Records: [], NextShardIterator: 'it-again' }),
      },
      { maxPages: 3 },
    );

    // Act
    const read = await reader.read(batch);

    // Assess
    expect(read).toEqual({ kind: 'records', records: [], complete: false });
  });
});

describe('createFunctionInvoker', () => {
  it('invokes synchronously and returns the parsed response', async () => {
    // Prepare
    const inputs: InvokeCommandInput[] = [];
    const invoker = createFunctionInvoker(
      {
        invoke: async (input) => {
          inputs.push(input);
          return { Payload: new TextEncoder().encode('{"batchItemFailures":[]}') };
        },
      },
      'feedwright-render',
    );

    // Act
    const outcome = await invoker.invoke({ Records: [] });

    // Assess
    expect(outcome).toEqual({ ok: true, response: { batchItemFailures: [] } });
    expect(inputs[0]).toMatchObject({ FunctionName: 'feedwright-render', InvocationType: 'RequestResponse' });
    expect(new TextDecoder().decode(inputs[0]?.Payload as Uint8Array)).toBe('{"Records":[]}');
  });

  it('turns a function error into a failed outcome with its message', async () => {
    // Prepare
    const invoker = createFunctionInvoker(
      {
        invoke: async () => ({
          FunctionError: 'Unhandled',
          Payload: new TextEncoder().encode('{"errorType":"Error","errorMessage":"boom"}'),
        }),
      },
      'feedwright-ingest',
    );

    // Act
    const outcome = await invoker.invoke({});

    // Assess
    expect(outcome).toEqual({ ok: false, error: 'Unhandled: boom' });
  });
});

describe('parseRedriveArguments', () => {
  it('takes the region from the queue URL', () => {
    // Act
    const args = parseRedriveArguments([
      '--queue-url',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/Feedwright-IngestFailures',
      '--function-name',
      'Feedwright-Ingest',
      '--dry-run',
    ]);

    // Assess
    expect(args).toEqual({
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Feedwright-IngestFailures',
      functionName: 'Feedwright-Ingest',
      maxMessages: 100,
      dryRun: true,
      region: 'eu-west-1',
    });
  });

  it('refuses a missing function name, a bad --max and unknown flags', () => {
    expect(() => parseRedriveArguments(['--queue-url', 'https://x'])).toThrow(UsageError);
    expect(() => parseRedriveArguments(['--queue-url', 'q', '--function-name', 'f', '--max', '0'])).toThrow(
      /--max must be a whole number/,
    );
    expect(() => parseRedriveArguments(['--queue', 'q'])).toThrow(UsageError);
  });
});

describe('Command: feedwright redrive', () => {
  it('refuses to run without its queue, exit 2, naming the flags', async () => {
    // Act
    const run = await runFeedwright('redrive', '--dry-run');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('feedwright redrive: --queue-url and --function-name are both required');
  });
});
