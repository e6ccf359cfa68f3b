import type { FeedEntry, FeedModel } from './feed-model.ts';
import type { FeedParts } from './feed-parts.ts';

/** The version URL of JSON Feed 1.1. */
const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/**
 * JSON Feed 1.1: `authors` (not 1.0's `author`), `language`, string ids, `date_published`, and
 * `date_modified` only for a story a correction changed, `home_page_url` and `feed_url`. JSON.stringify does all the escaping.
 */
export function jsonFeedParts(feed: FeedModel): FeedParts {
  const authors = [{ name: feed.author }];
  const top = {
    version: JSON_FEED_VERSION,
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.selfUrls.json,
    // JSON Feed pages: the next page holds older items, as an Atom prev-archive does.
    ...(feed.history?.prevArchive === undefined ? {} : { next_url: feed.history.prevArchive.json }),
    description: feed.description,
    ...(feed.identity.ownIcon === null ? {} : { icon: feed.identity.ownIcon }),
    favicon: feed.identity.icon,
    language: feed.language,
    authors,
    // JSON Feed 1.1 `hubs`: where to subscribe for real-time notification (WebSub).
    ...(feed.hubUrl === null ? {} : { hubs: [{ type: 'WebSub', url: feed.hubUrl }] }),
  };
  const headObject = JSON.stringify(top, null, 2);
  return {
    // Reopen the object to append "items" so that each item can be serialised (and measured) alone.
    head: `${headObject.slice(0, -2)},\n  "items": [`,
    entries: feed.entries.map((entry) => jsonItem(entry, authors)),
    separator: ',',
    tail: '\n  ]\n}\n',
  };
}

function jsonItem(entry: FeedEntry, authors: readonly { name: string }[]): string {
  const item: Record<string, unknown> = {
    id: entry.id.value,
    url: entry.url,
    title: entry.title,
  };
  // JSON Feed needs content_html or content_text; a headline-only entry says its headline as text.
  if (entry.contentHtml === null) item.content_text = entry.title;
  else item.content_html = entry.contentHtml;
  if (entry.summary !== null) item.summary = entry.summary;
  item.date_published = entry.published;
  if (entry.corrected) item.date_modified = entry.updated;
  item.authors = authors;
  item.tags = [entry.category.label];
  // One compact line per item: cheaper to render and to measure than pretty-printing, still diffable.
  return `\n    ${JSON.stringify(item)}`;
}
