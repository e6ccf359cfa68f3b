import { holderName } from '@feedwright/digest';
import type { HeldStory, RenamedStory } from '@feedwright/storage';

/**
 * What an editor is told about an upload's stories that will not show this file's text, one note per
 * digest whose text they show: a headline (why), the stories, what to do. Empty when every story shows
 * this file's text. `name` is the file's name, as the digest is named on S3 and in `build`.
 */
export function heldNotes(
  name: string,
  held: readonly HeldStory[],
): { readonly headline: string; readonly lines: readonly string[] }[] {
  const byHolder = new Map<string, HeldStory[]>();
  for (const story of held) byHolder.set(story.shownFrom, [...(byHolder.get(story.shownFrom) ?? []), story]);
  return [...byHolder].flatMap(([key, stories]) => {
    const other = holderName(key);
    const n = stories.length;
    const why =
      stories[0]?.because === 'newer-date'
        ? 'its date line is newer'
        : `the same date line, and ${JSON.stringify(other)} sorts before ${JSON.stringify(name)}`;
    return {
      headline: `${n} ${n === 1 ? 'story shows' : 'stories show'} the text of ${other}, not this file's (${why}):`,
      lines: [
        ...stories.map((story) => `    ${story.title} (${story.storyId})`),
        `  to show this file's text: withdraw the other copy (feedwright withdraw ${other}), ` +
          `or publish this file as ${other}`,
      ],
    };
  });
}

/** One line per story whose headline a correction changed (a new id and address), and what readers get. */
export function renamedNotes(renamed: readonly RenamedStory[]): string[] {
  return renamed.flatMap(({ from, to }) => [
    `  ~ headline changed: ${from.title} → ${to.title}`,
    `      the story's id changes (${from.storyId} → ${to.storyId}): a new address and a new feed item`,
  ]);
}
