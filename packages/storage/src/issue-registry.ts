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
    const stale = await this.#claimPointer(change, key);
    // A newer event of this digest holds the pointer: it owns the issue; undo any record this event wrote.
    if (stale === null) return this.#tombstone(key, change);
    await this.#putUnlessNewer(() => ({
      ...key,
      kind: 'issue',
      live: true,
      sequencer: change.sequencer,
      digestKey: change.key,
      ...eventAtOf(change),
      title: digest.title,
      summary: digest.summary,
      date: digest.date,
      publishedAt: digest.publishedAt,
      storyIds: digest.stories.map((story) => story.storyId),
    }));
    await this.#settle(change, stale);
  }

  async withdrawIssue(change: DigestChange): Promise<void> {
    const stale = await this.#claimPointer(change, undefined);
    if (stale !== null) await this.#settle(change, stale);
  }

  async issuesOfMonth(month: string): Promise<IssueRecord[]> {
    if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`'${month}' is not a month (yyyy-mm)`);
    const items = await this.#table.queryPartition(`${ISSUES_PREFIX}${month}`);
    return items.filter((item) => item.kind === 'issue' && item.live === true).map(toIssueRecord);
  }

  /**
   * Points the digest at `key` (none: withdrawn) unless a newer event already did. Resolves the records
   * to withdraw (the old one, and any an interrupted earlier event left listed), or `null` when a newer
   * event holds the pointer. The pointer is the claim: two events of one digest racing each see the
   * other's key at their compare-and-set, so no record is left orphaned live.
   */
  async #claimPointer(change: DigestChange, key: ItemKey | undefined): Promise<ItemKey[] | null> {
    let stale: ItemKey[] = [];
    const written = await this.#putUnlessNewer((current) => {
      const old = recordKeyOf(current);
      stale = [...staleKeysOf(current), ...(old === undefined ? [] : [old])].filter(
        (entry, index, all) =>
          !sameKey(entry, key) && all.findIndex((other) => sameKey(other, entry)) === index,
      );
      return {
        ...pointerKey(change.key),
        kind: 'issue-pointer',
        sequencer: change.sequencer,
        ...(key === undefined ? {} : { issuePk: key.pk, issueSk: key.sk }),
        stale,
      };
    });
    return written ? stale : null;
  }

  /** Withdraws the stale records, then clears them from the pointer (unless a newer event took it). */
  async #settle(change: DigestChange, stale: readonly ItemKey[]): Promise<void> {
    if (stale.length === 0) return;
    for (const key of stale) await this.#tombstone(key, change);
    await this.#putUnlessNewer(
      (current) => ({
        ...(current ?? pointerKey(change.key)),
        kind: 'issue-pointer',
        sequencer: change.sequencer,
        stale: [],
      }),
      pointerKey(change.key),
    );
  }

  async #tombstone(key: ItemKey, change: DigestChange): Promise<void> {
    await this.#putUnlessNewer(() => ({
      ...key,
      kind: 'issue',
      live: false,
      sequencer: change.sequencer,
      digestKey: change.key,
      ...eventAtOf(change),
    }));
  }

  /**
   * A compare-and-set put of `make(current)` that gives way to an item a newer event of the same digest
   * wrote; resolves whether it wrote. `at` is the item's key when `make` needs the current item to know it.
   */
  async #putUnlessNewer(
    make: (current: Item | undefined) => Item & { readonly sequencer: string },
    at?: ItemKey,
  ): Promise<boolean> {
    const target = at ?? make(undefined);
    const sequencer = make(undefined).sequencer;
    for (let attempt = 0; attempt < this.#maxAttempts; attempt += 1) {
      const current = await this.#table.get({ pk: target.pk, sk: target.sk });
      if (current !== undefined && compareSequencers(String(current.sequencer), sequencer) > 0) return false;
      const made = make(current);
      // The same content (a duplicate delivery, the same file uploaded again): no write, no stream record.
      if (current !== undefined && sameContent(current, made)) return true;
      const version = typeof current?.version === 'number' ? current.version : undefined;
      const next: Item = { ...made, version: (version ?? 0) + 1 };
      if (await this.#table.putIfVersion(next, version)) return true;
    }
    throw new ConcurrentIssueUpdateError(
      `issue item ${target.pk}/${target.sk} kept changing under ${this.#maxAttempts} attempts to write it; ` +
        'the event is failed so that it is retried',
    );
  }
}

/**
 * The time of the S3 event that wrote an issue record: render reads it from the stream's new image to
 * measure how long the digest took to go live, so it must travel on the record itself.
 */
function eventAtOf(change: DigestChange): { eventAt?: string } {
  return change.at === undefined ? {} : { eventAt: change.at };
}

/** Whether two items hold the same content, their `sequencer` and `version` aside. */
function sameContent(a: Item, b: Item): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([name]) => name !== 'sequencer' && name !== 'version')
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([name, inner]) => [name, canonical(inner)]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

const sameKey = (a: ItemKey, b: ItemKey | undefined): boolean => a.pk === b?.pk && a.sk === b.sk;

function staleKeysOf(pointer: Item | undefined): ItemKey[] {
  const list = pointer?.stale;
  return Array.isArray(list)
    ? list.flatMap((entry: unknown) => {
        const { pk, sk } = (entry ?? {}) as Partial<ItemKey>;
        return typeof pk === 'string' && typeof sk === 'string' ? [{ pk, sk }] : [];
      })
    : [];
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
