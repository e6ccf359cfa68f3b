/**
 * What a failure-queue message stands for, from its body alone: Lambda's on-failure record of an S3
 * notification (ingest), or of a stream batch (render).
 */
/** Where a failed stream batch lies (Lambda's `DDBStreamBatchInfo`). */
export interface StreamBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

/** The work one failure-queue message stands for. */
export type ParkedWork =
  | {
      readonly kind: 's3-event';
      readonly event: { readonly Records: readonly unknown[] };
      readonly keys: string[];
    }
  | { readonly kind: 'stream-batch'; readonly batch: StreamBatchInfo }
  | { readonly kind: 'unknown'; readonly reason: string };

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tells an ingest on-failure record from a stream-batch record, from the message body alone. */
export function classifyMessage(body: string): ParkedWork {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'unknown', reason: 'the body is not JSON' };
  }
  if (!isObject(parsed)) return { kind: 'unknown', reason: 'the body is not a JSON object' };

  const batch = parsed.DDBStreamBatchInfo;
  if (isObject(batch)) {
    const fields = ['shardId', 'startSequenceNumber', 'endSequenceNumber', 'streamArn'] as const;
    for (const field of fields) {
      if (typeof batch[field] !== 'string') {
        return { kind: 'unknown', reason: `DDBStreamBatchInfo.${field} is missing` };
      }
    }
    return {
      kind: 'stream-batch',
      batch: {
        shardId: String(batch.shardId),
        startSequenceNumber: String(batch.startSequenceNumber),
        endSequenceNumber: String(batch.endSequenceNumber),
        approximateArrivalOfFirstRecord: String(batch.approximateArrivalOfFirstRecord ?? ''),
        batchSize: typeof batch.batchSize === 'number' ? batch.batchSize : 0,
        streamArn: String(batch.streamArn),
      },
    };
  }

  const payload = parsed.requestPayload;
  if (isObject(payload) && Array.isArray(payload.Records)) {
    const records: unknown[] = payload.Records;
    const keys: string[] = [];
    for (const record of records) {
      if (!isObject(record) || record.eventSource !== 'aws:s3') {
        return { kind: 'unknown', reason: 'requestPayload holds records that are not S3 notifications' };
      }
      const s3 = isObject(record.s3) ? record.s3 : {};
      const object = isObject(s3.object) ? s3.object : {};
      keys.push(typeof object.key === 'string' ? object.key : '?');
    }
    return { kind: 's3-event', event: { Records: records }, keys };
  }

  return { kind: 'unknown', reason: 'neither an S3 on-failure record nor a stream batch record' };
}
