import type { Story } from '@feedwright/digest';
import { type StoryStore, storyContentHash } from '@feedwright/storage';

/** What publishing a digest would change, against the live state of the table. */
export interface DryRunPlan {
  readonly added: readonly Story[];
  readonly updated: ReadonlyArray<{ readonly before: Story; readonly after: Story }>;
  /** Live stories of the digest's current version that the new one no longer has. */
  readonly withdrawn: readonly Story[];
  readonly unchanged: readonly Story[];
}

/**
 * Compares a digest's parsed stories with what the table holds for its key (the manifest's story ids)
 * and for each story id (the live story). Reads only; strongly consistent.
 */
export async function planDryRun(
  store: StoryStore,
  digestKey: string,
  stories: readonly Story[],
): Promise<DryRunPlan> {
  const currentIds = await store.digestStoryIds(digestKey);
  const newIds = new Set(stories.map((story) => story.storyId));
  const live = await store.getStories([...new Set([...newIds, ...currentIds])]);
  const added: Story[] = [];
  const updated: { before: Story; after: Story }[] = [];
  const unchanged: Story[] = [];
  for (const story of stories) {
    const before = live.get(story.storyId);
    if (before === undefined) added.push(story);
    else if (storyContentHash(before) === storyContentHash(story)) unchanged.push(story);
    else updated.push({ before, after: story });
  }
  const withdrawn = currentIds.filter((id) => !newIds.has(id)).flatMap((id) => live.get(id) ?? []);
  return { added, updated, withdrawn, unchanged };
}

const MAX_LINE = 160;
const clip = (text: string): string => (text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text);

/**
 * A short diff of an updated story, one line per changed piece: `- ` the old text, `+ ` the new, for
 * the headline, each paragraph that differs (by position), the caption and the related headlines.
 */
export function storyDiff(before: Story, after: Story): string[] {
  const lines: string[] = [];
  const pair = (label: string, old: string | null | undefined, next: string | null | undefined) => {
    if (old === next) return;
    if (old !== null && old !== undefined) lines.push(`- ${label}${clip(old)}`);
    if (next !== null && next !== undefined) lines.push(`+ ${label}${clip(next)}`);
  };
  pair('headline: ', before.title, after.title);
  pair('caption: ', before.imageCaption, after.imageCaption);
  const count = Math.max(before.paragraphs.length, after.paragraphs.length);
  for (let index = 0; index < count; index += 1) {
    pair(`¶${index + 1}: `, before.paragraphs[index], after.paragraphs[index]);
  }
  pair('related: ', before.related.join(' | ') || null, after.related.join(' | ') || null);
  if (lines.length === 0 && before.topic !== after.topic) pair('topic: ', before.topic, after.topic);
  if (lines.length === 0) lines.push('~ position or time only');
  return lines;
}
