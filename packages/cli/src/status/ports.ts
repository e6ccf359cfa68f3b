/**
 * The AWS (and s3rver) ports of `feedwright status`, each a thin wrapper over the few SDK calls it
 * makes, so that tests drive the status with fakes.
 */
import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ListedReport, QueueGauge, ReportReader } from './status.ts';

/** The incoming bucket's reports, read with the S3 API (AWS, or the local stack's s3rver). */
export function s3ReportReader(client: Pick<S3Client, 'send'>, bucket: string): ReportReader {
  return {
    async list(prefix) {
      const listed: ListedReport[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined && object.LastModified !== undefined) {
            listed.push({ key: object.Key, lastModified: object.LastModified });
          }
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return listed;
    },
    async readJson(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return JSON.parse((await object.Body?.transformToString()) ?? '');
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'NoSuchKey' || name === 'NotFound' || error instanceof SyntaxError) return undefined;
        throw error;
      }
    },
  };
}

/** SQS's approximate counts of a queue. */
export function sqsQueueGauge(client: Pick<SQSClient, 'send'>): QueueGauge {
  return {
    async depth(url) {
      const output = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const count = (name: 'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible'): number =>
        Number(output.Attributes?.[name] ?? '0');
      return {
        visible: count('ApproximateNumberOfMessages'),
        inFlight: count('ApproximateNumberOfMessagesNotVisible'),
      };
    },
  };
}

/** A deployed stack is missing, or lacks an output status needs; the message says what to do. */
export class StackOutputsError extends Error {
  override readonly name = 'StackOutputsError';
}

/** The deployed stack's outputs that `status` reads. */
export interface StatusStackOutputs {
  readonly incomingBucket: string;
  readonly ingestFailureQueueUrl: string;
  readonly renderFailureQueueUrl: string;
}

const REQUIRED_OUTPUTS = {
  incomingBucket: 'IncomingBucketName',
  ingestFailureQueueUrl: 'IngestFailureQueueUrl',
  renderFailureQueueUrl: 'RenderFailureQueueUrl',
} as const;

/** Reads the stack's outputs with CloudFormation's DescribeStacks. */
export async function readStackOutputs(
  client: Pick<CloudFormationClient, 'send'>,
  stackName: string,
): Promise<StatusStackOutputs> {
  let output: DescribeStacksCommandOutput;
  try {
    output = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (error) {
    if ((error as { name?: string }).name === 'ValidationError') {
      throw new StackOutputsError(
        `no stack named ${stackName} in this account and region: deploy it (npx cdk deploy), or pass --stack-name and --region`,
      );
    }
    throw error;
  }
  const outputs = new Map(
    (output.Stacks?.[0]?.Outputs ?? []).flatMap((entry) =>
      entry.OutputKey === undefined || entry.OutputValue === undefined
        ? []
        : [[entry.OutputKey, entry.OutputValue]],
    ),
  );
  const read = (name: string): string => {
    const value = outputs.get(name);
    if (value === undefined) {
      throw new StackOutputsError(
        `stack ${stackName} has no output ${name}: is it a feedwright stack, and is its deploy finished?`,
      );
    }
    return value;
  };
  return {
    incomingBucket: read(REQUIRED_OUTPUTS.incomingBucket),
    ingestFailureQueueUrl: read(REQUIRED_OUTPUTS.ingestFailureQueueUrl),
    renderFailureQueueUrl: read(REQUIRED_OUTPUTS.renderFailureQueueUrl),
  };
}
