import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { TABLE_KEYS } from '@feedwright/storage/schema';
import type { DynamoDBRecord, AttributeValue as StreamAttributeValue } from 'aws-lambda';

/** Options of {@link StreamRecorder}. */
export interface StreamRecorderOptions {
  /** Region named in each record and its `eventSourceARN`. @default 'us-east-1' */
  readonly region?: string;
  /** Account named in `eventSourceARN`. @default '000000000000' */
  readonly accountId?: string;
  /** The stream label in `eventSourceARN`. @default '2024-01-01T00:00:00.000' */
  readonly streamLabel?: string;
  /** Key attribute names of the recorded tables. @default the `pk`/`sk` of `@feedwright/storage/schema` */
  readonly keyAttributes?: readonly string[];
  /**
   * Keep records for {@link StreamRecorder.take}. Turn off when only subscribers consume them (the local
   * stack), so nothing accumulates. @default true
   */
  readonly buffer?: boolean;
}

/** A listener that gets every record as it is made, in sequence-number order. */
export type StreamListener = (record: DynamoDBRecord) => void;

interface WriteTarget {
  readonly tableName: string;
  readonly key: Record<string, AttributeValue>;
}

const RECORDER_NAME = 'feedwrightStreamRecorder';
const ASK_OLD_IMAGE_NAME = 'feedwrightStreamRecorderOldImage';
/** Set on a command's context when the recorder added `ReturnValues: ALL_OLD` to its PutItem. */
const OLD_IMAGE_ASKED = 'feedwrightOldImageAsked';
/** Sequence numbers are decimal strings of one width, so string order is numeric order, as on a shard. */
const SEQUENCE_BASE = 100_000_000_000_000_000_000n;

/**
 * Turns the writes a DynamoDB client makes into the records a `NEW_AND_OLD_IMAGES` stream would deliver,
 * for emulators without streams (dynalite). Attach it to a client: every PutItem, UpdateItem, DeleteItem,
 * BatchWriteItem and TransactWriteItems sent through that client (or a DynamoDBDocumentClient made from
 * it, which shares its middleware stack) yields one record per item that actually changed: INSERT,
 * MODIFY or REMOVE, with Keys, NewImage and OldImage in DynamoDB JSON and increasing sequence numbers.
 * A write that changes nothing (or fails) yields none.
 *
 * Images are read with strongly consistent GetItem just before and after the write while a per-item
 * lock is held, so writes to one item through this recorder are serialised and their images exact; a
 * PutItem that asks for no return values is sent with `ReturnValues: ALL_OLD` instead, its old image
 * taken from the answer (which the caller does not see) and its new image being the item it put.
 */
export class StreamRecorder {
  readonly #region: string;
  readonly #accountId: string;
  readonly #streamLabel: string;
  readonly #keyAttributes: readonly string[];
  readonly #buffering: boolean;
  readonly #buffer: DynamoDBRecord[] = [];
  readonly #listeners = new Set<StreamListener>();
  readonly #locks = new Map<string, Promise<void>>();
  #sequence = 0n;

  constructor(options: StreamRecorderOptions = {}) {
    this.#region = options.region ?? 'us-east-1';
    this.#accountId = options.accountId ?? '000000000000';
    this.#streamLabel = options.streamLabel ?? '2024-01-01T00:00:00.000';
    this.#keyAttributes = options.keyAttributes ?? [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey];
    this.#buffering = options.buffer ?? true;
  }

  /** Records the writes sent through `client` from now on. Returns a function that stops it. */
  attach(client: DynamoDBClient): () => void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        const targets = this.#targetsOf(context.commandName, input);
        if (targets.length === 0) return next(args);
        const [only] = targets;
        if ((context as Record<string, unknown>)[OLD_IMAGE_ASKED] === true && only !== undefined) {
          // One request instead of three: the old image comes back with the write (ALL_OLD, asked for
          // below), and the new one is the item put, which a PutItem stores whole.
          return this.#withLocks([lockId(only)], async () => {
            const result = await next(args);
            const { Attributes: old, ...rest } = result.output as { Attributes?: Record<string, unknown> };
            this.#emit(only, oldImageOf(old, context), input.Item as Record<string, AttributeValue>);
            return { ...result, output: rest } as typeof result;
          });
        }
        return this.#withLocks(
          targets.map((target) => lockId(target)),
          async () => {
            const before = await Promise.all(targets.map((target) => readImage(client, target)));
            let failure: unknown;
            let result: Awaited<ReturnType<typeof next>> | undefined;
            try {
              result = await next(args);
            } catch (error) {
              failure = error;
            }
            // Read back even after an error: a write can land although its response was lost.
            const after = await Promise.all(targets.map((target) => readImage(client, target)));
            for (const [i, target] of targets.entries()) this.#emit(target, before[i], after[i]);
            if (failure !== undefined) throw failure;
            return result as Awaited<ReturnType<typeof next>>;
          },
        );
      },
      // `build` runs after lib-dynamodb has marshalled the input and before retries, so each logical
      // write is recorded once whatever the number of HTTP attempts.
      { step: 'build', name: RECORDER_NAME, override: true },
    );
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        if (context.commandName !== 'PutItemCommand' || input.ReturnValues !== undefined) return next(args);
        (context as Record<string, unknown>)[OLD_IMAGE_ASKED] = true;
        return next({ ...args, input: { ...input, ReturnValues: 'ALL_OLD' } });
      },
      { step: 'initialize', name: ASK_OLD_IMAGE_NAME, override: true },
    );
    return () => {
      client.middlewareStack.remove(RECORDER_NAME);
      client.middlewareStack.remove(ASK_OLD_IMAGE_NAME);
    };
  }

  /** Calls `listener` with every record from now on. Returns a function that unsubscribes it. */
  subscribe(listener: StreamListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** The records made since the last call, oldest first (empty when buffering is off). */
  take(): DynamoDBRecord[] {
    return this.#buffer.splice(0, this.#buffer.length);
  }

  #targetsOf(commandName: string | undefined, input: Record<string, unknown>): WriteTarget[] {
    switch (commandName) {
      case 'PutItemCommand':
        return [{ tableName: String(input.TableName), key: this.#keyOf(input.Item) }];
      case 'UpdateItemCommand':
      case 'DeleteItemCommand':
        return [{ tableName: String(input.TableName), key: this.#keyOf(input.Key) }];
      case 'BatchWriteItemCommand':
        return Object.entries((input.RequestItems ?? {}) as Record<string, unknown[]>).flatMap(
          ([tableName, requests]) =>
            requests.map((request) => {
              const { PutRequest: put, DeleteRequest: del } = request as {
                PutRequest?: { Item: unknown };
                DeleteRequest?: { Key: unknown };
              };
              return { tableName, key: this.#keyOf(put ? put.Item : del?.Key) };
            }),
        );
      case 'TransactWriteItemsCommand':
        return (
          (input.TransactItems ?? []) as Record<
            string,
            { TableName?: string; Item?: unknown; Key?: unknown }
          >[]
        ).flatMap((entry) => {
          const write = entry.Put ?? entry.Update ?? entry.Delete;
          return write === undefined
            ? []
            : [{ tableName: String(write.TableName), key: this.#keyOf(write.Item ?? write.Key) }];
        });
      default:
        return [];
    }
  }

  #keyOf(item: unknown): Record<string, AttributeValue> {
    const attributes = (item ?? {}) as Record<string, AttributeValue>;
    const key: Record<string, AttributeValue> = {};
    for (const name of this.#keyAttributes) {
      const value = attributes[name];
      if (value !== undefined) key[name] = value;
    }
    return key;
  }

  #emit(
    target: WriteTarget,
    before: Record<string, AttributeValue> | undefined,
    after: Record<string, AttributeValue> | undefined,
  ): void {
    const oldImage = before === undefined ? undefined : toStreamImage(before);
    const newImage = after === undefined ? undefined : toStreamImage(after);
    if (canonical(oldImage) === canonical(newImage)) return;
    this.#sequence += 1n;
    const keys = toStreamImage(target.key);
    const record: DynamoDBRecord = {
      eventID: randomUUID().replaceAll('-', ''),
      eventName: oldImage === undefined ? 'INSERT' : newImage === undefined ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.#region,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: keys,
        ...(newImage === undefined ? {} : { NewImage: newImage }),
        ...(oldImage === undefined ? {} : { OldImage: oldImage }),
        SequenceNumber: (SEQUENCE_BASE + this.#sequence).toString(),
        SizeBytes: Buffer.byteLength(JSON.stringify([keys, newImage ?? {}, oldImage ?? {}])),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: `arn:aws:dynamodb:${this.#region}:${this.#accountId}:table/${target.tableName}/stream/${this.#streamLabel}`,
    };
    if (this.#buffering) this.#buffer.push(record);
    for (const listener of this.#listeners) listener(structuredClone(record));
  }

  async #withLocks<T>(ids: readonly string[], work: () => Promise<T>): Promise<T> {
    // Sorted, so two batch writes over the same items cannot wait on each other in a cycle.
    const releases: (() => void)[] = [];
    for (const id of [...new Set(ids)].sort()) releases.push(await this.#acquire(id));
    try {
      return await work();
    } finally {
      for (const release of releases) release();
    }
  }

  async #acquire(id: string): Promise<() => void> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => held);
    this.#locks.set(id, tail);
    await previous;
    return () => {
      release();
      if (this.#locks.get(id) === tail) this.#locks.delete(id);
    };
  }
}

/**
 * The old image a PutItem returned: DynamoDB JSON, or, for a command of lib-dynamodb's document client
 * (which unmarshals the answer before the recorder sees it), plain values marshalled back.
 */
function oldImageOf(
  attributes: Record<string, unknown> | undefined,
  context: object,
): Record<string, AttributeValue> | undefined {
  if (attributes === undefined) return undefined;
  const features = (context as { __aws_sdk_context?: { features?: Record<string, unknown> } })
    .__aws_sdk_context?.features;
  return features?.DDB_MAPPER === undefined
    ? (attributes as Record<string, AttributeValue>)
    : marshall(attributes, { removeUndefinedValues: true });
}

function lockId(target: WriteTarget): string {
  return `${target.tableName}\u0000${canonical(toStreamImage(target.key))}`;
}

async function readImage(
  client: DynamoDBClient,
  target: WriteTarget,
): Promise<Record<string, AttributeValue> | undefined> {
  const output: GetItemCommandOutput = await client.send(
    new GetItemCommand({ TableName: target.tableName, Key: target.key, ConsistentRead: true }),
  );
  return output.Item;
}

/** SDK attribute values → the JSON a stream record carries (binary as base64, as Lambda receives it). */
function toStreamImage(image: Record<string, AttributeValue>): Record<string, StreamAttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toStreamValue(value)]));
}

function toStreamValue(value: AttributeValue): StreamAttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toStreamValue) };
  if (value.M !== undefined) return { M: toStreamImage(value.M) };
  throw new TypeError(
    `unknown DynamoDB attribute value ${JSON.stringify(value)}; update the stream recorder`,
  );
}

/** JSON with object keys sorted, so two images compare equal whatever order DynamoDB returned them in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
