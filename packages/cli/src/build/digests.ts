import type { Digest, Story } from '@feedwright/digest';

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The stories of several digests, one per storyId. When two digests give the same storyId, the later
 * digest (by publishedAt) wins; at equal times the content decides, so the argument order never does.
 */
export function mergeStories(digests: readonly Digest[]): Story[] {
  const winners = new Map<string, { story: Story; digestAt: number; key: string }>();
  for (const digest of digests) {
    const digestAt = Date.parse(digest.publishedAt);
    for (const story of digest.stories) {
      const candidate = { story, digestAt, key: JSON.stringify(story) };
      const current = winners.get(story.storyId);
      if (
        current === undefined ||
        candidate.digestAt > current.digestAt ||
        (candidate.digestAt === current.digestAt && compare(candidate.key, current.key) > 0)
      ) {
        winners.set(story.storyId, candidate);
      }
    }
  }
  return [...winners.values()].map((winner) => winner.story);
}
