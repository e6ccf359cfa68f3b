import { ALL_TOPICS_SLUG, instantOf, type Story } from '@feedwright/digest';
import { visibleText } from './text.ts';

/** A feed's topic: its slug (the folder under feeds/) and its name as people read it. */
export interface TopicRef {
  readonly slug: string;
  readonly name: string;
}

/** The feed of every story; its slug is reserved, no topic may use it. */
export const ALL_STORIES: TopicRef = Object.freeze({ slug: ALL_TOPICS_SLUG, name: 'All stories' });

/** A topic's name as shown: cleaned, or its slug when nothing visible is left. */
export const topicName = (topic: TopicRef): string => visibleText(topic.name, topic.slug);

/** A story's headline as shown: cleaned, or its id when nothing visible is left. */
export const storyTitle = (story: Story): string => visibleText(story.title, story.storyId);

/** One topic's section of index.html. */
export interface TopicListing {
  readonly topic: TopicRef;
  /** Newest first. */
  readonly latest: readonly Story[];
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Newest first, ties broken deterministically (publishedAt desc, then storyId), so the same stories
 * give the same order whatever order they came in.
 * @throws InvalidStoryError when a publishedAt is not an instant.
 */
export function sortNewestFirst(stories: readonly Story[]): Story[] {
  const keyed = stories.map((story) => ({
    story,
    at: instantOf(story.publishedAt, `story '${story.storyId}'`),
  }));
  keyed.sort(
    (a, b) =>
      b.at - a.at ||
      compareStrings(a.story.storyId, b.story.storyId) ||
      // Two copies of one story at one instant: order by content so the input order never shows.
      (a.story === b.story ? 0 : compareStrings(fingerprint(a.story), fingerprint(b.story))),
  );
  return keyed.map((entry) => entry.story);
}

function fingerprint(story: Story): string {
  const { position, topic, topicSlug, title, paragraphs, related, imageCaption } = story;
  return JSON.stringify([position, topic, topicSlug, title, paragraphs, related, imageCaption]);
}

/**
 * Topics in the order index.html and feeds.opml list them: 'All stories' first, then by name
 * (case-insensitive, code-point order, so no locale data changes the output), then slug. Duplicate
 * slugs keep their first occurrence.
 */
export function orderTopics<T>(items: readonly T[], topicOf: (item: T) => TopicRef): T[] {
  const seen = new Set<string>();
  const unique = items.filter((item) => {
    const { slug } = topicOf(item);
    if (seen.has(slug)) return false;
    seen.add(slug);
    return true;
  });
  return unique.sort((x, y) => {
    const a = topicOf(x);
    const b = topicOf(y);
    if (a.slug === ALL_STORIES.slug || b.slug === ALL_STORIES.slug) {
      return a.slug === ALL_STORIES.slug ? (b.slug === ALL_STORIES.slug ? 0 : -1) : 1;
    }
    return (
      compareStrings(a.name.toLowerCase(), b.name.toLowerCase()) ||
      compareStrings(a.name, b.name) ||
      compareStrings(a.slug, b.slug)
    );
  });
}
