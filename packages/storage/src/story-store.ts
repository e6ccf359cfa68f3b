import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ALL_TOPICS_SLUG, type Story } from '@feedwright/digest';
import { DynamoItemTable } from './dynamo-item-table.ts';
import type { ItemTable } from './item-table.ts';
import {
  digestContentHash,
  type HeldStory,
  type Item,
  indexPartition,
  isLive,
  type ManifestCounts,
  type ManifestItem,
  manifestKey,
  type RedirectItem,
  type RenamedStory,
  redirectKey,
  type StoryItem,
  storyKey,
  type TopicItem,
  toManifestItem,
  topicKey,
  toRedirectItem,
  toStoryItem,
  toTopicItem,
} from './items.ts';
import { mapLimit } from './map-limit.ts';
import type { RedirectStore } from './redirects.ts';
import {
  type ClaimDecision,
  claimManifest,
  decideClaim,
  decideStoryWithdraw,
  decideStoryWrite,
  isUnchangedReupload,
  planUpload,
  type StoryChange,
  type StoryDecision,
  type UploadPlan,
} from './rules.ts';
import { REDIRECTS_PARTITION, TOPICS_PARTITION } from './schema.ts';
import { compareSequencers, nextSequencer } from './sequencer.ts';

/**
 * How many stories an upload changed: `total` in the upload (0 for a delete), `withdrawn` = left the
 * feeds because this digest no longer has them.
 */
export type StoryCounts = ManifestCounts;

/** What became of one upload event. */
export type ApplyOutcome =
  /** The upload's stories are now the digest's stories. */
  | 'applied'
  /** The same event was applied before: nothing changed. */
  | 'duplicate'
  /** A newer upload of the same key was applied first: this older one changed nothing. */
  | 'older'
  /** A newer upload of the same key claimed the digest while this one was being applied; it finishes the job. */
  | 'superseded';

export interface ApplyResult {
  readonly outcome: ApplyOutcome;
  readonly counts: StoryCounts;
  /**
   * For a `duplicate`: whether the first delivery settled the digest (see {@link StoryStore.settleDigest}),
   * i.e. wrote what follows the commit. When not, the duplicate writes it.
   */
  readonly settled?: boolean;
  /** Stories of the upload whose text another digest gives (see `planUpload`); absent when none. */
  readonly held?: readonly HeldStory[];
  /** Stories of the previous version replaced under a corrected headline; absent when none. */
  readonly renamed?: readonly RenamedStory[];
}

/** One upload (or delete) of a digest object. */
export interface DigestChange {
  /** The object key, decoded (`digests/cx daily.txt`). */
  readonly key: string;
  /** The S3 event's sequencer: orders the events of this key. */
  readonly sequencer: string;
  /** When the upload happened (the S3 event's time, ISO 8601): a story it corrects is updated then. */
  readonly at?: string;
  /** The ETag of the object version applied, recorded on the manifest for reconcile. */
  readonly eTag?: string;
}

/** A live story as readers see it, and the digests that hold it. */
export interface LiveStory {
  readonly story: Story;
  readonly holders: readonly string[];
}

/** A registered topic: one that has had a story. */
export interface TopicRecord {
  readonly slug: string;
  readonly name: string;
}

/**
 * The story store port: the digest-level rules (replace, withdraw, ignore duplicates and older events)
 * over a table. Implemented once, over the `ItemTable` port, by {@link TableStoryStore}.
 */
export interface StoryStore {
  /** Make `stories` the stories of digest `change.key`: add new, update changed, withdraw missing. */
  applyDigest(change: DigestChange, stories: readonly Story[]): Promise<ApplyResult>;
  /** The digest object was deleted: withdraw its stories (those no other digest has). */
  withdrawDigest(change: DigestChange): Promise<ApplyResult>;
  /**
   * Marks the applied event `change` as finished: its issue record and report are written too. The
   * manifest's last write; a no-op when a newer event holds the digest or it is settled already.
   */
  settleDigest(change: DigestChange): Promise<void>;
  /**
   * Where an event stands against what the store applied for its key, without changing anything: a
   * rejected upload uses it so that an older event never overwrites a newer upload's report.
   */
  orderOf(change: DigestChange): Promise<ClaimDecision['kind']>;
  /** The newest live stories of a topic slug, or of every topic for `'all'`: ONE index Query. */
  newestStories(topicSlug: string, limit: number): Promise<Story[]>;
  /** Every topic that has had a story, by slug: ONE Query of the registry partition. */
  listTopics(): Promise<TopicRecord[]>;
  /** A live story, or `undefined` when it was never written or has been withdrawn. */
  getStory(storyId: string): Promise<Story | undefined>;
  /** Live stories by id (strongly consistent); withdrawn and unknown ids are absent from the map. */
  getStories(storyIds: readonly string[]): Promise<Map<string, Story>>;
  /**
   * The story ids the digest's last claimed upload holds (strongly consistent); empty when the digest was
   * never ingested or has been deleted. What a dry run compares a new version against.
   */
  digestStoryIds(digestKey: string): Promise<readonly string[]>;
  /**
   * What uploading `stories` as digest `digestKey` would do now, by the same plan ingest applies
   * (`planUpload`): reads only, strongly consistent. What `feedwright publish --dry-run` prints.
   */
  planUpload(digestKey: string, stories: readonly Story[]): Promise<UploadPlan>;
}

/** Options of {@link TableStoryStore}. */
/**
 * What the archive reads of the stories, month by month: a port of its own, so the story store's other
 * users (and their fakes) need not know it.
 */
export interface StoryArchiveReader {
  /**
   * Every live story of a topic (or `all`) in one UTC month ('yyyy-mm'), newest first: ONE ranged Query
   * of the index (all its pages), never a Scan, so its cost is the month's, not the archive's.
   */
  storiesOfMonth(topicSlug: string, month: string): Promise<Story[]>;
  /** The nearest months before and after `month` with a live story of the topic: two one-item Queries. */
  adjacentMonths(topicSlug: string, month: string): Promise<{ older: string | null; newer: string | null }>;
}

export interface TableStoryStoreOptions {
  /** Parallel story writes per upload. @default 8 */
  readonly concurrency?: number;
  /** Attempts at a compare-and-set before giving up (another writer keeps winning). @default 8 */
  readonly maxAttempts?: number;
}

/** Thrown when an item keeps changing under a compare-and-set; the event is failed so that Lambda retries it. */
class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

/** The counts of a digest with no story touched (a rejected, skipped or empty digest). */
export const NO_STORY_COUNTS: StoryCounts = { total: 0, added: 0, updated: 0, withdrawn: 0, unchanged: 0 };

/**
 * The story store over any `ItemTable`.
 *
 * An upload first CLAIMS its digest: a compare-and-set on the manifest that records its sequencer, its
 * story ids and the ids it must withdraw. Then it writes each story (a compare-and-set per item, stamped
 * with the digest key and sequencer), withdraws the stale ones, and COMMITS the manifest. A crash
 * anywhere leaves a `pending` claim that the retry of the same event resumes; an older event is refused
 * at the claim; a newer upload that claims over an unfinished one withdraws what that one may have
 * written, and the per-story stamps stop the slower writer from undoing it. Once the caller has written
 * what follows (the issue record, the report), it SETTLES the manifest: an applied manifest that is not
 * settled is an upload a crash stopped after its commit, which reconcile finishes.
 */
export class TableStoryStore implements StoryStore, StoryArchiveReader, RedirectStore {
  readonly #table: ItemTable;
  readonly #concurrency: number;
  readonly #maxAttempts: number;

  constructor(table: ItemTable, options: TableStoryStoreOptions = {}) {
    this.#table = table;
    this.#concurrency = options.concurrency ?? 8;
    this.#maxAttempts = options.maxAttempts ?? 8;
  }

  applyDigest(change: DigestChange, stories: readonly Story[]): Promise<ApplyResult> {
    return this.#apply(change, stories);
  }

  withdrawDigest(change: DigestChange): Promise<ApplyResult> {
    return this.#apply(change, null);
  }

  async settleDigest(change: DigestChange): Promise<void> {
    for (let attempt = 0; attempt < this.#maxAttempts; attempt += 1) {
      const raw = await this.#table.get(manifestKey(change.key));
      const manifest = raw === undefined ? undefined : toManifestItem(raw);
      if (
        manifest === undefined ||
        manifest.state !== 'applied' ||
        manifest.settled === true ||
        compareSequencers(manifest.sequencer, change.sequencer) !== 0
      ) {
        return;
      }
      const settled: ManifestItem = { ...manifest, settled: true, version: manifest.version + 1 };
      if (await this.#table.putIfVersion(settled, manifest.version)) return;
    }
    throw new ConcurrentUpdateError(
      `the manifest of ${change.key} kept changing under ${this.#maxAttempts} attempts to settle it; ` +
        'the event is failed so that it is retried',
    );
  }

  async orderOf(change: DigestChange): Promise<ClaimDecision['kind']> {
    const raw = await this.#table.get(manifestKey(change.key));
    return decideClaim(raw === undefined ? undefined : toManifestItem(raw), change.sequencer).kind;
  }

  async newestStories(topicSlug: string, limit: number): Promise<Story[]> {
    if (limit <= 0) return [];
    const { indexName, value } = indexPartition(topicSlug);
    const items = await this.#table.queryIndex(indexName, value, limit);
    return items.map(toStoryItem).flatMap((item) => (isLive(item) && item.story ? [shownStory(item)] : []));
  }

  async storiesOfMonth(topicSlug: string, month: string): Promise<Story[]> {
    const { indexName, value } = indexPartition(topicSlug);
    const items = await this.#table.queryIndexRange(indexName, value, monthRange(month));
    return items.map(toStoryItem).flatMap((item) => (isLive(item) && item.story ? [item.story] : []));
  }

  async adjacentMonths(
    topicSlug: string,
    month: string,
  ): Promise<{ older: string | null; newer: string | null }> {
    const { indexName, value } = indexPartition(topicSlug);
    const { from, to } = monthRange(month);
    const [before, after] = await Promise.all([
      this.#table.queryIndexRange(indexName, value, { to: from, limit: 1 }),
      this.#table.queryIndexRange(indexName, value, { from: to, limit: 1, oldestFirst: true }),
    ]);
    const monthOf = (items: readonly Item[]): string | null => {
      const story = items.map(toStoryItem)[0]?.story;
      return story === undefined ? null : story.publishedAt.slice(0, 7);
    };
    return { older: monthOf(before), newer: monthOf(after) };
  }

  async listTopics(): Promise<TopicRecord[]> {
    const items = await this.#table.queryPartition(TOPICS_PARTITION);
    return items.map(toTopicItem).map(({ slug, name }) => ({ slug, name }));
  }

  async recordRedirects(renamed: readonly RenamedStory[]): Promise<void> {
    if (renamed.length === 0) return;
    const wanted = new Map(renamed.map(({ from, to }) => [from.storyId, to.storyId]));
    const stored = await this.redirects();
    // A later rename of the same old id wins; one already recorded is left alone (a retry, a duplicate).
    const missing = [...wanted].filter(([from, to]) => stored.get(from) !== to);
    await mapLimit(missing, this.#concurrency, async ([from, to]) => {
      const item: RedirectItem = { ...redirectKey(from), kind: 'redirect', from, to };
      await this.#table.put(item);
    });
  }

  async redirects(): Promise<Map<string, string>> {
    const items = await this.#table.queryPartition(REDIRECTS_PARTITION);
    return new Map(items.map(toRedirectItem).map(({ from, to }) => [from, to]));
  }

  async getStory(storyId: string): Promise<Story | undefined> {
    return (await this.getStories([storyId])).get(storyId);
  }

  async digestStoryIds(digestKey: string): Promise<readonly string[]> {
    const raw = await this.#table.get(manifestKey(digestKey));
    const manifest = raw === undefined ? undefined : toManifestItem(raw);
    return manifest === undefined || manifest.deleted ? [] : manifest.storyIds;
  }

  async getStories(storyIds: readonly string[]): Promise<Map<string, Story>> {
    const items = await this.#table.getMany(storyIds.map(storyKey));
    const live = new Map<string, Story>();
    for (const item of items.map(toStoryItem)) {
      if (isLive(item) && item.story !== undefined) live.set(item.storyId, shownStory(item));
    }
    return live;
  }

  /** The manifests of these digest keys (strongly consistent); keys never uploaded are absent. */
  async manifests(keys: readonly string[]): Promise<Map<string, ManifestItem>> {
    const items = await this.#table.getMany(keys.map(manifestKey));
    return new Map(items.map(toManifestItem).map((item) => [item.digestKey, item]));
  }

  /**
   * Every live story with its holders: the whole `all` index, read page by page. Reconcile's read,
   * never render's (render reads the newest N only).
   */
  async liveStories(): Promise<LiveStory[]> {
    const { indexName, value } = indexPartition(ALL_TOPICS_SLUG);
    const items = await this.#table.queryIndex(indexName, value, Number.MAX_SAFE_INTEGER);
    return items
      .map(toStoryItem)
      .filter((item) => isLive(item) && item.story !== undefined)
      .map((item) => ({
        story: shownStory(item),
        holders: Object.entries(item.owners)
          .filter(([, stamp]) => stamp.live)
          .map(([key]) => key),
      }));
  }

  async #apply(change: DigestChange, stories: readonly Story[] | null): Promise<ApplyResult> {
    const total = stories?.length ?? 0;
    const contentHash = stories === null ? null : digestContentHash(stories);
    const claim = await this.#claim(change, stories, contentHash);
    if (claim.kind !== 'claimed') {
      return {
        outcome: claim.outcome,
        counts: claim.manifest?.counts ?? { ...NO_STORY_COUNTS, total },
        ...(claim.settled === undefined ? {} : { settled: claim.settled }),
        ...(claim.manifest === undefined ? {} : notesOf(claim.manifest)),
      };
    }
    const { manifest, prefetched } = claim;

    if (stories !== null) await this.#registerTopics(stories);
    await mapLimit(
      [
        ...(stories ?? []).map((story) => ({ id: story.storyId, story })),
        ...manifest.staleIds.map((id) => ({ id, story: undefined })),
      ],
      this.#concurrency,
      ({ id, story }) =>
        this.#casStory(id, prefetched.get(id), (current) =>
          story === undefined
            ? decideStoryWithdraw(current, change.key, change.sequencer, id, change.at)
            : decideStoryWrite(current, change.key, change.sequencer, story, change.at),
        ),
    );

    const committed = await this.#commit(manifest);
    return {
      outcome: committed ? 'applied' : 'superseded',
      counts: manifest.counts ?? { ...NO_STORY_COUNTS, total },
      ...notesOf(manifest),
    };
  }

  async #claim(
    change: DigestChange,
    stories: readonly Story[] | null,
    contentHash: string | null,
  ): Promise<
    | { kind: 'claimed'; manifest: ManifestItem; prefetched: Map<string, StoryItem> }
    | { kind: 'done'; outcome: ApplyOutcome; manifest?: ManifestItem; settled?: boolean }
  > {
    for (let attempt = 0; attempt < this.#maxAttempts; attempt += 1) {
      const raw = await this.#table.get(manifestKey(change.key));
      const previous = raw === undefined ? undefined : toManifestItem(raw);
      const decision: ClaimDecision = decideClaim(previous, change.sequencer);
      if (decision.kind === 'duplicate') {
        return {
          kind: 'done',
          outcome: 'duplicate',
          settled: previous?.settled === true,
          ...(previous ? { manifest: previous } : {}),
        };
      }
      if (decision.kind === 'older') return { kind: 'done', outcome: 'older' };

      if (decision.kind === 'claim' && isUnchangedReupload(previous, contentHash) && previous) {
        // Same stories as the applied version: move the sequencer on, touch no story.
        const { held: _held, renamed: _renamed, ...kept } = previous;
        const plan = planUpload({
          digestKey: change.key,
          sequencer: change.sequencer,
          stories,
          staleIds: [],
          current: await this.#storyItems(previous.storyIds),
          unchanged: true,
        });
        const moved: ManifestItem = {
          ...kept,
          ...eTagOf(change),
          sequencer: change.sequencer,
          version: previous.version + 1,
          counts: plan.counts,
          ...planNotes(plan),
          // This upload's issue record and report are still to be written.
          settled: false,
        };
        if (await this.#table.putIfVersion(moved, previous.version)) {
          return { kind: 'done', outcome: 'applied', manifest: moved };
        }
        continue;
      }

      const planned =
        decision.kind === 'resume' && previous
          ? resumeManifest(previous, stories, contentHash, change.eTag)
          : {
              ...claimManifest(previous, change.key, change.sequencer, stories, contentHash),
              ...eTagOf(change),
            };
      const prefetched = await this.#storyItems([...planned.storyIds, ...planned.staleIds]);
      if (planned === previous) return { kind: 'claimed', manifest: planned, prefetched };
      // The plan is what the upload changes relative to what it found, kept so a resumed retry reports it.
      const manifest: ManifestItem =
        planned.counts === undefined ? withPlan(planned, change, stories, prefetched, previous) : planned;
      if (await this.#table.putIfVersion(manifest, previous?.version)) {
        return { kind: 'claimed', manifest, prefetched };
      }
    }
    throw new ConcurrentUpdateError(
      `the manifest of ${change.key} kept changing under ${this.#maxAttempts} attempts to claim it; ` +
        'the event is failed so that it is retried',
    );
  }

  /** The story items of these ids (strongly consistent), by id; ids never written are absent. */
  async #storyItems(ids: readonly string[]): Promise<Map<string, StoryItem>> {
    const items = await this.#table.getMany(ids.map(storyKey));
    return new Map(items.map(toStoryItem).map((item) => [item.storyId, item]));
  }

  async planUpload(digestKey: string, stories: readonly Story[]): Promise<UploadPlan> {
    const raw = await this.#table.get(manifestKey(digestKey));
    const previous = raw === undefined ? undefined : toManifestItem(raw);
    // The next event of this key: newer than anything the manifest or the stories' stamps have seen.
    const sequencer = nextSequencer(previous?.sequencer);
    const contentHash = digestContentHash(stories);
    const unchanged = isUnchangedReupload(previous, contentHash);
    const staleIds = unchanged
      ? []
      : claimManifest(previous, digestKey, sequencer, stories, contentHash).staleIds;
    const current = await this.#storyItems([...stories.map((story) => story.storyId), ...staleIds]);
    return planUpload({ digestKey, sequencer, stories, staleIds, current, unchanged });
  }

  async #casStory(
    storyId: string,
    prefetched: StoryItem | undefined,
    decide: (current: StoryItem | undefined) => StoryDecision,
  ): Promise<StoryChange> {
    let current = prefetched;
    for (let attempt = 0; attempt < this.#maxAttempts; attempt += 1) {
      if (attempt > 0) {
        const raw = await this.#table.get(storyKey(storyId));
        current = raw === undefined ? undefined : toStoryItem(raw);
      }
      const decision = decide(current);
      if (decision.kind === 'skip') return decision.change;
      if (await this.#table.putIfVersion(decision.item, current?.version)) return decision.change;
    }
    throw new ConcurrentUpdateError(
      `story ${storyId} kept changing under ${this.#maxAttempts} attempts to write it; ` +
        'the event is failed so that it is retried',
    );
  }

  /** Finishes the claim; `false` when a newer upload claimed the digest meanwhile. */
  async #commit(manifest: ManifestItem): Promise<boolean> {
    const applied: ManifestItem = {
      ...manifest,
      state: 'applied',
      staleIds: [],
      version: manifest.version + 1,
    };
    if (await this.#table.putIfVersion(applied, manifest.version)) return true;
    // A concurrent delivery of the same event may have committed it: that is success too.
    const raw = await this.#table.get(manifestKey(manifest.digestKey));
    const now = raw === undefined ? undefined : toManifestItem(raw);
    return (
      now !== undefined &&
      compareSequencers(now.sequencer, manifest.sequencer) === 0 &&
      now.state === 'applied'
    );
  }

  /** Registers the digest's topics that the registry lacks (or knows under another name). */
  async #registerTopics(stories: readonly Story[]): Promise<void> {
    const known = new Map((await this.listTopics()).map((topic) => [topic.slug, topic.name]));
    const wanted = new Map(stories.map((story) => [story.topicSlug, story.topic]));
    const missing = [...wanted].filter(([slug, name]) => known.get(slug) !== name);
    await mapLimit(missing, this.#concurrency, async ([slug, name]) => {
      const item: TopicItem = { ...topicKey(slug), kind: 'topic', slug, name };
      await this.#table.put(item);
    });
  }
}

/** The story as readers see it: the shown text, with the time a correction last changed it. */
function shownStory(item: StoryItem): Story {
  const story = item.story as Story;
  return item.updatedAt === undefined ? story : { ...story, updatedAt: item.updatedAt };
}

/**
 * This event claimed the digest and did not finish. Normally the retry has the same stories; if it does
 * not (the object changed under the same sequencer? a different parser?), anything the claim listed
 * that the retry lacks is withdrawn too.
 */
function resumeManifest(
  previous: ManifestItem,
  stories: readonly Story[] | null,
  contentHash: string | null,
  eTag: string | undefined,
): ManifestItem {
  const ids = (stories ?? []).map((story) => story.storyId);
  const same = ids.length === previous.storyIds.length && ids.every((id, i) => previous.storyIds[i] === id);
  // The hash is of what this attempt applies, not of what the claim first read: otherwise a later upload
  // of the first content would be judged unchanged while the table holds the newer text.
  if (same && previous.contentHash === contentHash && (eTag === undefined || previous.eTag === eTag)) {
    return previous;
  }
  const keep = new Set(ids);
  const staleIds = same
    ? previous.staleIds
    : [...new Set([...previous.storyIds, ...previous.staleIds])].filter((id) => !keep.has(id));
  return {
    ...previous,
    storyIds: ids,
    staleIds,
    contentHash,
    ...(eTag === undefined ? {} : { eTag }),
    version: previous.version + 1,
  };
}

function eTagOf(change: DigestChange): { eTag?: string } {
  return change.eTag === undefined ? {} : { eTag: change.eTag };
}

/** The claim's manifest with the plan's counts and notes ({@link planUpload}: what a dry run prints too). */
function withPlan(
  manifest: ManifestItem,
  change: DigestChange,
  stories: readonly Story[] | null,
  current: ReadonlyMap<string, StoryItem>,
  previous: ManifestItem | undefined,
): ManifestItem {
  const plan = planUpload({
    digestKey: change.key,
    sequencer: change.sequencer,
    stories,
    staleIds: manifest.staleIds,
    current,
    ...(change.at === undefined ? {} : { at: change.at }),
  });
  const { held: _held, renamed: _renamed, ...rest } = manifest;
  return {
    ...rest,
    counts: plan.counts,
    ...planNotes({ ...plan, renamed: [...plan.renamed, ...unfinishedRenames(previous, plan, manifest)] }),
  };
}

/**
 * The renames an unfinished upload (a pending claim this one takes over) had found that still hold here:
 * its old story may already be withdrawn, so this claim's plan cannot see it leave, yet its old address
 * must still lead to the story this upload keeps.
 */
function unfinishedRenames(
  previous: ManifestItem | undefined,
  plan: UploadPlan,
  manifest: ManifestItem,
): RenamedStory[] {
  if (previous?.state !== 'pending' || previous.renamed === undefined) return [];
  const kept = new Set(manifest.storyIds);
  const found = new Set(plan.renamed.map((rename) => rename.from.storyId));
  return previous.renamed.filter(
    ({ from, to }) => kept.has(to.storyId) && !kept.has(from.storyId) && !found.has(from.storyId),
  );
}

/** The plan's notes as the manifest keeps them: only those there are. */
function planNotes(plan: UploadPlan): Pick<ManifestItem, 'held' | 'renamed'> {
  return {
    ...(plan.held.length > 0 ? { held: plan.held } : {}),
    ...(plan.renamed.length > 0 ? { renamed: plan.renamed } : {}),
  };
}

/** The notes a manifest kept, for the result of its upload. */
function notesOf(manifest: ManifestItem): Pick<ApplyResult, 'held' | 'renamed'> {
  return {
    ...(manifest.held === undefined ? {} : { held: manifest.held }),
    ...(manifest.renamed === undefined ? {} : { renamed: manifest.renamed }),
  };
}

/** Options of {@link createDynamoStoryStore}. */
export interface DynamoStoryStoreOptions extends TableStoryStoreOptions {
  readonly tableName: string;
  /** @default new DynamoDBClient({}) */
  readonly client?: DynamoDBClient;
}

/** The story store on a DynamoDB table laid out as `@feedwright/storage/schema` says. */
export function createDynamoStoryStore(options: DynamoStoryStoreOptions): TableStoryStore {
  return new TableStoryStore(
    new DynamoItemTable({ tableName: options.tableName, client: options.client }),
    options,
  );
}

const MONTH = /^(\d{4})-(\d{2})$/;

/**
 * The index sort keys of one UTC month: `feedSk` starts with the story's publishedAt, which the parser
 * writes in UTC ('2020-12-01T09:19:00Z'), so a month is the keys from '2020-12-' up to '2021-01-'.
 */
export function monthRange(month: string): { from: string; to: string } {
  const match = MONTH.exec(month);
  if (match === null) throw new Error(`'${month}' is not a month (yyyy-mm)`);
  const year = Number(match[1]);
  const number = Number(match[2]);
  const next =
    number === 12
      ? `${String(year + 1).padStart(4, '0')}-01`
      : `${match[1]}-${String(number + 1).padStart(2, '0')}`;
  return { from: `${month}-`, to: `${next}-` };
}
