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
        });
      }
      return next(args);
    },
    { step: 'initialize', priority: 'high', name: 'feedwrightBeforeWrite', override: true },
  );
}
