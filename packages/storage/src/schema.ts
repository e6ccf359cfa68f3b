/**
 * `@feedwright/storage/schema`: the names of the pieces of the table and the incoming bucket — key
 * attributes, index names, partition-key prefixes, object-key prefixes. The CDK stack, the local
 * stack, the adapters and `feedwright redrive` all import them from here, so they can never disagree.
 * Constants only: importing this costs no AWS SDK.
 *
 * @packageDocumentation
 */

/** The one DynamoDB table's key attributes. */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

/** Sparse global secondary indexes: only live stories carry their keys, so withdrawn ones vanish. */
export const TABLE_INDEXES = {
  /** "Newest N stories of topic T": partition `TOPIC#<slug>`, sort `<publishedAt>#<storyId>`. */
  byTopic: { indexName: 'byTopic', partitionKey: 'topicPk', sortKey: 'feedSk' },
  /** "Newest N stories overall": partition `ALL`, sort `<publishedAt>#<storyId>`. */
  all: { indexName: 'all', partitionKey: 'allPk', sortKey: 'feedSk' },
} as const;

/**
 * The item kinds of the one table. Story items are what the stream and render care about; the digest
 * manifests and the topic registry live under other partition-key prefixes so that render can ignore
 * them by looking at `Keys.pk` alone.
 */
export const KEY_PREFIX = {
  story: 'STORY#',
  digest: 'DIGEST#',
  topicIndex: 'TOPIC#',
} as const;

/** Sort keys of the singleton items. */
export const SORT_KEY = { story: 'STORY', manifest: 'MANIFEST', issue: 'ISSUE' } as const;

/**
 * Partition-key prefix of the issue registry: `ISSUES#<yyyy-mm>` holds one item per digest of that UTC
 * month, sort key `<publishedAt>#<digestKey>`, so a month's issues are ONE Query. A digest's manifest
 * partition (`DIGEST#<key>`) holds, under sort key `ISSUE`, a pointer to its current issue record.
 */
export const ISSUES_PREFIX = 'ISSUES#';

/**
 * Partition-key prefixes of the items whose stream records render reads (story items and issue
 * records): the CDK event source's filter and the local stack's both come from this list.
 */
export const RENDER_STREAM_PREFIXES = [KEY_PREFIX.story, ISSUES_PREFIX] as const;

/** Partition of the topic registry: ONE Query lists every topic, so the index page never scans. */
export const TOPICS_PARTITION = 'TOPICS';

/** Partition value of the `all` index. */
export const ALL_PARTITION = 'ALL';

/** Object-key prefixes of the incoming bucket. */
export const BUCKET_PREFIXES = {
  /** Where editors put digests: the only prefix that triggers ingest. */
  digests: 'digests/',
  /** Where ingest writes its processing reports (`reports/<digest key>.json`). */
  reports: 'reports/',
  /**
   * Mailed digests: raw messages stored by SES's receipt rule (with `-c mailDomain`) and by the local
   * stack's SMTP server; they trigger ingest like `digests/`. SES may write here and nowhere else.
   */
  mail: 'mail/',
} as const;

/** `digests/a b.txt` → `reports/digests/a b.txt.json`: where ingest reports on a digest. */
export function reportKeyFor(digestKey: string): string {
  return `${BUCKET_PREFIXES.reports}${digestKey}.json`;
}
