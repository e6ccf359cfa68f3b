import { createHash } from 'node:crypto';
import { ALL_TOPICS_SLUG, type Story } from '@feedwright/digest';
import {
  ALL_PARTITION,
  KEY_PREFIX,
  REDIRECTS_PARTITION,
  SORT_KEY,
  TABLE_INDEXES,
  TOPICS_PARTITION,
} from './schema.ts';

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** A raw item as the table holds it (DynamoDB document form). */
export type Item = ItemKey & Readonly<Record<string, unknown>>;

/** One digest's claim on a story: the S3 sequencer of the upload that last touched it, and whether it still has it. */
export interface OwnerStamp {
  readonly seq: string;
  readonly live: boolean;
  /** The holding digest's date-line instant: ranks the holders (see `compareHolders`). */
  readonly at?: string;
}

/**
 * A story item. `owners` maps digest keys to stamps; the story is live while any owner is live, and only a
 * live story carries the sparse GSI keys. A story no digest holds stays as a tombstone (content and stamps,
 * no GSI keys) so that a late, older write can be recognised as stale instead of resurrecting it.
 */
export interface StoryItem extends ItemKey {
  readonly kind: 'story';
  readonly storyId: string;
  readonly owners: Readonly<Record<string, OwnerStamp>>;
  readonly version: number;
  /** Absent only on a tombstone written for a story this table never held (a lost race, see withdraw). */
  readonly story?: Story;
  readonly contentHash?: string;
  /** The digest key whose text is shown: the live holder `compareHolders` puts first. */
  readonly writtenBy?: string;
  /**
   * The texts of the other live holders, where they differ from `story`: when the shown holder lets go,
   * the next one's text is here. Absent when every holder has the same text.
   */
  readonly copies?: Readonly<Record<string, Story>>;
  /** When an upload last changed the text of the live story (ISO 8601); absent when it never changed. */
  readonly updatedAt?: string;
  readonly topicPk?: string;
  readonly allPk?: string;
  readonly feedSk?: string;
}

export type ManifestState = 'pending' | 'applied';

/**
 * A digest's manifest: which stories the last claimed upload has, and its S3 sequencer. `pending` means an
 * upload claimed the digest and may not have finished; `staleIds` are the stories it must withdraw.
 */
export interface ManifestItem extends ItemKey {
  readonly kind: 'digest';
  readonly digestKey: string;
  readonly sequencer: string;
  readonly state: ManifestState;
  readonly storyIds: readonly string[];
  readonly staleIds: readonly string[];
  /** Hash over the digest's parsed stories; `null` once the object was deleted. */
  readonly contentHash: string | null;
  readonly deleted: boolean;
  readonly version: number;
  /** What the claim found it would change, so a retry after a crash reports the whole upload's effect. */
  readonly counts?: ManifestCounts;
  /** The ETag (unquoted) of the object version applied: reconcile compares it with a bucket listing. */
  readonly eTag?: string;
  /**
   * Set once what follows the commit is written too (the issue record, the report): the manifest's last
   * write. An applied manifest without it is an upload a crash stopped after its commit; the retry of
   * its event, or reconcile, finishes it.
   */
  readonly settled?: boolean;
  /** Stories of the upload whose text another holder gives (found at the claim, reported with the counts). */
  readonly held?: readonly HeldStory[];
  /** Stories of the previous version the upload replaces under a corrected headline. */
  readonly renamed?: readonly RenamedStory[];
}

/** Why another holder's text is shown: its date line is newer, or it is the same and its name sorts first. */
export type ShownBecause = 'newer-date' | 'name-first';

/** A story of an upload whose text will not show, because another digest holding it ranks first. */
export interface HeldStory {
  readonly storyId: string;
  /** The headline in this upload. */
  readonly title: string;
  /** The digest key whose text readers see. */
  readonly shownFrom: string;
  readonly because: ShownBecause;
}

/** A story of the previous version that the upload replaces by one under a new headline (a new id). */
export interface RenamedStory {
  readonly from: { readonly storyId: string; readonly title: string };
  readonly to: { readonly storyId: string; readonly title: string };
}

/** Story counts kept on the manifest (the same shape a report shows). */
export interface ManifestCounts {
  readonly total: number;
  readonly added: number;
  readonly updated: number;
  readonly withdrawn: number;
  readonly unchanged: number;
}

/** A topic registry entry: written when a story of the topic is written, never by render. */
export interface TopicItem extends ItemKey {
  readonly kind: 'topic';
  readonly slug: string;
  readonly name: string;
}

/**
 * A redirect record: the story once called `from` was replaced by `to` under a corrected headline. Written
 * by ingest from an upload's `renamed` stories; the old address leads to the story `to` is, or that `to`
 * was itself renamed to (see `resolveRedirect`).
 */
export interface RedirectItem extends ItemKey {
  readonly kind: 'redirect';
  readonly from: string;
  readonly to: string;
}

export function redirectKey(from: string): ItemKey {
  return { pk: REDIRECTS_PARTITION, sk: from };
}

export function storyKey(storyId: string): ItemKey {
  return { pk: `${KEY_PREFIX.story}${storyId}`, sk: SORT_KEY.story };
}

export function manifestKey(digestKey: string): ItemKey {
  return { pk: `${KEY_PREFIX.digest}${digestKey}`, sk: SORT_KEY.manifest };
}

export function topicKey(slug: string): ItemKey {
  return { pk: TOPICS_PARTITION, sk: slug };
}

/** The index partition that holds a topic's live stories (`all` → the all-stories index). */
export function indexPartition(topicSlug: string): { indexName: string; value: string } {
  return topicSlug === ALL_TOPICS_SLUG
    ? { indexName: TABLE_INDEXES.all.indexName, value: ALL_PARTITION }
    : { indexName: TABLE_INDEXES.byTopic.indexName, value: `${KEY_PREFIX.topicIndex}${topicSlug}` };
}

/** Sort key shared by both indexes: newest first when read backwards; storyId breaks ties. */
export function feedSortKey(story: Pick<Story, 'publishedAt' | 'storyId'>): string {
  return `${story.publishedAt}#${story.storyId}`;
}

/** A stable hash of everything a reader sees of a story, so a re-upload can tell "edited" from "same". */
export function storyContentHash(story: Story): string {
  return sha256(JSON.stringify(canonicalStory(story)));
}

/** The story's fields in a fixed order (extra fields a newer parser adds are kept, sorted by name). */
function canonicalStory(story: Story): Story {
  const known: Story = {
    storyId: story.storyId,
    position: story.position,
    topic: story.topic,
    topicSlug: story.topicSlug,
    title: story.title,
    paragraphs: [...story.paragraphs],
    related: [...story.related],
    imageCaption: story.imageCaption ?? null,
    publishedAt: story.publishedAt,
  };
  const extras = Object.keys(story)
    .filter((name) => !(name in known))
    .sort()
    .map((name) => [name, (story as unknown as Record<string, unknown>)[name]] as const)
    .filter(([, value]) => value !== undefined);
  return Object.assign(known, Object.fromEntries(extras));
}

/** Hash over a digest's stories (ids and content), order-insensitive. */
export function digestContentHash(stories: readonly Story[]): string {
  const parts = stories.map((story) => `${story.storyId}=${storyContentHash(story)}`).sort();
  return sha256(parts.join('\n'));
}

export function isLive(item: StoryItem | undefined): boolean {
  return item !== undefined && Object.values(item.owners).some((stamp) => stamp.live);
}

/** An S3 ETag without its quotes (listings quote it, events do not). */
export function bareETag(eTag: string | undefined): string | undefined {
  return eTag?.replace(/^"|"$/g, '');
}

/** Hex MD5: what S3 gives a single-part upload as its ETag. */
export function md5(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/** The SHA-256 of `text` (UTF-8), followed by `bytes` when given. */
export function sha256(text: string, bytes?: Uint8Array): string {
  const hash = createHash('sha256').update(text, 'utf8');
  if (bytes !== undefined) hash.update(bytes);
  return hash.digest('hex');
}

/** Thrown when an item read from the table is not of the shape this code writes; a person must look at it. */
class MalformedItemError extends Error {
  override readonly name = 'MalformedItemError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a story item back from its stored form, refusing anything that is not one. */
export function toStoryItem(raw: Item): StoryItem {
  if (raw.kind !== 'story' || typeof raw.storyId !== 'string' || !isRecord(raw.owners)) {
    throw new MalformedItemError(`item ${raw.pk} is not a story item; inspect it in the table`);
  }
  if (typeof raw.version !== 'number') {
    throw new MalformedItemError(`story item ${raw.pk} has no numeric version; inspect it in the table`);
  }
  return raw as unknown as StoryItem;
}

/** Reads a digest manifest back from its stored form. */
export function toManifestItem(raw: Item): ManifestItem {
  if (raw.kind !== 'digest' || typeof raw.sequencer !== 'string' || typeof raw.version !== 'number') {
    throw new MalformedItemError(`item ${raw.pk} is not a digest manifest; inspect it in the table`);
  }
  return {
    ...(raw as unknown as ManifestItem),
    storyIds: Array.isArray(raw.storyIds) ? (raw.storyIds as string[]) : [],
    staleIds: Array.isArray(raw.staleIds) ? (raw.staleIds as string[]) : [],
  };
}

/** Reads a redirect record back from its stored form. */
export function toRedirectItem(raw: Item): RedirectItem {
  if (raw.kind !== 'redirect' || typeof raw.from !== 'string' || typeof raw.to !== 'string') {
    throw new MalformedItemError(
      `item ${raw.pk}/${raw.sk} is not a redirect record; inspect it in the table`,
    );
  }
  return raw as unknown as RedirectItem;
}

/** Reads a topic registry entry back from its stored form. */
export function toTopicItem(raw: Item): TopicItem {
  if (raw.kind !== 'topic' || typeof raw.slug !== 'string' || typeof raw.name !== 'string') {
    throw new MalformedItemError(`item ${raw.pk}/${raw.sk} is not a topic entry; inspect it in the table`);
  }
  return raw as unknown as TopicItem;
}
