import { basename } from 'node:path';
import { compareHolders, type Digest, holderName, type Story, type StoryHolder } from '@feedwright/digest';

/** A parsed digest and its name (its file name; its key on S3), which breaks ties between holders. */
export interface NamedDigest {
  readonly name: string;
  readonly digest: Digest;
}

/**
 * The stories of several digests, one per storyId. When digests share a storyId, the text comes from
 * the holder that `compareHolders` puts first (newest date line, then the name that sorts first): the
 * same rule the pipeline's story store applies, so the argument order never decides.
 */
export function mergeStories(digests: readonly NamedDigest[]): Story[] {
  const winners = new Map<string, { story: Story; holder: StoryHolder; path: string }>();
  for (const { name: path, digest } of digests) {
    const holder: StoryHolder = { digestAt: digest.publishedAt, name: holderName(basename(path)) };
    for (const story of digest.stories) {
      const current = winners.get(story.storyId);
      const order = current === undefined ? -1 : compareHolders(holder, current.holder);
      // Two files of one name in different folders: the full path decides, never the argument order.
      if (order < 0 || (order === 0 && current !== undefined && path < current.path)) {
        winners.set(story.storyId, { story, holder, path });
      }
    }
  }
  return [...winners.values()].map((winner) => winner.story);
}
