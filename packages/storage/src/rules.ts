import { compareHolders, holderName, type Story } from '@feedwright/digest';
import {
  feedSortKey,
  type HeldStory,
  isLive,
  type ManifestCounts,
  type ManifestItem,
  manifestKey,
  type OwnerStamp,
  type RenamedStory,
  type ShownBecause,
  type StoryItem,
  storyContentHash,
  storyKey,
} from './items.ts';
import { ALL_PARTITION, KEY_PREFIX } from './schema.ts';
import { compareSequencers } from './sequencer.ts';

/**
 * The pure rules of the story store: given what the table holds and what an upload says, what to write.
 * Both the DynamoDB adapter and the in-memory fake run these, so unit tests prove the same rules the
 * service runs.
 */

/** What an upload event may do with a digest's manifest. */
export type ClaimDecision =
  /** No upload of this key is newer: claim the digest for this sequencer. */
  | { readonly kind: 'claim' }
  /** This very event claimed the digest before and did not finish (a crash, a retry): finish it. */
  | { readonly kind: 'resume' }
  /** This event was applied already: a duplicate delivery, nothing to do. */
  | { readonly kind: 'duplicate' }
  /** A newer upload of this key was seen: applying this one would overwrite it. */
  | { readonly kind: 'older'; readonly current: string };

export function decideClaim(manifest: ManifestItem | undefined, sequencer: string): ClaimDecision {
  if (manifest === undefined) return { kind: 'claim' };
  const order = compareSequencers(sequencer, manifest.sequencer);
  if (order > 0) return { kind: 'claim' };
  if (order < 0) return { kind: 'older', current: manifest.sequencer };
  return manifest.state === 'pending' ? { kind: 'resume' } : { kind: 'duplicate' };
}

/**
 * The manifest an upload claims with. The stories to withdraw are those the previous claim had (and,
 * when that claim never finished, those IT was going to withdraw) that this upload no longer has: so a
 * newer upload cleans up after an older one that crashed or lost the race.
 */
export function claimManifest(
  previous: ManifestItem | undefined,
  digestKey: string,
  sequencer: string,
  stories: readonly Story[] | null,
  contentHash: string | null,
): ManifestItem {
  const storyIds = (stories ?? []).map((story) => story.storyId);
  const keep = new Set(storyIds);
  const before = [...(previous?.storyIds ?? []), ...(previous?.staleIds ?? [])];
  const staleIds = [...new Set(before)].filter((id) => !keep.has(id));
  return {
    ...manifestKey(digestKey),
    kind: 'digest',
    digestKey,
    sequencer,
    state: 'pending',
    storyIds,
    staleIds,
    contentHash,
    deleted: stories === null,
    version: (previous?.version ?? 0) + 1,
  };
}

/**
 * A re-upload whose parsed stories hash the same as the applied version changes no story: only the
 * manifest's sequencer moves on, so an older event arriving later is still recognised as older.
 */
export function isUnchangedReupload(previous: ManifestItem | undefined, contentHash: string | null): boolean {
  return (
    previous !== undefined &&
    previous.state === 'applied' &&
    !previous.deleted &&
    contentHash !== null &&
    previous.contentHash === contentHash
  );
}

/**
 * How a story item changes: `kept` = this digest let go of it but another digest still has it; `absent` =
 * there was nothing live to withdraw; `stale` = a newer upload of the same digest already wrote it.
 */
export type StoryChange = 'added' | 'updated' | 'unchanged' | 'withdrawn' | 'kept' | 'absent' | 'stale';

export type StoryDecision =
  | { readonly kind: 'skip'; readonly change: StoryChange }
  | { readonly kind: 'write'; readonly item: StoryItem; readonly change: StoryChange };

/** True when `owner` has seen a newer upload of its digest than `sequencer`. */
function newerThan(owner: OwnerStamp | undefined, sequencer: string): boolean {
  return owner !== undefined && compareSequencers(sequencer, owner.seq) < 0;
}

function withIndexKeys(base: StoryItem, story: Story | undefined, live: boolean): StoryItem {
  const { topicPk: _topicPk, allPk: _allPk, feedSk: _feedSk, ...rest } = base;
  if (!live || story === undefined) return rest;
  return {
    ...rest,
    topicPk: `${KEY_PREFIX.topicIndex}${story.topicSlug}`,
    allPk: ALL_PARTITION,
    feedSk: feedSortKey(story),
  };
}

/** The instant of the digest's date line: the parser dates a story `position` seconds before it. */
function digestInstantOf(story: Pick<Story, 'publishedAt' | 'position'>): string {
  const at = Date.parse(story.publishedAt);
  return Number.isNaN(at) ? story.publishedAt : new Date(at + story.position * 1000).toISOString();
}

/** The text each live holder of the story has: its copy, or the shown text when it has no copy. */
function liveTexts(current: StoryItem | undefined): Map<string, Story> {
  const texts = new Map<string, Story>();
  if (current?.story === undefined) return texts;
  for (const [key, stamp] of Object.entries(current.owners)) {
    if (stamp.live) texts.set(key, current.copies?.[key] ?? current.story);
  }
  return texts;
}

/** The live holder whose text is shown, by the rule `build` shares (`compareHolders`). */
function shownHolder(
  owners: Readonly<Record<string, OwnerStamp>>,
  texts: ReadonlyMap<string, Story>,
): string | undefined {
  const holders = [...texts.keys()].map((key) => {
    const text = texts.get(key) as Story;
    return { key, holder: { digestAt: owners[key]?.at ?? digestInstantOf(text), name: holderName(key) } };
  });
  holders.sort((a, b) => compareHolders(a.holder, b.holder) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return holders[0]?.key;
}

/**
 * The item after the holders changed: the shown text is the first holder's, the others' texts are kept
 * where they differ, and a live story whose shown text changed gets `updatedAt` = the change's time.
 */
function settle(
  current: StoryItem | undefined,
  storyId: string,
  owners: Readonly<Record<string, OwnerStamp>>,
  texts: ReadonlyMap<string, Story>,
  changedAt: string | undefined,
): StoryItem {
  const shown = shownHolder(owners, texts);
  const {
    copies: _copies,
    updatedAt: previousUpdate,
    ...rest
  } = current ?? ({ ...storyKey(storyId), kind: 'story', storyId, owners, version: 0 } as StoryItem);
  if (shown === undefined) {
    // Nobody holds it: a tombstone keeps the last text and stamps, without index keys.
    return withIndexKeys({ ...rest, owners, version: rest.version + 1 }, current?.story, false);
  }
  const story = texts.get(shown) as Story;
  const contentHash = storyContentHash(story);
  const copies: Record<string, Story> = {};
  for (const [key, text] of texts) {
    if (key !== shown && storyContentHash(text) !== contentHash) copies[key] = text;
  }
  const wasLive = isLive(current);
  const corrected = wasLive && current?.contentHash !== undefined && current.contentHash !== contentHash;
  const updatedAt = corrected ? (changedAt ?? previousUpdate) : wasLive ? previousUpdate : undefined;
  const base: StoryItem = {
    ...rest,
    owners,
    version: rest.version + 1,
    story,
    contentHash,
    writtenBy: shown,
    ...(Object.keys(copies).length > 0 ? { copies } : {}),
    ...(updatedAt !== undefined ? { updatedAt } : {}),
  };
  return withIndexKeys(base, story, true);
}

/** True when a write would change nothing but the version. */
function sameItem(a: StoryItem | undefined, b: StoryItem): boolean {
  if (a === undefined) return false;
  const strip = ({ version: _v, ...rest }: StoryItem) => rest;
  return stableJson(strip(a)) === stableJson(strip(b));
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
        )
      : v,
  );
}

/**
 * Digest `digestKey` at `sequencer` has `story`: add it, update it, or leave it as it is. The shown text
 * is the first holder's by `compareHolders`, so an upload of a digest that ranks lower only records its
 * copy. `changedAt` (the upload's time) becomes `updatedAt` when the shown text changes.
 */
export function decideStoryWrite(
  current: StoryItem | undefined,
  digestKey: string,
  sequencer: string,
  story: Story,
  changedAt?: string,
): StoryDecision {
  const owner = current?.owners[digestKey];
  if (newerThan(owner, sequencer)) return { kind: 'skip', change: 'stale' };
  const texts = liveTexts(current);
  texts.set(digestKey, story);
  const owners = {
    ...current?.owners,
    [digestKey]: { seq: sequencer, live: true, at: digestInstantOf(story) },
  };
  const item = settle(current, story.storyId, owners, texts, changedAt);
  const wasLive = isLive(current);
  const change: StoryChange = !wasLive
    ? 'added'
    : current?.contentHash === item.contentHash
      ? 'unchanged'
      : 'updated';
  if (sameItem(current, item)) return { kind: 'skip', change: 'unchanged' };
  return { kind: 'write', item, change };
}

/**
 * Digest `digestKey` at `sequencer` no longer has story `storyId`. The story leaves the feeds unless
 * another digest still has it, whose text is then shown; the item stays as a tombstone that remembers
 * the sequencer, so a late write from an older upload of this digest cannot bring it back.
 */
export function decideStoryWithdraw(
  current: StoryItem | undefined,
  digestKey: string,
  sequencer: string,
  storyId: string,
  changedAt?: string,
): StoryDecision {
  const owner = current?.owners[digestKey];
  if (newerThan(owner, sequencer)) return { kind: 'skip', change: 'stale' };
  const wasLive = isLive(current);
  if (owner !== undefined && !owner.live && compareSequencers(owner.seq, sequencer) === 0) {
    return { kind: 'skip', change: wasLive ? 'kept' : 'absent' };
  }
  const texts = liveTexts(current);
  texts.delete(digestKey);
  const { at: _at, ...stamp } = owner ?? { seq: sequencer, live: false };
  const owners = { ...current?.owners, [digestKey]: { ...stamp, seq: sequencer, live: false } };
  const item = settle(current, storyId, owners, texts, changedAt);
  const change: StoryChange = texts.size > 0 ? 'kept' : wasLive ? 'withdrawn' : 'absent';
  return { kind: 'write', item, change };
}

/** What an upload does to one story, with the text readers see before and after. */
export interface PlannedStory {
  readonly storyId: string;
  readonly change: StoryChange;
  /** The text shown now, when the story is live. */
  readonly before?: Story;
  /** The text shown after the upload, when the story stays live. */
  readonly after?: Story;
}

/** What an upload does, story by story: what ingest applies and what a dry run shows. */
export interface UploadPlan {
  readonly counts: ManifestCounts;
  /** The upload's stories, then the ones it withdraws, in that order. */
  readonly stories: readonly PlannedStory[];
  readonly held: readonly HeldStory[];
  readonly renamed: readonly RenamedStory[];
}

/**
 * The one plan of an upload of digest `digestKey` at `sequencer` that has `stories` (`null`: a delete) and
 * lets go of `staleIds`, against the story items `current` holds: ingest counts and reports it when it
 * claims the digest, and `feedwright publish --dry-run` prints it, so the two never disagree. `unchanged`:
 * the upload's stories hash the same as the applied version (no story is written). Pure.
 */
export function planUpload(input: {
  readonly digestKey: string;
  readonly sequencer: string;
  readonly stories: readonly Story[] | null;
  readonly staleIds: readonly string[];
  readonly current: ReadonlyMap<string, StoryItem>;
  readonly unchanged?: boolean;
  readonly at?: string;
}): UploadPlan {
  const { digestKey, sequencer, current, at } = input;
  const stories = input.stories ?? [];
  const shownText = (item: StoryItem | undefined) => (isLive(item) ? item?.story : undefined);
  const written = stories.map((story): { story: Story; plan: PlannedStory; item: StoryItem | undefined } => {
    const before = current.get(story.storyId);
    if (input.unchanged === true) {
      return { story, item: before, plan: withTexts(story.storyId, 'unchanged', before, before) };
    }
    const decision = decideStoryWrite(before, digestKey, sequencer, story, at);
    const after = decision.kind === 'write' ? decision.item : before;
    return { story, item: after, plan: withTexts(story.storyId, decision.change, before, after) };
  });
  const withdrawn = input.staleIds.map((id) => {
    const before = current.get(id);
    const decision = decideStoryWithdraw(before, digestKey, sequencer, id, at);
    return withTexts(id, decision.change, before, decision.kind === 'write' ? decision.item : before);
  });
  const planned = [...written.map((entry) => entry.plan), ...withdrawn];
  const count = (wanted: StoryChange) => planned.filter((plan) => plan.change === wanted).length;
  const held = written.flatMap(({ story, item }) => {
    const shown = shownText(item);
    const by = item?.writtenBy;
    if (shown === undefined || by === undefined || by === digestKey) return [];
    if (storyContentHash(shown) === storyContentHash(story)) return [];
    const because: ShownBecause =
      Date.parse(item?.owners[by]?.at ?? shown.publishedAt) !== Date.parse(digestInstantOf(story))
        ? 'newer-date'
        : 'name-first';
    return [{ storyId: story.storyId, title: story.title, shownFrom: by, because }];
  });
  const gone = withdrawn.flatMap((plan) => (plan.change === 'withdrawn' && plan.before ? [plan.before] : []));
  const added = written.flatMap(({ story, plan }) => (plan.change === 'added' ? [story] : []));
  return {
    counts: {
      total: stories.length,
      added: count('added'),
      updated: count('updated'),
      withdrawn: count('withdrawn'),
      unchanged: count('unchanged'),
    },
    stories: planned,
    held,
    renamed: pairRenamed(gone, added),
  };
}

function withTexts(
  storyId: string,
  change: StoryChange,
  before: StoryItem | undefined,
  after: StoryItem | undefined,
): PlannedStory {
  const shownBefore = isLive(before) ? before?.story : undefined;
  const shownAfter = isLive(after) ? after?.story : undefined;
  return {
    storyId,
    change,
    ...(shownBefore === undefined ? {} : { before: shownBefore }),
    ...(shownAfter === undefined ? {} : { after: shownAfter }),
  };
}

/**
 * The withdrawn stories that an added one plainly replaces under a corrected headline: the same topic, and
 * the same place in the digest with most of the body kept, or the same body (non-empty) elsewhere. Each
 * story pairs at most once, first match in digest order.
 */
export function pairRenamed(withdrawn: readonly Story[], added: readonly Story[]): RenamedStory[] {
  const free = [...withdrawn];
  const pairs: RenamedStory[] = [];
  for (const story of added) {
    const index = free.findIndex((old) => isSameStory(old, story));
    const old = free[index];
    if (old === undefined) continue;
    free.splice(index, 1);
    pairs.push({
      from: { storyId: old.storyId, title: old.title },
      to: { storyId: story.storyId, title: story.title },
    });
  }
  return pairs;
}

function isSameStory(old: Story, story: Story): boolean {
  if (old.topicSlug !== story.topicSlug) return false;
  if (old.position === story.position) {
    // Most of the old body's words are still there: a corrected headline, perhaps a corrected sentence.
    const words = wordsOf(story.paragraphs);
    const oldWords = [...wordsOf(old.paragraphs)];
    return oldWords.filter((word) => words.has(word)).length * 2 >= oldWords.length;
  }
  const body = old.paragraphs.join('\n');
  return body !== '' && body === story.paragraphs.join('\n');
}

function wordsOf(paragraphs: readonly string[]): Set<string> {
  return new Set(
    paragraphs
      .join(' ')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );
}
