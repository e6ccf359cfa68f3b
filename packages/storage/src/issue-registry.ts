import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoItemTable } from './dynamo-item-table.ts';
import type { ItemTable } from './item-table.ts';
import type { Item, ItemKey } from './items.ts';
import { ISSUES_PREFIX, KEY_PREFIX, SORT_KEY } from './schema.ts';
import { compareSequencers } from './sequencer.ts';
import type { DigestChange } from './story-store.ts';

/** What the table keeps of one digest so that the site can show it as an issue of the newsletter. */
export interface IssueRecord {
  /** The digest object's key: the issue record's owner. */
  readonly digestKey: string;
  readonly title: string;
  readonly summary: string;
  /** The digest's local calendar date, as its date line gives it (the issue id starts with it). */
  readonly date: string;
  /** ISO 8601 instant (UTC) of the digest: places the issue in its month. */
  readonly publishedAt: string;
  /** Its stories' ids in digest order. */
  readonly storyIds: readonly string[];
}

/** The issue fields of a parsed digest (the parser's `Digest` fits). */
export interface IssueDigest {
  readonly title: string;
  readonly summary: string;
  readonly date: string;
  readonly publishedAt: string;
  readonly stories: readonly { readonly storyId: string }[];
}

/**
 * The issue registry port: one record per live digest, grouped by UTC month so that a month's issues
 * are ONE Query. Writes are ordered by the S3 sequencer of the digest key, like the story store's, so
 * an older event never overwrites a newer one's record. Withdrawal leaves a tombstone (`live: false`)
 * rather than deleting, because ingest may only Get, BatchGet, Query and Put.
 */
export interface IssueRegistry {
  /** Records (or replaces) the issue of digest `change.key`; a record under an older date is withdrawn. */
  recordIssue(change: DigestChange, digest: IssueDigest): Promise<void>;
  /** The digest was deleted: its issue record is withdrawn. */
  withdrawIssue(change: DigestChange): Promise<void>;
  /** The live issues of one UTC month ('yyyy-mm'), oldest first (by publishedAt, then digest key). */
  issuesOfMonth(month: string): Promise<IssueRecord[]>;
}

/** Partition and sort key of a digest's issue record: `ISSUES#<yyyy-mm>`, `<publishedAt>#<digestKey>`. */
function issueKey(digestKey: string, publishedAt: string): ItemKey {
  return { pk: `${ISSUES_PREFIX}${monthOfInstant(publishedAt)}`, sk: `${publishedAt}#${digestKey}` };
}

/** The pointer from a digest to its current issue record (so that a delete can find it). */
function pointerKey(digestKey: string): ItemKey {
  return { pk: `${KEY_PREFIX.digest}${digestKey}`, sk: SORT_KEY.issue };
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T/;

function monthOfInstant(publishedAt: string): string {
  if (!INSTANT.test(publishedAt)) throw new Error(`issue time '${publishedAt}' is not an ISO 8601 instant`);
  return publishedAt.slice(0, 7);
}

/** Thrown when an item keeps changing under a compare-and-set; the event is failed so that Lambda retries it. */
class ConcurrentIssueUpdateError extends Error {
  override readonly name = 'ConcurrentIssueUpdateError';
}

/** The issue registry over any `ItemTable` (DynamoDB in Lambda and the local stack, memory in unit tests). */
export class TableIssueRegistry implements IssueRegistry {
  readonly #table: ItemTable;
  readonly #maxAttempts: number;

  constructor(table: ItemTable, options: { readonly maxAttempts?: number } = {}) {
    this.#table = table;
    this.#maxAttempts = options.maxAttempts ?? 8;
  }

  async recordIssue(change: DigestChange, digest: IssueDigest): Promise<void> {
    const key = issueKey(change.key, digest.publishedAt);
    const pointer = await this.#table.get(pointerKey(change.key));
    if (pointer !== undefined && compareSequencers(String(pointer.sequencer), change.sequencer) > 0) return;
    await this.#putUnlessNewer({
      ...key,
      kind: 'issue',
      live: true,
      sequencer: change.sequencer,
      digestKey: change.key,
      title: digest.title,
      summary: digest.summary,
      date: digest.date,
      publishedAt: digest.publishedAt,
      storyIds: digest.stories.map((story) => story.storyId),
    });
    const previous = recordKeyOf(pointer);
    if (previous !== undefined && (previous.pk !== key.pk || previous.sk !== key.sk)) {
      await this.#tombstone(previous, change);
    }
    await this.#putUnlessNewer({
      ...pointerKey(change.key),
      kind: 'issue-pointer',
      sequencer: change.sequencer,
      issuePk: key.pk,
      issueSk: key.sk,
    });
  }

  async withdrawIssue(change: DigestChange): Promise<void> {
    const pointer = await this.#table.get(pointerKey(change.key));
    if (pointer === undefined || compareSequencers(String(pointer.sequencer), change.sequencer) > 0) return;
    const previous = recordKeyOf(pointer);
    if (previous !== undefined) await this.#tombstone(previous, change);
    await this.#putUnlessNewer({
      ...pointerKey(change.key),
      kind: 'issue-pointer',
      sequencer: change.sequencer,
    });
  }

  async issuesOfMonth(month: string): Promise<IssueRecord[]> {
    if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`'${month}' is not a month (yyyy-mm)`);
    const items = await this.#table.queryPartition(`${ISSUES_PREFIX}${month}`);
    return items.filter((item) => item.kind === 'issue' && item.live === true).map(toIssueRecord);
  }

  async #tombstone(key: ItemKey, change: DigestChange): Promise<void> {
    await this.#putUnlessNewer({ ...key, kind: 'issue', live: false, sequencer: change.sequencer });
  }

  /** A compare-and-set put that gives way to an item a newer event of the same digest wrote. */
  async #putUnlessNewer(item: Item & { readonly sequencer: string }): Promise<void> {
    for (let attempt = 0; attempt < this.#maxAttempts; attempt += 1) {
      const current = await this.#table.get(item);
      if (current !== undefined && compareSequencers(String(current.sequencer), item.sequencer) > 0) return;
      const version = typeof current?.version === 'number' ? current.version : undefined;
      const next: Item = { ...item, version: (version ?? 0) + 1 };
      if (await this.#table.putIfVersion(next, version)) return;
    }
    throw new ConcurrentIssueUpdateError(
      `issue item ${item.pk}/${item.sk} kept changing under ${this.#maxAttempts} attempts to write it; ` +
        'the event is failed so that it is retried',
    );
  }
}

function recordKeyOf(pointer: Item | undefined): ItemKey | undefined {
  return typeof pointer?.issuePk === 'string' && typeof pointer.issueSk === 'string'
    ? { pk: pointer.issuePk, sk: pointer.issueSk }
    : undefined;
}

function toIssueRecord(item: Item): IssueRecord {
  return {
    digestKey: String(item.digestKey),
    title: String(item.title),
    summary: String(item.summary),
    date: String(item.date),
    publishedAt: String(item.publishedAt),
    storyIds: Array.isArray(item.storyIds) ? item.storyIds.map(String) : [],
  };
}

/** The issue registry on a DynamoDB table laid out as `@feedwright/storage/schema` says. */
export function createDynamoIssueRegistry(options: {
  readonly tableName: string;
  /** @default new DynamoDBClient({}) */
  readonly client?: DynamoDBClient;
}): TableIssueRegistry {
  return new TableIssueRegistry(
    new DynamoItemTable({ tableName: options.tableName, client: options.client }),
  );
}
