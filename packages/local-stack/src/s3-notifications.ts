import { createHash, randomBytes } from 'node:crypto';
import { isDigestKey } from '@feedwright/storage/schema';
import type { S3EventRecord } from 'aws-lambda';
import { encodeS3EventKey } from './s3-key-encoding.ts';

/** A change to one object, as the local S3 emulator reports it (raw key, not encoded). */
export interface ObjectChange {
  readonly bucket: string;
  readonly key: string;
  /** The S3 event name, e.g. `ObjectCreated:Put` or `ObjectRemoved:Delete`. */
  readonly eventName: string;
  /** Bytes of the new object (created events only). */
  readonly size?: number;
  /** The new object's MD5 ETag without quotes (created events only). */
  readonly eTag?: string;
  readonly sourceIp?: string;
}

/** Where the notification appears to come from. */
export interface NotificationSource {
  readonly region: string;
  /** Names the notification configuration, as the CDK-made one would. */
  readonly configurationId: string;
  /** Issues the `sequencer` of each event: increasing hex strings. */
  readonly sequencer: () => string;
  readonly now?: () => Date;
}

/**
 * Builds the notification record S3 would deliver for a change: URL-encoded key, bucket ARN,
 * `size`/`eTag` for created objects only (AWS sends neither on removal), an increasing sequencer.
 */
export function toS3EventRecord(change: ObjectChange, source: NotificationSource): S3EventRecord {
  const object: { key: string; size?: number; eTag?: string; sequencer: string } = {
    key: encodeS3EventKey(change.key),
    sequencer: source.sequencer(),
  };
  if (change.eventName.startsWith('ObjectCreated:')) {
    object.size = change.size ?? 0;
    if (change.eTag !== undefined) object.eTag = change.eTag;
  }
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const record = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: source.region,
    eventTime: (source.now?.() ?? new Date()).toISOString(),
    eventName: change.eventName,
    userIdentity: { principalId: LOCAL_PRINCIPAL },
    requestParameters: { sourceIPAddress: change.sourceIp ?? '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': requestId,
      'x-amz-id-2': createHash('sha256').update(requestId).digest('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: source.configurationId,
      bucket: {
        name: change.bucket,
        ownerIdentity: { principalId: LOCAL_PRINCIPAL },
        arn: `arn:aws:s3:::${change.bucket}`,
      },
      object,
    },
  };
  // The aws-lambda typings make size and eTag mandatory; real removal events carry neither.
  return record as S3EventRecord;
}

/**
 * Issues S3-style sequencers: upper-case hex of a fixed width that only ever grows, also across
 * restarts of the local stack (they start from the clock), because the ingest function keeps the
 * last sequencer it applied per digest and ignores anything older.
 */
export function createSequencer(now: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    const fromClock = BigInt(now()) * 1_000_000n;
    last = fromClock > last ? fromClock : last + 1n;
    return last.toString(16).toUpperCase().padStart(SEQUENCER_WIDTH, '0');
  };
}

/**
 * Which objects notify the ingest function: the CDK stack filters on the `digests/` prefix, and on
 * `mail/` when it receives mail (the local stack always does).
 */
export function isIngestedObject(change: ObjectChange, incomingBucket: string): boolean {
  return change.bucket === incomingBucket && isDigestKey(change.key);
}

const SEQUENCER_WIDTH = 18;
const LOCAL_PRINCIPAL = 'AWS:FEEDWRIGHTLOCAL';
