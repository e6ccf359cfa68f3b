/**
 * `@feedwright/storage`: the ports the pipeline talks to (story store, site store, digest source), their
 * DynamoDB and S3 adapters (each taking its client as an option) and in-memory fakes for unit tests.
 * The table's and bucket's names (keys, indexes, prefixes) are the `@feedwright/storage/schema` subpath.
 */
export {
  type DigestRead,
  type DigestSource,
  MemoryDigestSource,
  S3DigestSource,
  type S3DigestSourceOptions,
} from './digest-source.ts';
export { DynamoItemTable, type DynamoItemTableOptions, UnprocessedKeysError } from './dynamo-item-table.ts';
export type { ItemTable } from './item-table.ts';
export {
  canonicalStory,
  digestContentHash,
  feedSortKey,
  type Item,
  type ItemKey,
  isLive,
  MalformedItemError,
  type ManifestCounts,
  type ManifestItem,
  manifestKey,
  type OwnerStamp,
  type StoryItem,
  storyContentHash,
  storyKey,
  type TopicItem,
  topicKey,
} from './items.ts';
export { MemoryItemTable } from './memory-item-table.ts';
export {
  type ClaimDecision,
  decideClaim,
  decideStoryWithdraw,
  decideStoryWrite,
  type StoryChange,
  type StoryDecision,
} from './rules.ts';
export { compareSequencers, isValidSequencer } from './sequencer.ts';
export {
  CONTENT_HASH_METADATA,
  type DeleteResult,
  MemorySiteStore,
  type ObjectVersion,
  type PutIfChangedOptions,
  type PutResult,
  S3SiteStore,
  type S3SiteStoreOptions,
  type SiteObject,
  SiteObjectConflictError,
  type SiteStore,
  siteObjectHash,
} from './site-store.ts';
export {
  type ApplyOutcome,
  type ApplyResult,
  ConcurrentUpdateError,
  createDynamoStoryStore,
  type DigestChange,
  type DynamoStoryStoreOptions,
  type StoryCounts,
  type StoryStore,
  TableStoryStore,
  type TableStoryStoreOptions,
  type TopicRecord,
} from './story-store.ts';
