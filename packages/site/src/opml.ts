import { ISSUES_INDEX_PATH, topicPagePath } from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { issueFeedPath } from './issue-pages.ts';
import { CACHE_CONTROL_LISTING, CONTENT_TYPES, type SiteFile } from './site-file.ts';
import { escapeAttribute, escapeMarkup } from './text.ts';
import { ALL_STORIES, orderTopics, type TopicRef, topicName } from './topics.ts';
import { SiteUrls } from './urls.ts';

/**
 * feeds.opml: OPML 2.0 with one outline per topic ('All stories' always first, then by name). Each
 * points at the topic's RSS feed, so that importing the file subscribes once per topic, not thrice.
 * No dates: the file changes only when the set of topics does. The head holds only what the W3C validator
 * knows (it reports OPML 2.0's optional `<docs>` as an undefined element, an error).
 */
export function renderOpml(
  topics: readonly TopicRef[],
  config: SiteConfig,
  options: { readonly archive?: boolean } = {},
): SiteFile {
  const urls = new SiteUrls(config);
  const a = escapeAttribute;
  const outlines = orderTopics([ALL_STORIES, ...topics], (topic) => topic).map((topic) => {
    const name = topicName(topic);
    const home = options.archive === true ? urls.url(topicPagePath(topic.slug)) : urls.topicHome(topic.slug);
    return `    <outline type="rss" text="${a(name)}" title="${a(name)}" xmlUrl="${a(urls.feed(topic.slug, 'rss'))}" htmlUrl="${a(home)}"/>`;
  });
  if (options.archive === true) {
    // The issue feed: every digest as it was sent.
    const name = `${config.siteTitle}: Issues`;
    outlines.push(
      `    <outline type="rss" text="${a(name)}" title="${a(name)}" xmlUrl="${a(urls.url(issueFeedPath('rss')))}" htmlUrl="${a(urls.url(ISSUES_INDEX_PATH))}"/>`,
    );
  }
  const body = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeMarkup(`${config.siteTitle} feeds`)}</title>`,
    `    <ownerName>${escapeMarkup(config.author)}</ownerName>`,
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
  return { path: 'feeds.opml', body, contentType: CONTENT_TYPES.opml, cacheControl: CACHE_CONTROL_LISTING };
}
