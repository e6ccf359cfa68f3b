import { AsyncInvoker } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';

const fn = { functionName: 'feedwright-ingest', region: 'us-east-1', accountId: '123456789012' };

describe('Class: AsyncInvoker', () => {
  it('runs the events of one group in order, retrying a failure before the next', async () => {
    // Prepare
    const seen: string[] = [];
    let failedOnce = false;
    const invoker = new AsyncInvoker<string>({
      fn,
      retryDelaysMs: [1],
      log: () => undefined,
      handler: async (event) => {
        seen.push(event);
        if (event === 'put' && !failedOnce) {
          failedOnce = true;
          throw new Error('store unavailable');
        }
      },
    });

    // Act
    invoker.invoke('put', 'digests/a.txt', 'put');
    invoker.invoke('delete', 'digests/a.txt', 'delete');
    await invoker.idle();

    // Assess
    expect(seen).toEqual(['put', 'put', 'delete']);
  });

  it('gives up after the last retry and logs that the event was dropped', async () => {
    // Prepare
    const logs: string[] = [];
    let attempts = 0;
    const invoker = new AsyncInvoker<string>({
      fn,
      retryDelaysMs: [1, 1],
      log: (line) => logs.push(line),
      handler: async () => {
        attempts += 1;
        throw new Error('broken');
      },
    });

    // Act
    invoker.invoke('put', 'k', 'digests/k.txt');
    await invoker.idle();

    // Assess
    expect(attempts).toBe(3);
    expect(logs.at(-1)).toContain('dropped');
  });

  it('keeps at most the configured number of invocations running', async () => {
    // Prepare
    let running = 0;
    let peak = 0;
    const invoker = new AsyncInvoker<number>({
      fn,
      concurrency: 2,
      log: () => undefined,
      handler: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running -= 1;
      },
    });

    // Act
    for (let index = 0; index < 6; index += 1) invoker.invoke(index, `k${index}`, `k${index}`);
    await invoker.idle();

    // Assess
    expect(peak).toBe(2);
  });
});
