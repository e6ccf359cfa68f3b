import { assertRenderable, type Story } from '@feedwright/digest';
import { archiveUrls } from './archive.ts';
import type { ArchiveRef } from './archive-paths.ts';
import { atom1Parts } from './atom1.ts';
import type { SiteConfig } from './config.ts';
import { type FeedEntry, type FeedModel, feedEntry, feedModel, headlineOnly } from './feed-model.ts';
import { assemble, entriesThatFit, type FeedParts } from './feed-parts.ts';
import { jsonFeedParts } from './json-feed.ts';
import { rss2Parts } from './rss2.ts';
import {
  CACHE_CONTROL_FEED_WEBSUB,
  CACHE_CONTROL_LISTING,
  CONTENT_TYPES,
  type SiteFile,
} from './site-file.ts';
import { sortNewestFirst, type TopicRef } from './topics.ts';
import { FEED_FORMATS, type FeedFormat, feedPath, SiteUrls } from './urls.ts';

const SERIALISERS = { rss: rss2Parts, atom: atom1Parts, json: jsonFeedParts } as const;

/**
 * feeds/<slug>/rss.xml, atom.xml and feed.json for one topic (or ALL_STORIES). The stories may come
 * in any order and may be more than `itemsPerFeed`: they are sorted newest first, de-duplicated by
 * storyId, capped, and the oldest dropped until every format fits `maxFeedBytes`. The three files
 * always carry the same items. If even the newest story alone is over the budget, it is kept as a
 * headline-only item (its page has the full text). With `newestArchive`, the feeds link to it (Atom and
 * RSS `prev-archive`, JSON Feed `next_url`).
 * @throws InvalidStoryError for a story whose id, slug or time cannot be rendered.
 */
export function renderTopicFeeds(
  topic: TopicRef,
  stories: readonly Story[],
  config: SiteConfig,
  newestArchive: ArchiveRef | null = null,
): SiteFile[] {
  const urls = new SiteUrls(config);
  // RFC 5005: the subscription feed points at its newest archive document (JSON Feed: next_url).
  const history =
    newestArchive === null ? undefined : { prevArchive: archiveUrls(topic.slug, newestArchive, urls) };
  const newest = newestUnique(stories, config.itemsPerFeed);
  const entries = newest.map((story) => feedEntry(story, urls));

  const modelOf = (selected: readonly FeedEntry[]): FeedModel => ({
    ...feedModel(topic, selected, config, urls),
    ...(history === undefined ? {} : { history }),
  });
  return feedFilesWithinBudget(entries, modelOf, (format) => feedPath(topic.slug, format), config);
}

/**
 * A subscription feed's three files (RSS, Atom, JSON Feed) from its entries, newest first: the same
 * entries in each, the oldest dropped until every format fits `maxFeedBytes`; if even the newest
 * alone is over, it is kept as its headline. Topic feeds and the issue feed are made by this.
 */
export function feedFilesWithinBudget(
  entries: readonly FeedEntry[],
  modelOf: (selected: readonly FeedEntry[]) => FeedModel,
  pathOf: (format: FeedFormat) => string,
  config: SiteConfig,
): SiteFile[] {
  const partsOf = (selected: readonly FeedEntry[]): Record<FeedFormat, FeedParts> => {
    const model = modelOf(selected);
    return { rss: SERIALISERS.rss(model), atom: SERIALISERS.atom(model), json: SERIALISERS.json(model) };
  };

  let parts = partsOf(entries);
  let count = Math.min(...FEED_FORMATS.map((format) => entriesThatFit(parts[format], config.maxFeedBytes)));
  const first = entries[0];
  if (count === 0 && first !== undefined) {
    parts = partsOf([headlineOnly(first)]);
    count = 1;
  }

  return FEED_FORMATS.map((format) => ({
    path: pathOf(format),
    body: assemble(parts[format], count),
    contentType: CONTENT_TYPES[format],
    cacheControl: config.hubUrl === null ? CACHE_CONTROL_LISTING : CACHE_CONTROL_FEED_WEBSUB,
  }));
}

/** The `limit` newest stories, one per storyId (the newest copy wins), each checked renderable. */
function newestUnique(stories: readonly Story[], limit: number): Story[] {
  const seen = new Set<string>();
  const result: Story[] = [];
  for (const story of sortNewestFirst(stories)) {
    if (seen.has(story.storyId)) continue;
    assertRenderable(story);
    seen.add(story.storyId);
    result.push(story);
    if (result.length === limit) break;
  }
  return result;
}
