// A record read back with the DynamoDB Streams API → the record Lambda delivers to render.
import type {
  _Record as StreamApiRecord,
  AttributeValue as StreamAttributeValue,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';

export function toLambdaRecord(record: StreamApiRecord, streamArn: string, region: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const image = (item: Record<string, StreamAttributeValue> | undefined) =>
    item === undefined ? undefined : mapValues(item, toLambdaAttribute);
  const created = stream.ApproximateCreationDateTime;
  const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {
    ...(created === undefined ? {} : { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }),
    ...(stream.Keys === undefined ? {} : { Keys: image(stream.Keys) }),
    ...(stream.NewImage === undefined ? {} : { NewImage: image(stream.NewImage) }),
    ...(stream.OldImage === undefined ? {} : { OldImage: image(stream.OldImage) }),
    ...(stream.SequenceNumber === undefined ? {} : { SequenceNumber: stream.SequenceNumber }),
    ...(stream.SizeBytes === undefined ? {} : { SizeBytes: stream.SizeBytes }),
    ...(stream.StreamViewType === undefined ? {} : { StreamViewType: stream.StreamViewType }),
  };
  return {
    ...(record.eventID === undefined ? {} : { eventID: record.eventID }),
    ...(record.eventName === undefined ? {} : { eventName: record.eventName }),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: record.awsRegion ?? region,
    eventSourceARN: streamArn,
    dynamodb,
  };
}

function mapValues<T, U>(object: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value)]));
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function toLambdaAttribute(value: StreamAttributeValue): LambdaAttributeValue {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: mapValues(value.M, toLambdaAttribute) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttribute) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  throw new Error(`unsupported attribute value ${JSON.stringify(value)}`);
}
