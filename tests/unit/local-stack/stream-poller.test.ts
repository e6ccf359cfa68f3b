import { recordsToRetry, StreamPoller } from '@feedwright/local-stack';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';

const fn = { functionName: 'feedwright-render', region: 'us-east-1', accountId: '123456789012' };

function record(sequence: number, pk = `STORY#s${sequence}`): DynamoDBRecord {
  return {
    eventName: 'INSERT',
    dynamodb: { Keys: { pk: { S: pk }, sk: { S: 'STORY' } }, SequenceNumber: String(sequence) },
  };
}

function sequences(event: DynamoDBStreamEvent): string[] {
  return event.Records.map((item) => item.dynamodb?.SequenceNumber ?? '?');
}

describe('Function: recordsToRetry', () => {
  it('retries from the failed record with the lowest sequence number onwards', () => {
    // Prepare
    const batch = [record(1), record(2), record(3), record(4)];

    // Act
    const retry = recordsToRetry(batch, {
      batchItemFailures: [{ itemIdentifier: '4' }, { itemIdentifier: '2' }],
    });

    // Assess
    expect(retry.map((item) => item.dynamodb?.SequenceNumber)).toEqual(['2', '3', '4']);
  });

  it('retries the whole batch when a failure names no record of it', () => {
    // Prepare
    const batch = [record(1), record(2)];

    // Act
    const retry = recordsToRetry(batch, { batchItemFailures: [{ itemIdentifier: '' }] });

    // Assess
    expect(retry).toHaveLength(2);
  });

  it('retries nothing after a success', () => {
    // Act
    const retry = recordsToRetry([record(1)], { batchItemFailures: [] });

    // Assess
    expect(retry).toEqual([]);
  });
});

describe('Class: StreamPoller', () => {
  it('holds records back, then delivers them in the batches and order an arrangement gives', async () => {
    // Prepare
    const calls: string[][] = [];
    const poller = new StreamPoller({
      fn,
      batchWindowMs: 1,
      log: () => undefined,
      handler: async (event) => {
        calls.push(sequences(event));
        return { batchItemFailures: [] };
      },
    });
    poller.hold();
    poller.push([record(1), record(2), record(3)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const whileHeld = calls.length;

    // Act
    await poller.release((records) => [[...records].slice(2), [...records].slice(0, 2).reverse()]);
    poller.push([record(4)]);
    await poller.idle();

    // Assess
    expect(whileHeld).toBe(0);
    expect(calls).toEqual([['3'], ['2', '1'], ['4']]);
  });

  it('batches records pushed within the window into one invocation, filtered', async () => {
    // Prepare
    const calls: string[][] = [];
    const poller = new StreamPoller({
      fn,
      batchWindowMs: 30,
      log: () => undefined,
      filter: (item) => item.dynamodb?.Keys?.pk?.S?.startsWith('STORY#') === true,
      handler: async (event) => {
        calls.push(sequences(event));
        return { batchItemFailures: [] };
      },
    });

    // Act
    poller.push([record(1)]);
    poller.push([record(2), record(3, 'DIGEST#digests/a.txt')]);
    await poller.idle();

    // Assess
    expect(calls).toEqual([['1', '2']]);
  });

  it('delivers the queued records in one batch when flushed, without waiting out the window', async () => {
    // Prepare: a window no test would wait for.
    const calls: string[][] = [];
    const poller = new StreamPoller({
      fn,
      batchWindowMs: 3_600_000,
      log: () => undefined,
      handler: async (event) => {
        calls.push(sequences(event));
        return { batchItemFailures: [] };
      },
    });
    poller.push([record(1)]);
    poller.push([record(2), record(3)]);

    // Act
    poller.flush();
    await poller.idle();

    // Assess
    expect(calls).toEqual([['1', '2', '3']]);
  });

  it('never runs two batches at once and keeps their order', async () => {
    // Prepare
    const calls: string[][] = [];
    let running = 0;
    let overlapped = false;
    const poller = new StreamPoller({
      fn,
      batchWindowMs: 5,
      batchSize: 2,
      log: () => undefined,
      handler: async (event) => {
        running += 1;
        overlapped ||= running > 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        calls.push(sequences(event));
        running -= 1;
        return { batchItemFailures: [] };
      },
    });

    // Act
    poller.push([record(1), record(2), record(3)]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    poller.push([record(4), record(5)]);
    await poller.idle();

    // Assess
    expect(overlapped).toBe(false);
    expect(calls.flat()).toEqual(['1', '2', '3', '4', '5']);
  });

  it('retries a partly failed batch once from the failed record, then drops it with a log line', async () => {
    // Prepare
    const calls: string[][] = [];
    const logs: string[] = [];
    const poller = new StreamPoller({
      fn,
      batchWindowMs: 5,
      log: (line) => logs.push(line),
      handler: async (event): Promise<DynamoDBBatchResponse> => {
        calls.push(sequences(event));
        return { batchItemFailures: [{ itemIdentifier: '2' }] };
      },
    });

    // Act
    poller.push([record(1), record(2), record(3)]);
    await poller.idle();

    // Assess
    expect(calls).toEqual([
      ['1', '2', '3'],
      ['2', '3'],
    ]);
    expect(logs.some((line) => line.includes('dropped'))).toBe(true);
  });

  it('retries a batch whose handler threw, and stops after it succeeds', async () => {
    // Prepare
    let attempts = 0;
    const poller = new StreamPoller({
      fn,
      batchWindowMs: 5,
      log: () => undefined,
      handler: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('throttled');
        return { batchItemFailures: [] };
      },
    });

    // Act
    poller.push([record(1)]);
    await poller.idle();

    // Assess
    expect(attempts).toBe(2);
  });
});

describe('Class: StreamPoller, closing', () => {
  it('delivers the records still queued at close, then refuses new ones', async () => {
    // Prepare
    const calls: string[][] = [];
    const poller = new StreamPoller({
      fn,
      batchWindowMs: 60_000,
      log: () => undefined,
      handler: async (event) => {
        calls.push(sequences(event));
        return { batchItemFailures: [] };
      },
    });
    poller.push([record(1), record(2)]);

    // Act
    await poller.close();
    poller.push([record(3)]);

    // Assess
    expect(calls).toEqual([['1', '2']]);
    expect(poller.busy).toBe(false);
  });
});
