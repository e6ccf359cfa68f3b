import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { ISSUES_PREFIX, KEY_PREFIX, REDIRECTS_PARTITION, TABLE_INDEXES } from './schema.ts';

/** What of a story item the site shows; `null` when it is not live (withdrawn, or a bare tombstone). */
export interface StorySiteView {
  readonly topicSlug: string;
  readonly contentHash: string;
  /** When the story was published (ISO 8601, UTC as the parser writes it): places it in its archive month. */
  readonly publishedAt: string;
  /** Its place in its digest: `publishedAt` plus this many seconds is the digest's time (its issue's). */
  readonly position: number;
}

/** A story item's stream record, read as what a reader could see before and after it. */
export interface StoryStreamChange {
  readonly storyId: string;
  readonly before: StorySiteView | null;
  readonly after: StorySiteView | null;
  readonly sequenceNumber?: string;
}

/**
 * Reads a table stream record (NEW_AND_OLD_IMAGES) of a story item; `undefined` for records of other
 * item kinds (manifests, the topic registry). The item layout stays the storage adapter's business:
 * render plans from this, never from raw images.
 */
export function storyChangeOf(record: DynamoDBRecord): StoryStreamChange | undefined {
  const pk = record.dynamodb?.Keys?.pk?.S;
  if (pk === undefined || !pk.startsWith(KEY_PREFIX.story)) return undefined;
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  return {
    storyId: pk.slice(KEY_PREFIX.story.length),
    before: siteView(record.dynamodb?.OldImage),
    after: siteView(record.dynamodb?.NewImage),
    ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
  };
}

function siteView(image: Record<string, AttributeValue> | undefined): StorySiteView | null {
  // Only a live story carries the sparse index keys.
  if (image?.[TABLE_INDEXES.all.partitionKey]?.S === undefined) return null;
  const topicSlug = image.story?.M?.topicSlug?.S;
  const contentHash = image.contentHash?.S;
  const publishedAt = image.story?.M?.publishedAt?.S;
  if (topicSlug === undefined || contentHash === undefined || publishedAt === undefined) return null;
  const position = Number(image.story?.M?.position?.N ?? '0');
  return { topicSlug, contentHash, publishedAt, position: Number.isFinite(position) ? position : 0 };
}

/** What of an issue record the site shows; `null` when it is not live (a tombstone). */
export interface IssueSiteView {
  readonly title: string;
  readonly summary: string;
  readonly date: string;
  readonly publishedAt: string;
  readonly storyIds: readonly string[];
}

/** An issue record's stream record: the UTC month it is filed under, before and after. */
export interface IssueStreamChange {
  /** 'yyyy-mm', from the record's partition (`ISSUES#<yyyy-mm>`). */
  readonly month: string;
  readonly before: IssueSiteView | null;
  readonly after: IssueSiteView | null;
  readonly sequenceNumber?: string;
  /**
   * The digest event that wrote this record (an upload, a correction or a delete), when the record is
   * its write and not an older event's: the issue record is the last item an event writes, so once it is
   * rendered, the event is live.
   */
  readonly event?: DigestEventStamp;
}

/** Which digest event wrote an issue record, and when S3 saw it. */
export interface DigestEventStamp {
  readonly digestKey: string;
  /** The S3 sequencer of the event (orders the events of one key). */
  readonly sequencer: string;
  /** The S3 event's time (ISO 8601); absent on records written before event times were kept. */
  readonly eventAt?: string;
}

/** Reads a table stream record of an issue record (see `IssueRegistry`); `undefined` for other items. */
export function issueChangeOf(record: DynamoDBRecord): IssueStreamChange | undefined {
  const pk = record.dynamodb?.Keys?.pk?.S;
  if (pk === undefined || !pk.startsWith(ISSUES_PREFIX)) return undefined;
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  const event = eventStampOf(record.dynamodb?.NewImage, record.dynamodb?.OldImage);
  return {
    month: pk.slice(ISSUES_PREFIX.length),
    before: issueView(record.dynamodb?.OldImage),
    after: issueView(record.dynamodb?.NewImage),
    ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
    ...(event === undefined ? {} : { event }),
  };
}

/** The event stamp of a new image, unless the old image already had that event's sequencer. */
function eventStampOf(
  image: Record<string, AttributeValue> | undefined,
  old: Record<string, AttributeValue> | undefined,
): DigestEventStamp | undefined {
  const digestKey = image?.digestKey?.S;
  const sequencer = image?.sequencer?.S;
  if (digestKey === undefined || sequencer === undefined || old?.sequencer?.S === sequencer) return undefined;
  const eventAt = image?.eventAt?.S;
  return { digestKey, sequencer, ...(eventAt === undefined ? {} : { eventAt }) };
}

function issueView(image: Record<string, AttributeValue> | undefined): IssueSiteView | null {
  if (image?.live?.BOOL !== true) return null;
  const [title, summary, date, publishedAt] = ['title', 'summary', 'date', 'publishedAt'].map(
    (name) => image[name]?.S,
  );
  if (title === undefined || summary === undefined || date === undefined || publishedAt === undefined)
    return null;
  const storyIds = (image.storyIds?.L ?? []).flatMap((entry) => (entry.S === undefined ? [] : [entry.S]));
  return { title, summary, date, publishedAt, storyIds };
}

/**
 * Reads a table stream record of a redirect record: the old story id whose address it is about (its sort
 * key), whatever was written; `undefined` for other items.
 */
export function redirectChangeOf(
  record: DynamoDBRecord,
): { readonly from: string; readonly sequenceNumber?: string } | undefined {
  const keys = record.dynamodb?.Keys;
  const from = keys?.sk?.S;
  if (keys?.pk?.S !== REDIRECTS_PARTITION || from === undefined) return undefined;
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  return { from, ...(sequenceNumber === undefined ? {} : { sequenceNumber }) };
}
