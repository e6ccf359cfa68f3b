import { assertRenderable } from '@feedwright/digest';
import { digestInstantOf, ISSUES_INDEX_PATH, topicPagePath } from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { readableDate, rfc3339 } from './dates.ts';
import { issueFeedAlternates, issueSubscribeLinks } from './issue-pages.ts';
import { relativeHref } from './page-links.ts';
import { htmlPage } from './page-shell.ts';
import { CACHE_CONTROL_LISTING, CONTENT_TYPES, type SiteFile } from './site-file.ts';
import { feedAlternates, subscribeLinks } from './story-page.ts';
import { escapeAttribute, escapeMarkup } from './text.ts';
import { orderTopics, sortNewestFirst, storyTitle, type TopicListing, topicName } from './topics.ts';
import { encodePath, SiteUrls, storyPath, topicAnchor } from './urls.ts';

/**
 * index.html: every topic ('All stories' first, then by name) with its newest headlines (at most
 * `indexHeadlines`, linking to their pages) and subscribe links for the three formats, plus
 * autodiscovery links for every feed. With `archive`, each topic links its page and the issues are linked.
 * @throws InvalidStoryError for a story whose id, slug or time cannot be rendered.
 */
export function renderIndex(
  listings: readonly TopicListing[],
  config: SiteConfig,
  options: { readonly archive?: boolean } = {},
): SiteFile {
  const archive = options.archive === true;
  const urls = new SiteUrls(config);
  const x = escapeMarkup;
  const ordered = orderTopics(listings, (listing) => listing.topic);
  const sections = ordered.map(({ topic, latest }) => {
    const name = topicName(topic);
    const anchor = escapeAttribute(topicAnchor(topic.slug));
    // Not `${anchor}-heading`: topics 'x' and 'x-heading' would then share an id (invalid HTML).
    const heading = escapeAttribute(`heading-${topic.slug}`);
    const headlines = sortNewestFirst(latest).slice(0, config.indexHeadlines);
    const items = headlines.map((story) => {
      assertRenderable(story);
      const at = digestInstantOf(story, `story '${story.storyId}'`);
      return `<li><a href="${escapeAttribute(encodePath(storyPath(story.storyId)))}">${x(storyTitle(story))}</a> <time datetime="${rfc3339(at)}">${readableDate(at)}</time></li>`;
    });
    return [
      `<section id="${anchor}" aria-labelledby="${heading}">`,
      `<h2 id="${heading}">${x(name)}</h2>`,
      `<p class="subscribe">Subscribe: ${subscribeLinks(topic.slug, '')}</p>`,
      items.length === 0 ? '<p>No stories yet.</p>' : `<ul>\n${items.join('\n')}\n</ul>`,
      ...(archive
        ? [`<p><a href="${relativeHref('', topicPagePath(topic.slug))}">Every story of ${x(name)}</a></p>`]
        : []),
      '</section>',
    ].join('\n');
  });
  const body = [
    `<header><h1>${x(config.siteTitle)}</h1></header>`,
    '<main>',
    `<p>Every topic has its own feed in three formats; “All stories” has them all. <a href="feeds.opml" type="text/x-opml">All feeds as OPML</a>.</p>`,
    ...(archive
      ? [
          `<p><a href="${relativeHref('', ISSUES_INDEX_PATH)}">Every issue</a>, as it was sent (feed: ${issueSubscribeLinks('')}).</p>`,
        ]
      : []),
    ...sections,
    '</main>',
  ].join('\n');
  return {
    path: 'index.html',
    body: htmlPage({
      language: config.language,
      title: config.siteTitle,
      description: `Feeds of ${config.siteTitle}, by topic.`,
      canonical: urls.base,
      alternates: [
        ...ordered.flatMap(({ topic }) => feedAlternates(topic, urls)),
        ...(archive ? issueFeedAlternates(urls) : []),
      ],
      body,
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL_LISTING,
  };
}
