/**
 * `@feedwright/storage/schema`: the names of the pieces of the table and the incoming bucket — key
 * attributes, index names, partition-key prefixes, object-key prefixes. The CDK stack, the local
 * stack, the adapters and `feedwright redrive` all import them from here, so they can never disagree.
 * Constants, and the rules on keys that follow from them: importing this costs no AWS SDK.
 *
 * @packageDocumentation
 */

import { createHash } from 'node:crypto';

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
 * Partition of the redirect records: one item per old story id (sort key), naming the story that
 * replaced it under a corrected headline. ONE paginated Query reads them all.
 */
export const REDIRECTS_PARTITION = 'REDIRECTS';

/**
 * Partition-key prefixes of the items whose stream records render reads (story items, issue records and
 * redirect records): the CDK event source's filter and the local stack's both come from this list.
 */
export const RENDER_STREAM_PREFIXES = [KEY_PREFIX.story, ISSUES_PREFIX, REDIRECTS_PARTITION] as const;

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

/** The prefixes whose objects are digests (uploaded or mailed): the ones that trigger ingest. */
const DIGEST_PREFIXES = [BUCKET_PREFIXES.digests, BUCKET_PREFIXES.mail] as const;

/** Whether a key names a digest: it lies under one of {@link DIGEST_PREFIXES}. */
export function isDigestKey(key: string): boolean {
  return DIGEST_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** What keys an object store can hold. */
export interface KeyLimits {
  /** The most UTF-8 bytes of a whole key (S3: 1,024). */
  readonly maxKeyBytes: number;
  /**
   * The most UTF-8 bytes of one `/`-separated part of a key, for a store that keeps keys as file
   * names (the local S3).
   * @default undefined - no limit
   */
  readonly maxSegmentBytes?: number;
  /** The store, as messages name it ('S3', 'the local S3'). */
  readonly store: string;
}

/** Amazon S3's own limit: a key of at most 1,024 bytes of UTF-8. */
export const S3_KEY_LIMITS: KeyLimits = { maxKeyBytes: 1024, store: 'S3' };

/** Reports of digests whose plain report key would be too long: `reports/long-names/<sha256 of the key>.json`. */
const LONG_NAME_REPORTS = `${BUCKET_PREFIXES.reports}long-names/`;

/**
 * Where ingest reports on a digest: `digests/a b.txt` → `reports/digests/a b.txt.json`. A key whose
 * report key would pass `limits` (its name is refused, see {@link digestKeyProblem}) is reported on
 * under `reports/long-names/<sha256 of the key, hex>.json` instead, so that the refusal is written.
 */
export function reportKeyFor(digestKey: string, limits: KeyLimits = S3_KEY_LIMITS): string {
  const plain = `${BUCKET_PREFIXES.reports}${digestKey}.json`;
  if (overLimits(plain, limits).length === 0) return plain;
  return `${LONG_NAME_REPORTS}${createHash('sha256').update(digestKey, 'utf8').digest('hex')}.json`;
}

/** The `.` or `..` part of a key, if it has one: read as a path, such a key names another key. */
export function dotSegmentOf(key: string): '.' | '..' | undefined {
  for (const part of key.split('/')) if (part === '.' || part === '..') return part;
  return undefined;
}

/**
 * Why `key` cannot be a digest's key, as a sentence for an editor, or undefined when it can. Refused:
 * - a `.` or `..` part (`digests/../a.txt`): S3 keeps it literally, but the local S3, file systems
 *   and many tools resolve it to another key, so one name would mean two objects;
 * - a key, or the key of its report (`reports/<key>.json`), over `limits`: S3 refuses keys over 1,024
 *   bytes, and the local S3 each part of a key over its file-name limit, so the upload or its report
 *   would fail.
 * `feedwright publish` and `withdraw` check it before touching the bucket; ingest refuses such a key
 * with a report.
 */
export function digestKeyProblem(key: string, limits: KeyLimits = S3_KEY_LIMITS): string | undefined {
  const dots = dotSegmentOf(key);
  if (dots !== undefined) {
    return (
      `the key ${JSON.stringify(key)} has a '${dots}' part, which the local S3 and many tools read as a ` +
      'step in a path to another key (S3 keeps it as it is): give the digest a plain file name'
    );
  }
  const reportKey = `${BUCKET_PREFIXES.reports}${key}.json`;
  const over = [
    ...overLimits(key, limits).map((limit) => ({ ...limit, what: 'its key' })),
    ...overLimits(reportKey, limits).map((limit) => ({ ...limit, what: `its report's key (${reportKey})` })),
  ].sort((a, b) => b.excess - a.excess)[0];
  if (over === undefined) return undefined;
  return (
    `the name is too long: ${over.what} would be ${over.excess} ${over.excess === 1 ? 'byte' : 'bytes'} ` +
    `over ${limits.store}'s limit of ${over.limit}; shorten the file name by at least ${over.excess} ` +
    `${over.excess === 1 ? 'byte' : 'bytes'}`
  );
}

/** The limits `key` passes, each with how many bytes it is over. */
function overLimits(
  key: string,
  limits: KeyLimits,
): Array<{ readonly excess: number; readonly limit: string }> {
  const over: Array<{ readonly excess: number; readonly limit: string }> = [];
  const keyBytes = Buffer.byteLength(key, 'utf8');
  if (keyBytes > limits.maxKeyBytes) {
    over.push({ excess: keyBytes - limits.maxKeyBytes, limit: `${limits.maxKeyBytes} bytes for a key` });
  }
  const { maxSegmentBytes } = limits;
  if (maxSegmentBytes !== undefined) {
    const longest = Math.max(...key.split('/').map((part) => Buffer.byteLength(part, 'utf8')));
    if (longest > maxSegmentBytes) {
      over.push({
        excess: longest - maxSegmentBytes,
        limit: `${maxSegmentBytes} bytes for each part of a key between slashes (it keeps them as file names)`,
      });
    }
  }
  return over;
}

/** Where render records each digest event that went live, under the reports prefix. */
export const LIVE_REPORTS_PREFIX = `${BUCKET_PREFIXES.reports}live/`;

/**
 * `digests/a b.txt` → `reports/live/digests/a b.txt.json`: where render records that a digest's event
 * went live, and how long it took (its freshness); apart from ingest's reports, so that their prefix
 * holds nothing else.
 */
export function liveReportKeyFor(digestKey: string): string {
  return `${LIVE_REPORTS_PREFIX}${digestKey}.json`;
}

/** Where each reconcile run leaves what it found and repaired (the last run's only). */
export const RECONCILE_REPORT_KEY = `${BUCKET_PREFIXES.reports}reconcile/latest.json`;
