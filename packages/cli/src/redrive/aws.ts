import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createFailureQueue, createFunctionInvoker, createStreamReader } from './aws-ports.ts';
import { type RedriveSummary, redrive } from './redrive.ts';

/** What `feedwright redrive` was asked to do. */
export interface RedriveArguments {
  readonly queueUrl: string;
  readonly functionName: string;
  readonly maxMessages: number;
  readonly dryRun: boolean;
  readonly region: string | undefined;
}

/** Long enough for the slowest re-run (render's 60 s timeout) before SQS shows the message again. */
const VISIBILITY_TIMEOUT_SECONDS = 180;

/** Runs the redrive against AWS with the SDK's default credentials. */
export async function runRedrive(args: RedriveArguments): Promise<RedriveSummary> {
  const config = args.region === undefined ? {} : { region: args.region };
  const sqs = new SQSClient(config);
  const lambda = new LambdaClient(config);
  const streams = new DynamoDBStreamsClient(config);
  try {
    return await redrive({
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
  } finally {
    sqs.destroy();
    lambda.destroy();
    streams.destroy();
  }
}
