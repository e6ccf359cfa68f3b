import type { Story } from '@feedwright/digest';
import type { HeldStory, RenamedStory, StoryCounts, StoryStore } from '@feedwright/storage';

/** What publishing a digest would change, against the live state of the table: ingest's own plan. */
export interface DryRunPlan {
  readonly counts: StoryCounts;
  readonly added: readonly Story[];
  /** Stories whose shown text changes: `after` is what readers would see (another holder's, maybe). */
  readonly updated: ReadonlyArray<{ readonly before: Story; readonly after: Story }>;
  /** Live stories of the digest's current version that leave the site. */
  readonly withdrawn: readonly Story[];
  /** Live stories of the digest's current version it no longer has, that another digest keeps live. */
  readonly kept: readonly Story[];
  readonly unchanged: readonly string[];
  readonly held: readonly HeldStory[];
  readonly renamed: readonly RenamedStory[];
}

/**
 * What ingest would do with these stories as digest `digestKey`, by the plan ingest itself applies
 * (`StoryStore.planUpload`): so the counts printed are the counts the report will give. Reads only.
 */
export async function planDryRun(
  store: StoryStore,
  digestKey: string,
  stories: readonly Story[],
): Promise<DryRunPlan> {
  const plan = await store.planUpload(digestKey, stories);
  const byId = new Map(stories.map((story) => [story.storyId, story]));
  const added: Story[] = [];
  const updated: { before: Story; after: Story }[] = [];
  const withdrawn: Story[] = [];
  const kept: Story[] = [];
  const unchanged: string[] = [];
  for (const { storyId, change, before, after } of plan.stories) {
    if (change === 'added') added.push(after ?? (byId.get(storyId) as Story));
    else if (change === 'updated' && before !== undefined && after !== undefined)
      updated.push({ before, after });
    else if (change === 'withdrawn' && before !== undefined) withdrawn.push(before);
    else if (change === 'kept' && before !== undefined) kept.push(before);
    else if (change === 'unchanged') unchanged.push(storyId);
  }
  return {
    counts: plan.counts,
    added,
    updated,
    withdrawn,
    kept,
    unchanged,
    held: plan.held,
    renamed: plan.renamed,
  };
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
