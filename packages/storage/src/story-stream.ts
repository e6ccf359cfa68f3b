import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { KEY_PREFIX, TABLE_INDEXES } from './schema.ts';

/** What of a story item the site shows; `null` when it is not live (withdrawn, or a bare tombstone). */
export interface StorySiteView {
  readonly topicSlug: string;
  readonly contentHash: string;
  /** When the story was published (ISO 8601, UTC as the parser writes it): places it in its archive month. */
  readonly publishedAt: string;
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
  return { topicSlug, contentHash, publishedAt };
}
