/**
 * Redrive: re-runs the work parked on one of feedwright's failure queues, once its cause is fixed.
 *
 *   npm run redrive -- --queue-url <url> --function-name <name> [--max <n>] [--dry-run] [--region <r>]
 *
 * The stack's IngestRedriveCommand and RenderRedriveCommand outputs print both commands ready to run.
 *
 * - Ingest failure queue: each message is Lambda's on-failure record of an S3 notification that failed
 *   every retry. Its original event is invoked again, synchronously; a digest that has since been
 *   re-uploaded or deleted is handled like any late event (ingest orders events by S3's sequencer).
 * - Render failure queue: each message only says which stretch of the table's stream failed (shard and
 *   sequence numbers). The records are read back from the stream and invoked again as one batch. The
 *   stream keeps records for 24 hours; an older message can't be replayed and is left on the queue
 *   and reported (see the README for what to do then).
 *
 * A message is deleted only after its re-run succeeded; anything that fails again stays on the queue.
 * Exit code: 0 when everything received was redriven, 1 when something is left, 2 on bad usage.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandInput,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  type GetShardIteratorCommandOutput,
  type _Record as StreamApiRecord,
  type AttributeValue as StreamAttributeValue,
} from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, type InvokeCommandInput, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';

/** How long DynamoDB Streams keeps a record. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Render only ever receives story records (the event source filters on this key prefix). */
export const STORY_PK_PREFIX = 'STORY#';
/** Long enough for the slowest re-run (render's 60 s timeout) before SQS shows the message again. */
export const VISIBILITY_TIMEOUT_SECONDS = 180;

// ---- What a message holds ----------------------------------------------------------------------

/** Where a failed stream batch lies (Lambda's `DDBStreamBatchInfo`). */
export interface StreamBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

/** The work one failure-queue message stands for. */
export type ParkedWork =
  | {
      readonly kind: 's3-event';
      readonly event: { readonly Records: readonly unknown[] };
      readonly keys: string[];
    }
  | { readonly kind: 'stream-batch'; readonly batch: StreamBatchInfo }
  | { readonly kind: 'unknown'; readonly reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tells an ingest on-failure record from a stream-batch record, from the message body alone. */
export function classifyMessage(body: string): ParkedWork {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'unknown', reason: 'the body is not JSON' };
  }
  if (!isObject(parsed)) return { kind: 'unknown', reason: 'the body is not a JSON object' };

  const batch = parsed.DDBStreamBatchInfo;
  if (isObject(batch)) {
    const fields = ['shardId', 'startSequenceNumber', 'endSequenceNumber', 'streamArn'] as const;
    for (const field of fields) {
      if (typeof batch[field] !== 'string') {
        return { kind: 'unknown', reason: `DDBStreamBatchInfo.${field} is missing` };
      }
    }
    return {
      kind: 'stream-batch',
      batch: {
        shardId: String(batch.shardId),
        startSequenceNumber: String(batch.startSequenceNumber),
        endSequenceNumber: String(batch.endSequenceNumber),
        approximateArrivalOfFirstRecord: String(batch.approximateArrivalOfFirstRecord ?? ''),
        batchSize: typeof batch.batchSize === 'number' ? batch.batchSize : 0,
        streamArn: String(batch.streamArn),
      },
    };
  }

  const payload = parsed.requestPayload;
  if (isObject(payload) && Array.isArray(payload.Records)) {
    const records: unknown[] = payload.Records;
    const keys: string[] = [];
    for (const record of records) {
      if (!isObject(record) || record.eventSource !== 'aws:s3') {
        return { kind: 'unknown', reason: 'requestPayload holds records that are not S3 notifications' };
      }
      const s3 = isObject(record.s3) ? record.s3 : {};
      const object = isObject(s3.object) ? s3.object : {};
      keys.push(typeof object.key === 'string' ? object.key : '?');
    }
    return { kind: 's3-event', event: { Records: records }, keys };
  }

  return { kind: 'unknown', reason: 'neither an S3 on-failure record nor a stream batch record' };
}

// ---- Ports (thin wrappers over the SDK clients; fakes in tests) ----------------------------------

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
export function toLambdaRecord(record: StreamApiRecord, streamArn: string, region: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const image = (item: Record<string, StreamAttributeValue> | undefined) =>
    item === undefined ? undefined : mapValues(item, toLambdaAttribute);
  const created = stream.ApproximateCreationDateTime;
  const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {
    ...(created === undefined ? {} : { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }),
    ...(stream.Keys === undefined ? {} : { Keys: image(stream.Keys) }),
    ...(stream.NewImage === undefined ? {} : { NewImage: image(stream.NewImage) }),
    ...(stream.OldImage === undefined ? {} : { OldImage: image(stream.OldImage) }),
    ...(stream.SequenceNumber === undefined ? {} : { SequenceNumber: stream.SequenceNumber }),
    ...(stream.SizeBytes === undefined ? {} : { SizeBytes: stream.SizeBytes }),
    ...(stream.StreamViewType === undefined ? {} : { StreamViewType: stream.StreamViewType }),
  };
  return {
    ...(record.eventID === undefined ? {} : { eventID: record.eventID }),
    ...(record.eventName === undefined ? {} : { eventName: record.eventName }),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: record.awsRegion ?? region,
    eventSourceARN: streamArn,
    dynamodb,
  };
}

function mapValues<T, U>(object: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value)]));
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function toLambdaAttribute(value: StreamAttributeValue): LambdaAttributeValue {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: mapValues(value.M, toLambdaAttribute) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttribute) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  throw new Error(`unsupported attribute value ${JSON.stringify(value)}`);
}

// ---- The redrive ---------------------------------------------------------------------------------

export interface RedriveOptions {
  readonly queue: FailureQueuePort;
  readonly target: FunctionPort;
  readonly stream: StreamPort;
  /** Stop after this many messages. @default 100 */
  readonly maxMessages?: number;
  /** Describe what would be re-run, invoke nothing, delete nothing. @default false */
  readonly dryRun?: boolean;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export interface RedriveSummary {
  readonly received: number;
  readonly redriven: number;
  /** Re-run and failed again: still on the queue. */
  readonly failed: number;
  /** Stream records gone (older than 24 h): still on the queue. */
  readonly expired: number;
  /** Not a message this script understands: still on the queue. */
  readonly unknown: number;
}

type Outcome = 'redriven' | 'failed' | 'expired' | 'unknown' | 'dry-run';

/** Drains the queue once: every message received is re-run, then deleted if (and only if) that worked. */
export async function redrive(options: RedriveOptions): Promise<RedriveSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? (() => new Date());
  const max = options.maxMessages ?? 100;
  const counts = { received: 0, redriven: 0, failed: 0, expired: 0, unknown: 0 };
  const seen = new Set<string>();

  while (counts.received < max) {
    const messages = await options.queue.receive(Math.min(10, max - counts.received));
    const fresh = messages.filter((message) => !seen.has(message.id));
    if (options.dryRun === true) {
      // A dry run releases what it looked at, so SQS may hand the same messages back: show them again.
      for (const message of messages) if (seen.has(message.id)) await options.queue.release(message);
    }
    if (fresh.length === 0) break;
    for (const message of fresh) {
      seen.add(message.id);
      counts.received += 1;
      const outcome = await redriveOne(message, options, log, now);
      if (outcome === 'redriven') {
        await options.queue.remove(message);
        counts.redriven += 1;
      } else {
        if (outcome !== 'dry-run') counts[outcome] += 1;
        // Left for a later run; a dry run hands every message straight back to the queue.
        if (options.dryRun === true) await options.queue.release(message);
      }
    }
  }
  log(
    `received ${counts.received}: redriven ${counts.redriven}, failed again ${counts.failed}, ` +
      `expired ${counts.expired}, not understood ${counts.unknown}${options.dryRun === true ? ' (dry run)' : ''}`,
  );
  return counts;
}

async function redriveOne(
  message: QueueMessage,
  options: RedriveOptions,
  log: (line: string) => void,
  now: () => Date,
): Promise<Outcome> {
  const work = classifyMessage(message.body);
  const label = `message ${message.id}`;

  if (work.kind === 'unknown') {
    log(`${label}: left on the queue: ${work.reason}`);
    return 'unknown';
  }

  if (work.kind === 's3-event') {
    if (options.dryRun === true) {
      log(`${label}: would re-run ingest for ${work.keys.join(', ')}`);
      return 'dry-run';
    }
    const result = await options.target.invoke(work.event);
    if (!result.ok) {
      log(`${label}: ingest failed again for ${work.keys.join(', ')}: ${result.error}`);
      return 'failed';
    }
    log(`${label}: ingest re-ran ${work.keys.join(', ')}`);
    return 'redriven';
  }

  const { batch } = work;
  const firstArrival = Date.parse(batch.approximateArrivalOfFirstRecord);
  if (!Number.isNaN(firstArrival) && now().getTime() - firstArrival > STREAM_RETENTION_MS) {
    log(
      `${label}: left on the queue: its stream records (from ${batch.approximateArrivalOfFirstRecord}) are older than 24 h`,
    );
    return 'expired';
  }
  const read = await options.stream.read(batch);
  if (read.kind === 'expired') {
    log(`${label}: left on the queue: ${read.reason}`);
    return 'expired';
  }
  if (!read.complete) {
    log(`${label}: left on the queue: could not read the whole batch back from shard ${batch.shardId}`);
    return 'failed';
  }
  const records = read.records.filter((record) => record.dynamodb?.Keys?.pk?.S?.startsWith(STORY_PK_PREFIX));
  if (options.dryRun === true) {
    log(`${label}: would re-render a batch of ${records.length} story record(s) from shard ${batch.shardId}`);
    return 'dry-run';
  }
  if (records.length === 0) {
    log(`${label}: the batch holds no story records; nothing to render`);
    return 'redriven';
  }
  const result = await options.target.invoke({ Records: records });
  if (!result.ok) {
    log(`${label}: render failed again: ${result.error}`);
    return 'failed';
  }
  const failures = isObject(result.response) ? result.response.batchItemFailures : undefined;
  if (Array.isArray(failures) && failures.length > 0) {
    log(`${label}: render failed again for ${failures.length} of ${records.length} record(s)`);
    return 'failed';
  }
  log(`${label}: re-rendered ${records.length} story record(s)`);
  return 'redriven';
}

// ---- Command line --------------------------------------------------------------------------------

const USAGE = `usage: npm run redrive -- --queue-url <url> --function-name <name> [--max <n>] [--dry-run] [--region <region>]

Re-runs what a feedwright failure queue holds on the given function and deletes each message whose
re-run succeeded. Use the IngestRedriveCommand / RenderRedriveCommand stack outputs.`;

/** A bad command line; the message says what to pass. */
export class RedriveUsageError extends Error {
  override readonly name = 'RedriveUsageError';
}

export interface RedriveArguments {
  readonly queueUrl: string;
  readonly functionName: string;
  readonly maxMessages: number;
  readonly dryRun: boolean;
  readonly region: string | undefined;
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` names its region. */
export function regionOfQueueUrl(queueUrl: string): string | undefined {
  return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(queueUrl)?.[1];
}

export function parseRedriveArguments(argv: readonly string[]): RedriveArguments | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new RedriveUsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help === true) return 'help';
  const queueUrl = values['queue-url'];
  const functionName = values['function-name'];
  if (queueUrl === undefined || functionName === undefined) {
    throw new RedriveUsageError(`--queue-url and --function-name are both required\n${USAGE}`);
  }
  const maxMessages = values.max === undefined ? 100 : Number(values.max);
  if (!Number.isSafeInteger(maxMessages) || maxMessages < 1) {
    throw new RedriveUsageError(`--max must be a whole number of messages, at least 1 (got ${values.max})`);
  }
  return {
    queueUrl,
    functionName,
    maxMessages,
    dryRun: values['dry-run'] === true,
    region: values.region ?? regionOfQueueUrl(queueUrl),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    options: {
      'queue-url': { type: 'string' },
      'function-name': { type: 'string' },
      max: { type: 'string' },
      'dry-run': { type: 'boolean' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function main(argv: readonly string[]): Promise<number> {
  let args: RedriveArguments | 'help';
  try {
    args = parseRedriveArguments(argv);
  } catch (error) {
    if (error instanceof RedriveUsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = args.region === undefined ? {} : { region: args.region };
  const sqs = new SQSClient(config);
  const lambda = new LambdaClient(config);
  const streams = new DynamoDBStreamsClient(config);

  const summary = await redrive({
    queue: createFailureQueue(
      {
        async receive(queueUrl, max) {
          const output = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: queueUrl,
              MaxNumberOfMessages: max,
              WaitTimeSeconds: 1,
              VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
            }),
          );
          return (output.Messages ?? []).flatMap((message) =>
            message.MessageId === undefined || message.ReceiptHandle === undefined
              ? []
              : [{ id: message.MessageId, receiptHandle: message.ReceiptHandle, body: message.Body ?? '' }],
          );
        },
        async delete(queueUrl, receiptHandle) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
        },
        async changeVisibility(queueUrl, receiptHandle, seconds) {
          await sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrl,
              ReceiptHandle: receiptHandle,
              VisibilityTimeout: seconds,
            }),
          );
        },
      },
      args.queueUrl,
    ),
    target: createFunctionInvoker(
      { invoke: (input) => lambda.send(new InvokeCommand(input)) },
      args.functionName,
    ),
    stream: createStreamReader({
      getShardIterator: (input) => streams.send(new GetShardIteratorCommand(input)),
      getRecords: (input) => streams.send(new GetRecordsCommand(input)),
    }),
    maxMessages: args.maxMessages,
    dryRun: args.dryRun,
  });
  return summary.received === summary.redriven || args.dryRun ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`redrive: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
