import { BUCKET_PREFIXES } from '@feedwright/storage/schema';
import type { S3Event, S3EventRecord } from 'aws-lambda';

// Only objects under this prefix are digests; the CDK notification filters on it too.
const DIGEST_PREFIX = BUCKET_PREFIXES.digests;

// Mailed digests (SES's receipt rule, the local SMTP server): read as mail, otherwise like digests.
const MAIL_PREFIX = BUCKET_PREFIXES.mail;

/** The object SES writes under the rule's prefix when the rule is created, to test its access. */
const SES_SETUP_NOTIFICATION = 'AMAZON_SES_SETUP_NOTIFICATION';

/** Whether a digest object is a mailed message (under `mail/`), which ingest reads as e-mail. */
export function isMailKey(key: string): boolean {
  return key.startsWith(MAIL_PREFIX);
}

/** One S3 notification about a digest object, with its key decoded. */
export interface DigestEvent {
  readonly kind: 'created' | 'removed';
  readonly bucket: string;
  /** The object key as stored (`digests/cx daily.txt`), decoded from the event's URL encoding. */
  readonly key: string;
  readonly sequencer: string;
  /** Bytes, from the event; S3 sends it for created objects only. */
  readonly size?: number;
  readonly eTag?: string;
  /** The object version the event names (versioned buckets only). */
  readonly versionId?: string;
  /** When S3 saw the change (ISO 8601): a story the upload corrects is updated then. */
  readonly eventTime?: string;
  readonly eventName: string;
}

/** A record that is not for ingest, and why (logged, never an error: retrying would not change it). */
export interface IgnoredRecord {
  readonly reason: string;
  readonly eventName?: string;
  readonly key?: string;
}

/**
 * S3 URL-encodes keys in notifications as an HTML form would: `+` for a space, `%XX` for the rest.
 * @throws URIError on a malformed escape (S3 never sends one).
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/** Splits a notification into digest events (`digests/` and `mail/`) and records that are none of ingest's business. */
export function digestEventsOf(event: S3Event): { events: DigestEvent[]; ignored: IgnoredRecord[] } {
  const events: DigestEvent[] = [];
  const ignored: IgnoredRecord[] = [];
  for (const record of event.Records ?? []) {
    const parsed = digestEventOf(record);
    if ('reason' in parsed) ignored.push(parsed);
    else events.push(parsed);
  }
  return { events, ignored };
}

function digestEventOf(record: S3EventRecord): DigestEvent | IgnoredRecord {
  const eventName = record.eventName ?? '';
  const kind = eventName.startsWith('ObjectCreated:')
    ? 'created'
    : eventName.startsWith('ObjectRemoved:')
      ? 'removed'
      : undefined;
  const rawKey = record.s3?.object?.key;
  if (kind === undefined)
    return { reason: 'not an ObjectCreated or ObjectRemoved event', eventName, key: rawKey };
  if (typeof rawKey !== 'string') return { reason: 'the record names no object key', eventName };
  let key: string;
  try {
    key = decodeS3Key(rawKey);
  } catch {
    return { reason: 'the object key is not valid URL encoding', eventName, key: rawKey };
  }
  if (!key.startsWith(DIGEST_PREFIX) && !isMailKey(key)) {
    return { reason: `not under ${DIGEST_PREFIX} or ${MAIL_PREFIX}`, eventName, key };
  }
  if (key === `${MAIL_PREFIX}${SES_SETUP_NOTIFICATION}`) {
    return {
      reason: "SES's setup notification (written when the receipt rule is created), not a message",
      eventName,
      key,
    };
  }
  if (key.endsWith('/')) return { reason: 'a folder placeholder, not a digest', eventName, key };
  const sequencer = record.s3.object.sequencer;
  if (typeof sequencer !== 'string' || !/^[0-9A-Fa-f]+$/.test(sequencer)) {
    return { reason: 'the record has no hexadecimal sequencer to order it by', eventName, key };
  }
  const size = record.s3.object.size;
  return {
    kind,
    bucket: record.s3.bucket.name,
    key,
    sequencer,
    eventName,
    ...(kind === 'created' && typeof size === 'number' ? { size } : {}),
    ...(record.s3.object.eTag ? { eTag: record.s3.object.eTag } : {}),
    ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
    ...(typeof record.eventTime === 'string' && !Number.isNaN(Date.parse(record.eventTime))
      ? { eventTime: new Date(record.eventTime).toISOString() }
      : {}),
  };
}
