import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';

/** One write the stack's functions send to the table or a bucket. */
export interface StackWrite {
  readonly service: 'dynamodb' | 's3';
  /** The SDK command, e.g. `PutItemCommand`, `PutObjectCommand`. */
  readonly command: string;
  /** S3 writes: the bucket written to. */
  readonly bucket?: string;
  /** S3 writes: the object key. */
  readonly key?: string;
  /**
   * DynamoDB writes: each item written or deleted, with the partitions it writes to (`pk` of the table,
   * and the index partitions its attributes name: `all:ALL`, `byTopic:TOPIC#…`) and its size as sent
   * (for write units, which DynamoDB counts per started KB, in the table and in each index alike).
   */
  readonly items?: readonly WrittenItem[];
}

/** One item of a DynamoDB write (see `StackWrite.items`). */
export interface WrittenItem {
  readonly partitions: readonly string[];
  readonly bytes: number;
}

/** Called before each write; throwing fails that write before it is sent (a crash, for tests). */
export type BeforeWrite = (write: StackWrite) => void;

const DYNAMODB_WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
const S3_WRITES = new Set([
  'PutObjectCommand',
  'DeleteObjectCommand',
  'DeleteObjectsCommand',
  'CopyObjectCommand',
  'CreateMultipartUploadCommand',
  'UploadPartCommand',
  'CompleteMultipartUploadCommand',
]);

/**
 * Calls `beforeWrite` before every write sent through `client`, ahead of everything else on the client
 * (the stream recorder too: a write it refuses leaves no stream record), so a test can stop the
 * stack's functions at an exact write, as a `kill -9` between two writes would.
 */
export function hookWrites(
  client: DynamoDBClient | S3Client,
  service: StackWrite['service'],
  beforeWrite: BeforeWrite,
): void {
  const writes = service === 'dynamodb' ? DYNAMODB_WRITES : S3_WRITES;
  (client as S3Client).middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (writes.has(command)) {
        const input = args.input as { Bucket?: unknown; Key?: unknown };
        beforeWrite({
          service,
          command,
          ...(typeof input.Bucket === 'string' ? { bucket: input.Bucket } : {}),
          ...(typeof input.Key === 'string' ? { key: input.Key } : {}),
          ...(service === 'dynamodb' ? { items: writtenItems(command, args.input) } : {}),
        });
      }
      return next(args);
    },
    { step: 'initialize', priority: 'high', name: 'feedwrightBeforeWrite', override: true },
  );
}

/** An item as sent: attribute values marshalled (`{ S: … }`), or plain through the document client. */
type AttributeMap = Readonly<Record<string, unknown>>;

/** A string attribute's value, marshalled or plain. */
function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const marshalled = (value as { S?: unknown } | undefined)?.S;
  return typeof marshalled === 'string' ? marshalled : undefined;
}

/** The items a DynamoDB write command sends (Put, Update, Delete, BatchWrite, TransactWrite). */
function writtenItems(command: string, input: unknown): WrittenItem[] {
  const request = input as {
    Item?: AttributeMap;
    Key?: AttributeMap;
    RequestItems?: Record<
      string,
      ReadonlyArray<{ PutRequest?: { Item: AttributeMap }; DeleteRequest?: { Key: AttributeMap } }>
    >;
    TransactItems?: ReadonlyArray<Record<string, { Item?: AttributeMap; Key?: AttributeMap } | undefined>>;
  };
  const maps: AttributeMap[] = [];
  if (command === 'BatchWriteItemCommand') {
    for (const requests of Object.values(request.RequestItems ?? {})) {
      for (const entry of requests) {
        const map = entry.PutRequest?.Item ?? entry.DeleteRequest?.Key;
        if (map !== undefined) maps.push(map);
      }
    }
  } else if (command === 'TransactWriteItemsCommand') {
    for (const entry of request.TransactItems ?? []) {
      for (const action of Object.values(entry)) {
        const map = action?.Item ?? action?.Key;
        if (map !== undefined) maps.push(map);
      }
    }
  } else {
    const map = request.Item ?? request.Key;
    if (map !== undefined) maps.push(map);
  }
  return maps.map((map) => ({
    partitions: [
      stringOf(map.pk),
      stringOf(map.allPk) === undefined ? undefined : `all:${stringOf(map.allPk)}`,
      stringOf(map.topicPk) === undefined ? undefined : `byTopic:${stringOf(map.topicPk)}`,
    ].filter((partition): partition is string => partition !== undefined),
    bytes: Buffer.byteLength(JSON.stringify(map)),
  }));
}
