/**
 * The AWS ports of `feedwright redrive` (failure queue, function, stream), each a thin wrapper over
 * the few SDK calls it makes, so that tests drive the redrive with fakes.
 */
import type {
  GetRecordsCommandInput,
  GetRecordsCommandOutput,
  GetShardIteratorCommandInput,
  GetShardIteratorCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';
import type { InvokeCommandInput } from '@aws-sdk/client-lambda';
import type { DynamoDBRecord } from 'aws-lambda';
import { isObject, type StreamBatchInfo } from './classify.ts';
import { toLambdaRecord } from './stream-records.ts';

export interface QueueMessage {
  readonly id: string;
  readonly receiptHandle: string;
  readonly body: string;
}

/** The failure queue being drained. */
export interface FailureQueuePort {
  receive(max: number): Promise<QueueMessage[]>;
  /** Deletes a message whose work is done. */
  remove(message: QueueMessage): Promise<void>;
  /** Makes a message visible again at once (dry runs). */
  release(message: QueueMessage): Promise<void>;
}

export type InvokeOutcome =
  | { readonly ok: true; readonly response: unknown }
  | { readonly ok: false; readonly error: string };

/** The function the work is re-run on. */
export interface FunctionPort {
  invoke(payload: unknown): Promise<InvokeOutcome>;
}

export type StreamRead =
  | { readonly kind: 'records'; readonly records: DynamoDBRecord[]; readonly complete: boolean }
  | { readonly kind: 'expired'; readonly reason: string };

/** Reads a failed batch's records back from the stream. */
export interface StreamPort {
  read(batch: StreamBatchInfo): Promise<StreamRead>;
}

/** The four SQS calls the redrive makes. */
export interface SqsApi {
  receive(queueUrl: string, max: number): Promise<QueueMessage[]>;
  delete(queueUrl: string, receiptHandle: string): Promise<void>;
  changeVisibility(queueUrl: string, receiptHandle: string, seconds: number): Promise<void>;
}

export function createFailureQueue(api: SqsApi, queueUrl: string): FailureQueuePort {
  return {
    receive: (max) => api.receive(queueUrl, max),
    remove: (message) => api.delete(queueUrl, message.receiptHandle),
    release: (message) => api.changeVisibility(queueUrl, message.receiptHandle, 0),
  };
}

export interface LambdaApi {
  invoke(
    input: InvokeCommandInput,
  ): Promise<{ readonly FunctionError?: string; readonly Payload?: Uint8Array }>;
}

/** Synchronous invocation, so the outcome (and render's batch item failures) is known before deleting. */
export function createFunctionInvoker(api: LambdaApi, functionName: string): FunctionPort {
  return {
    async invoke(payload) {
      const output = await api.invoke({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      });
      const text = output.Payload === undefined ? '' : new TextDecoder().decode(output.Payload);
      let response: unknown;
      try {
        response = text === '' ? undefined : JSON.parse(text);
      } catch {
        response = text;
      }
      if (output.FunctionError !== undefined) {
        const message =
          isObject(response) && typeof response.errorMessage === 'string' ? response.errorMessage : text;
        return { ok: false, error: `${output.FunctionError}: ${message}` };
      }
      return { ok: true, response };
    },
  };
}

export interface StreamsApi {
  getShardIterator(
    input: GetShardIteratorCommandInput,
  ): Promise<Pick<GetShardIteratorCommandOutput, 'ShardIterator'>>;
  getRecords(
    input: GetRecordsCommandInput,
  ): Promise<Pick<GetRecordsCommandOutput, 'Records' | 'NextShardIterator'>>;
}

/** Errors meaning the records are no longer there to read. */
const GONE_ERRORS = new Set([
  'TrimmedDataAccessException',
  'ExpiredIteratorException',
  'ResourceNotFoundException',
]);

/**
 * Reads from the batch's first sequence number up to its last; stops early on a closed shard or after
 * `maxPages` reads (then `complete` is false and the message is kept).
 */
export function createStreamReader(
  api: StreamsApi,
  options: { readonly maxPages?: number } = {},
): StreamPort {
  const maxPages = options.maxPages ?? 50;
  return {
    async read(batch) {
      const end = BigInt(batch.endSequenceNumber);
      const region = batch.streamArn.split(':')[3] ?? '';
      const records: DynamoDBRecord[] = [];
      try {
        let iterator = (
          await api.getShardIterator({
            StreamArn: batch.streamArn,
            ShardId: batch.shardId,
            ShardIteratorType: 'AT_SEQUENCE_NUMBER',
            SequenceNumber: batch.startSequenceNumber,
          })
        ).ShardIterator;
        for (let page = 0; iterator !== undefined && page < maxPages; page++) {
          const output = await api.getRecords({ ShardIterator: iterator, Limit: 1000 });
          for (const record of output.Records ?? []) {
            const sequence = record.dynamodb?.SequenceNumber;
            if (sequence === undefined) continue;
            if (BigInt(sequence) > end) return { kind: 'records', records, complete: true };
            records.push(toLambdaRecord(record, batch.streamArn, region));
            if (BigInt(sequence) === end) return { kind: 'records', records, complete: true };
          }
          iterator = output.NextShardIterator;
        }
        // A closed shard has no next iterator: everything up to its end has been read.
        return { kind: 'records', records, complete: iterator === undefined };
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (GONE_ERRORS.has(name)) {
          return { kind: 'expired', reason: `${name}: the stream no longer holds these records` };
        }
        throw error;
      }
    },
  };
}

/** A stream record as the Lambda event source delivers it (epoch seconds, base64 binaries, the ARN). */
