import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { hookWrites, type StackWrite } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';

/** A client whose writes stop at the hook, before anything is sent (no endpoint is ever reached). */
function hookedClient(): { client: DynamoDBClient; writes: StackWrite[] } {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const writes: StackWrite[] = [];
  hookWrites(client, 'dynamodb', (write) => {
    writes.push(write);
    throw new Error('stopped before sending');
  });
  return { client, writes };
}

describe('Function: hookWrites', () => {
  it("names a story item's table and index partitions and its size, through the document client", async () => {
    // Prepare
    const { client, writes } = hookedClient();
    const documents = DynamoDBDocumentClient.from(client);
    const item = {
      pk: 'STORY#a',
      sk: 'STORY',
      allPk: 'ALL',
      topicPk: 'TOPIC#markets',
      title: 'x'.repeat(2000),
    };

    // Act
    const sent = documents.send(new PutCommand({ TableName: 't', Item: item }));

    // Assess
    await expect(sent).rejects.toThrow('stopped before sending');
    expect(writes).toHaveLength(1);
    expect(writes[0]?.command).toBe('PutItemCommand');
    expect(writes[0]?.items?.[0]?.partitions).toEqual(['STORY#a', 'all:ALL', 'byTopic:TOPIC#markets']);
    expect(writes[0]?.items?.[0]?.bytes).toBeGreaterThan(2000);
  });

  it('names every item of a batch write, marshalled as the low-level client sends it', async () => {
    // Prepare
    const { client, writes } = hookedClient();

    // Act
    const sent = client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          t: [
            { PutRequest: { Item: { pk: { S: 'ISSUES#2020-12' }, sk: { S: 'a' } } } },
            { DeleteRequest: { Key: { pk: { S: 'DIGEST#digests/a.txt' }, sk: { S: 'MANIFEST' } } } },
          ],
        },
      }),
    );

    // Assess
    await expect(sent).rejects.toThrow('stopped before sending');
    expect(writes[0]?.items?.map((item) => item.partitions)).toEqual([
      ['ISSUES#2020-12'],
      ['DIGEST#digests/a.txt'],
    ]);
  });
});
