// The orchestration of `feedwright redrive`: drain the queue once, re-run, delete what worked.
import { KEY_PREFIX } from '@feedwright/storage/schema';
import type { FailureQueuePort, FunctionPort, QueueMessage, StreamPort } from './aws-ports.ts';
import { classifyMessage, isObject } from './classify.ts';

/** How long DynamoDB Streams keeps a record. */
const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

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
  const records = read.records.filter((record) => record.dynamodb?.Keys?.pk?.S?.startsWith(KEY_PREFIX.story));
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
