import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe } from './async-invoker.ts';
import { createLambdaContext, type LocalFunction } from './lambda-context.ts';

/** Options of {@link StreamPoller}. */
export interface StreamPollerOptions {
  readonly fn: LocalFunction;
  readonly handler: (
    event: DynamoDBStreamEvent,
    context: Context,
  ) => Promise<DynamoDBBatchResponse | undefined>;
  /** Records that reach the function, like the event source mapping's filter criteria. */
  readonly filter?: (record: DynamoDBRecord) => boolean;
  /**
   * How long the first record of a batch waits for others.
   * @default 100
   */
  readonly batchWindowMs?: number;
  /** @default 1000, as the CDK event source's */
  readonly batchSize?: number;
  readonly log: (line: string) => void;
}

/** How held records are cut into batches, in the order they are delivered (see `StreamPoller.release`). */
export type StreamArrangement = (
  records: readonly DynamoDBRecord[],
) => readonly (readonly DynamoDBRecord[])[];

/**
 * Feeds stream records to a handler as a DynamoDB stream event source mapping does for one
 * shard: records batched over a short window, one batch at a time and in order (two renders at
 * once could each write a feed the other made stale), partial batch failures honoured by
 * retrying from the first failed record, and a batch that fails again dropped with a log line,
 * where AWS would send it to the on-failure queue.
 */
export class StreamPoller {
  readonly #options: StreamPollerOptions;
  readonly #queue: DynamoDBRecord[] = [];
  readonly #idleWaiters: Array<() => void> = [];
  #oldestArrival = 0;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #closed = false;
  #held = false;
  /** The queued records are complete (see `flush`): the next batch goes without its window. */
  #flushing = false;

  constructor(options: StreamPollerOptions) {
    this.#options = options;
  }

  /** Adds records as the table wrote them; those the filter refuses are dropped here. */
  push(records: readonly DynamoDBRecord[]): void {
    if (this.#closed) return;
    const accepted = this.#options.filter === undefined ? records : records.filter(this.#options.filter);
    if (accepted.length === 0) return;
    if (this.#queue.length === 0) this.#oldestArrival = Date.now();
    this.#queue.push(...accepted);
    this.#schedule();
  }

  /** Records queued, or a batch running. */
  get busy(): boolean {
    return this.#running || this.#queue.length > 0;
  }

  /** Resolves once no record is queued and no batch is running. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops taking records and delivers those already queued without waiting for their window:
   * unlike a real stream, nothing keeps them once the process ends, and dropping them would
   * leave feeds behind the table until the next change to their topics.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#schedule();
    }
    await this.idle();
  }

  /**
   * The writers are done for now (no ingest running): the queued records are delivered without waiting
   * out the rest of their window, which exists to gather one upload's records into one batch and has
   * nothing more to gather. A stream on AWS cannot know this; the batches are the same, only sooner.
   */
  flush(): void {
    if (this.#queue.length === 0) return;
    this.#flushing = true;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#schedule();
  }

  /** Keeps records queued, undelivered, until {@link StreamPoller.release}. */
  hold(): void {
    this.#held = true;
  }

  /**
   * Delivers the records held so far in the batches `arrange` makes of them, one after another (each
   * retried as any batch), then delivers as usual. `arrange` may reorder records across items, as
   * several shards do, and should keep each item's records in order, as one shard does.
   */
  async release(arrange: StreamArrangement): Promise<void> {
    this.#held = false;
    if (this.#running || this.#timer !== undefined) await this.idle();
    const records = this.#queue.splice(0);
    this.#flushing = false;
    this.#running = true;
    try {
      for (const batch of arrange(records)) if (batch.length > 0) await this.#deliver([...batch]);
    } finally {
      this.#running = false;
      if (this.#queue.length > 0) this.#schedule();
      else this.#wakeIdle();
    }
  }

  #schedule(): void {
    if (this.#held && !this.#closed) return;
    if (this.#running || this.#timer !== undefined || this.#queue.length === 0) return;
    const batchSize = this.#options.batchSize ?? 1000;
    const window = this.#options.batchWindowMs ?? 100;
    const due = this.#closed || this.#flushing || this.#queue.length >= batchSize;
    const wait = due ? 0 : Math.max(0, this.#oldestArrival + window - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#drain();
    }, wait);
  }

  async #drain(): Promise<void> {
    this.#running = true;
    // Records left over from a full batch have waited their window already: they go next.
    const batch = this.#queue.splice(0, this.#options.batchSize ?? 1000);
    this.#flushing = false;
    try {
      await this.#deliver(batch);
    } finally {
      this.#running = false;
      if (this.#queue.length > 0) this.#schedule();
      else this.#wakeIdle();
    }
  }

  async #deliver(batch: DynamoDBRecord[]): Promise<void> {
    const name = this.#options.fn.functionName;
    const first = await this.#invoke(batch);
    if (first.length === 0) return;
    this.#options.log(
      `${name}: ${batch.length - first.length} of ${batch.length} records done; retrying ${first.length}`,
    );
    const second = await this.#invoke(first);
    if (second.length === 0) return;
    this.#options.log(
      `${name}: ${second.length} records failed twice and were dropped (on AWS: the on-failure queue); ` +
        `sequence numbers ${second.map((record) => record.dynamodb?.SequenceNumber ?? '?').join(', ')}`,
    );
  }

  /** Runs the handler on a batch; resolves to the records still to retry. */
  async #invoke(batch: DynamoDBRecord[]): Promise<DynamoDBRecord[]> {
    try {
      const response = await this.#options.handler({ Records: batch }, createLambdaContext(this.#options.fn));
      return recordsToRetry(batch, response);
    } catch (error) {
      this.#options.log(
        `${this.#options.fn.functionName}: batch of ${batch.length} failed: ${describe(error)}`,
      );
      return batch;
    }
  }

  #wakeIdle(): void {
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }
}

/**
 * The records Lambda retries after a partial batch response: from the failed record with the
 * lowest sequence number onwards (the shard's checkpoint); an identifier that names no record of
 * the batch fails the whole batch.
 */
export function recordsToRetry(
  batch: readonly DynamoDBRecord[],
  response: DynamoDBBatchResponse | undefined,
): DynamoDBRecord[] {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return [];
  const positions = failures.map((failure) =>
    batch.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier),
  );
  if (positions.some((position) => position < 0)) return [...batch];
  return batch.slice(Math.min(...positions));
}
