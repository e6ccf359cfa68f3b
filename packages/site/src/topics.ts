import type { Story } from '@feedwright/digest';
import { instantOf } from './dates.ts';
import { SiteInputError } from './errors.ts';
import { visibleText } from './text.ts';

/** A feed's topic: its slug (the folder under feeds/) and its name as people read it. */
export interface TopicRef {
  readonly slug: string;
  readonly name: string;
}

/** The feed of every story; its slug is reserved, no topic may use it. */
export const ALL_STORIES: TopicRef = Object.freeze({ slug: 'all', name: 'All stories' });

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

// Ids and slugs become file names and URL path segments: letters (any script: slugs keep CJK), digits,
// '-' and '_' only, so no '/', '.', '%' or space can ever reach a path.
const URL_SAFE = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}_-]{0,199}$/u;

/** Throws a SiteInputError if a story's id or slug could not be used safely as a path segment. */
export function assertRenderable(story: Story): void {
  if (!URL_SAFE.test(story.storyId)) {
    throw new SiteInputError(
      `story id '${story.storyId}' is not URL-safe (letters, digits, '-' and '_' only, at most 200 characters)`,
    );
  }
  if (!URL_SAFE.test(story.topicSlug)) {
    throw new SiteInputError(`story '${story.storyId}': topic slug '${story.topicSlug}' is not URL-safe`);
  }
  if (story.topicSlug === ALL_STORIES.slug) {
    throw new SiteInputError(
      `story '${story.storyId}': topic slug '${story.topicSlug}' is reserved for the all-stories feed`,
    );
  }
  instantOf(story.publishedAt, `story '${story.storyId}'`);
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Newest first, ties broken deterministically (publishedAt desc, then storyId), so the same stories
 * give the same order whatever order they came in.
 * @throws SiteInputError when a publishedAt is not an instant.
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
