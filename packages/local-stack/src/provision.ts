import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { TABLE_INDEXES, TABLE_KEYS } from '@feedwright/storage/schema';

/**
 * Creates the feedwright table (key schema and GSIs of `@feedwright/storage/schema`, on-demand, stream with new and old
 * images) unless it exists, and waits until it is ACTIVE. For emulators and tests: on AWS the CDK
 * stack creates the table.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const indexes = Object.values(TABLE_INDEXES);
  const attributeNames = [
    TABLE_KEYS.partitionKey,
    TABLE_KEYS.sortKey,
    ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...new Set(attributeNames)].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists(
    { client, maxWaitTime: 60, minDelay: 0.1, maxDelay: 1 },
    { TableName: tableName },
  );
}

/** Creates each bucket unless it exists already. For emulators and tests. */
export async function createBuckets(s3: S3Client, names: readonly string[]): Promise<void> {
  for (const name of names) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    } catch (error) {
      const exists =
        error instanceof S3ServiceException &&
        (error.name === 'BucketAlreadyOwnedByYou' || error.name === 'BucketAlreadyExists');
      if (!exists) throw error;
    }
  }
}
