import type { Story } from '@feedwright/digest';
import {
  feedSortKey,
  isLive,
  type ManifestItem,
  manifestKey,
  type OwnerStamp,
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

/** Digest `digestKey` at `sequencer` has `story`: add it, update it, or leave it as it is. */
export function decideStoryWrite(
  current: StoryItem | undefined,
  digestKey: string,
  sequencer: string,
  story: Story,
): StoryDecision {
  const owner = current?.owners[digestKey];
  if (newerThan(owner, sequencer)) return { kind: 'skip', change: 'stale' };
  const contentHash = storyContentHash(story);
  const wasLive = isLive(current);
  const sameContent = current?.contentHash === contentHash;
  if (owner?.live && compareSequencers(owner.seq, sequencer) === 0 && sameContent) {
    return { kind: 'skip', change: 'unchanged' };
  }
  const change: StoryChange = !wasLive ? 'added' : sameContent ? 'unchanged' : 'updated';
  const base: StoryItem = {
    ...storyKey(story.storyId),
    kind: 'story',
    storyId: story.storyId,
    owners: { ...current?.owners, [digestKey]: { seq: sequencer, live: true } },
    version: (current?.version ?? 0) + 1,
    story,
    contentHash,
    writtenBy: digestKey,
  };
  return { kind: 'write', item: withIndexKeys(base, story, true), change };
}

/**
 * Digest `digestKey` at `sequencer` no longer has story `storyId`. The story leaves the feeds unless
 * another digest still has it; the item stays as a tombstone that remembers the sequencer, so a late
 * write from an older upload of this digest cannot bring it back.
 */
export function decideStoryWithdraw(
  current: StoryItem | undefined,
  digestKey: string,
  sequencer: string,
  storyId: string,
): StoryDecision {
  const owner = current?.owners[digestKey];
  if (newerThan(owner, sequencer)) return { kind: 'skip', change: 'stale' };
  const wasLive = isLive(current);
  if (owner !== undefined && !owner.live && compareSequencers(owner.seq, sequencer) === 0) {
    return { kind: 'skip', change: wasLive ? 'kept' : 'absent' };
  }
  const owners = { ...current?.owners, [digestKey]: { seq: sequencer, live: false } };
  const stillLive = Object.values(owners).some((stamp) => stamp.live);
  const base: StoryItem =
    current === undefined
      ? { ...storyKey(storyId), kind: 'story', storyId, owners, version: 1 }
      : { ...current, owners, version: current.version + 1 };
  const change: StoryChange = stillLive ? 'kept' : wasLive ? 'withdrawn' : 'absent';
  return { kind: 'write', item: withIndexKeys(base, current?.story, stillLive), change };
}
