/**
 * `@feedwright/storage`: the ports the pipeline talks to (story store, site store, digest source), their
 * DynamoDB and S3 adapters (each taking its client as an option); their in-memory fakes for unit tests
 * are `@feedwright/testing`.
 * The CloudFront adapter is the `@feedwright/storage/cdn` subpath.
 * The table's and bucket's names (keys, indexes, prefixes) are the `@feedwright/storage/schema` subpath.
 */
// The CloudFront adapter is the `@feedwright/storage/cdn` subpath: it loads the CloudFront SDK with
// `import()`, and a Lambda bundle that reaches that `import()` carries the SDK as a chunk, and shares
// files with it, whether or not the function invalidates anything.
export type { CdnInvalidator, CloudFrontInvalidatorOptions } from './cdn.ts';
export {
  type DigestRead,
  type DigestSource,
  type ListedObject,
  type ReadOptions,
  S3DigestSource,
  type S3DigestSourceOptions,
} from './digest-source.ts';
export type { DynamoItemTableOptions } from './dynamo-item-table.ts';
export {
  createDynamoIssueRegistry,
  type IssueDigest,
  type IssueRecord,
  type IssueRegistry,
  TableIssueRegistry,
} from './issue-registry.ts';
export type { ItemTable, SortKeyRange } from './item-table.ts';
export {
  bareETag,
  type HeldStory,
  type Item,
  type ItemKey,
  isLive,
  type ManifestCounts,
  type ManifestItem,
  md5,
  type OwnerStamp,
  type RedirectItem,
  type RenamedStory,
  type ShownBecause,
  type StoryItem,
  type TopicItem,
  topicKey,
} from './items.ts';
export { mapLimit } from './map-limit.ts';
export { type RedirectStore, redirectChain, resolveRedirect } from './redirects.ts';
export {
  type ClaimDecision,
  decideStoryWrite,
  type PlannedStory,
  pairRenamed,
  type StoryChange,
  type StoryDecision,
  type UploadPlan,
} from './rules.ts';
export { compareSequencers, isValidSequencer, nextSequencer } from './sequencer.ts';
export {
  CONTENT_HASH_METADATA,
  type DeleteResult,
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
  createDynamoStoryStore,
  type DigestChange,
  type DynamoStoryStoreOptions,
  type LiveStory,
  monthRange,
  NO_STORY_COUNTS,
  type StoryArchiveReader,
  type StoryCounts,
  type StoryStore,
  TableStoryStore,
  type TableStoryStoreOptions,
  type TopicRecord,
} from './story-store.ts';
export {
  type DigestEventStamp,
  type IssueSiteView,
  type IssueStreamChange,
  issueChangeOf,
  redirectChangeOf,
  type StorySiteView,
  type StoryStreamChange,
  storyChangeOf,
} from './story-stream.ts';
