import { BatchWriteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StreamRecorder } from '@feedwright/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../support/emulators.ts';

describe('Class: StreamRecorder', () => {
  let emulators: Emulators;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;
  const recorder = new StreamRecorder({ region: 'eu-west-1' });

  beforeAll(async () => {
    emulators = await startEmulators();
    client = emulators.dynamoClient();
    recorder.attach(client);
    documents = DynamoDBDocumentClient.from(client);
  });

  afterAll(async () => {
    await emulators.stop();
  });

  it('records an INSERT, a MODIFY and a REMOVE with keys and images in DynamoDB JSON', async () => {
    // Prepare
    const key = { pk: 'STORY#a', sk: 'STORY' };

    // Act
    await documents.send(new PutCommand({ TableName: emulators.tableName, Item: { ...key, title: 'One' } }));
    await documents.send(
      new UpdateCommand({
        TableName: emulators.tableName,
        Key: key,
        UpdateExpression: 'SET title = :t',
        ExpressionAttributeValues: { ':t': 'Two' },
      }),
    );
    await documents.send(new DeleteCommand({ TableName: emulators.tableName, Key: key }));
    const records = recorder.take();

    // Assess
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    expect(insert?.dynamodb?.Keys).toEqual({ pk: { S: 'STORY#a' }, sk: { S: 'STORY' } });
    expect(insert?.dynamodb?.NewImage?.title).toEqual({ S: 'One' });
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(modify?.dynamodb?.OldImage?.title).toEqual({ S: 'One' });
    expect(modify?.dynamodb?.NewImage?.title).toEqual({ S: 'Two' });
    expect(remove?.dynamodb?.OldImage?.title).toEqual({ S: 'Two' });
    expect(remove?.dynamodb?.NewImage).toBeUndefined();
    expect(insert?.eventSourceARN).toMatch(
      new RegExp(`^arn:aws:dynamodb:eu-west-1:\\d{12}:table/${emulators.tableName}/stream/`),
    );
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequence].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequence);
    expect(new Set(sequence).size).toBe(3);
  });

  it('records a PutItem over an item with its exact old image, through either client, and hides ALL_OLD', async () => {
    // Prepare
    const key = { pk: 'STORY#p', sk: 'STORY' };
    const first = { ...key, version: 1, tags: ['a', 'b'], story: { title: 'One', position: 0 } };
    await documents.send(new PutCommand({ TableName: emulators.tableName, Item: first }));
    recorder.take();

    // Act: the document client, then the low-level one, each over the previous item.
    const viaDocuments = await documents.send(
      new PutCommand({ TableName: emulators.tableName, Item: { ...first, version: 2 } }),
    );
    const viaClient = await client.send(
      new PutItemCommand({
        TableName: emulators.tableName,
        Item: { pk: { S: 'STORY#p' }, sk: { S: 'STORY' }, version: { N: '3' } },
      }),
    );
    const [second, third] = recorder.take();

    // Assess
    expect(second?.dynamodb?.OldImage).toEqual({
      pk: { S: 'STORY#p' },
      sk: { S: 'STORY' },
      version: { N: '1' },
      tags: { L: [{ S: 'a' }, { S: 'b' }] },
      story: { M: { title: { S: 'One' }, position: { N: '0' } } },
    });
    expect(second?.dynamodb?.NewImage?.version).toEqual({ N: '2' });
    expect(third?.dynamodb?.OldImage?.version).toEqual({ N: '2' });
    expect(third?.dynamodb?.NewImage).toEqual({
      pk: { S: 'STORY#p' },
      sk: { S: 'STORY' },
      version: { N: '3' },
    });
    expect(viaDocuments.Attributes).toBeUndefined();
    expect(viaClient.Attributes).toBeUndefined();
  });

  it('records nothing when a write leaves the item as it was or fails its condition', async () => {
    // Prepare
    const item = { pk: 'STORY#b', sk: 'STORY', title: 'Same' };
    await documents.send(new PutCommand({ TableName: emulators.tableName, Item: item }));
    recorder.take();

    // Act
    await documents.send(new PutCommand({ TableName: emulators.tableName, Item: item }));
    const conditional = documents.send(
      new PutCommand({
        TableName: emulators.tableName,
        Item: { ...item, title: 'Other' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );

    // Assess
    await expect(conditional).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(recorder.take()).toEqual([]);
  });

  it('records each item of a BatchWriteItem', async () => {
    // Act
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [emulators.tableName]: [
            { PutRequest: { Item: { pk: { S: 'STORY#c' }, sk: { S: 'STORY' } } } },
            { PutRequest: { Item: { pk: { S: 'STORY#d' }, sk: { S: 'STORY' } } } },
            { DeleteRequest: { Key: { pk: { S: 'STORY#b' }, sk: { S: 'STORY' } } } },
          ],
        },
      }),
    );
    const records = recorder.take();

    // Assess
    expect(records.map((r) => `${r.eventName} ${r.dynamodb?.Keys?.pk?.S}`).sort()).toEqual([
      'INSERT STORY#c',
      'INSERT STORY#d',
      'REMOVE STORY#b',
    ]);
  });

  it('hands each record to subscribers as it is made', async () => {
    // Prepare
    const seen: string[] = [];
    const unsubscribe = recorder.subscribe((record) => seen.push(record.eventName ?? ''));

    // Act
    await documents.send(new PutCommand({ TableName: emulators.tableName, Item: { pk: 'TOPICS', sk: 'x' } }));
    unsubscribe();
    await documents.send(new PutCommand({ TableName: emulators.tableName, Item: { pk: 'TOPICS', sk: 'y' } }));

    // Assess
    expect(seen).toEqual(['INSERT']);
    expect(recorder.take()).toHaveLength(2);
  });
});
