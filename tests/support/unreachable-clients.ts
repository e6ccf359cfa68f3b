import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * S3 and DynamoDB clients that fail any call and record its command name in `calls`: for unit tests of
 * work that must need no AWS call at all.
 */
export function unreachableClients(): { s3: S3Client; dynamo: DynamoDBClient; calls: string[] } {
  const calls: string[] = [];
  const options = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  const s3 = new S3Client(options);
  const dynamo = new DynamoDBClient(options);
  const refuse = (commandName: string | undefined): never => {
    calls.push(commandName ?? 'unknown');
    throw new Error('no AWS in unit tests');
  };
  s3.middlewareStack.add((_next, ctx) => async () => refuse(ctx.commandName), {
    step: 'initialize',
    name: 'refuse',
  });
  dynamo.middlewareStack.add((_next, ctx) => async () => refuse(ctx.commandName), {
    step: 'initialize',
    name: 'refuse',
  });
  return { s3, dynamo, calls };
}
