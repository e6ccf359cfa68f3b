import { readFileSync } from 'node:fs';
import type { DynamoDBStreamEvent, S3Event } from 'aws-lambda';

/** Loads a sample S3 notification from `events/s3/<name>.json`, as Powertools' tests load theirs. */
export function loadS3Event(name: string): S3Event {
  return JSON.parse(
    readFileSync(new URL(`../../../events/s3/${name}.json`, import.meta.url), 'utf8'),
  ) as S3Event;
}

/** Loads a sample DynamoDB stream batch from `events/dynamodb/<name>.json`. */
export function loadStreamEvent(name: string): DynamoDBStreamEvent {
  return JSON.parse(
    readFileSync(new URL(`../../../events/dynamodb/${name}.json`, import.meta.url), 'utf8'),
  ) as DynamoDBStreamEvent;
}
