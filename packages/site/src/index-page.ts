import { assertRenderable, instantOf, type Story } from '@feedwright/digest';
import { ISSUES_INDEX_PATH, issuePath, topicPagePath } from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { readableDate, rfc3339 } from './dates.ts';
import { issueFeedAlternates, issueSubscribeLinks } from './issue-pages.ts';
import { type Issue, issueTitle } from './issues.ts';
import { relativeHref } from './page-links.ts';
import { htmlPage } from './page-shell.ts';
import { CACHE_CONTROL_LISTING, CONTENT_TYPES, type SiteFile } from './site-file.ts';
import { storySummary } from './story-html.ts';
import { feedAlternates } from './story-page.ts';
import { escapeAttribute, escapeMarkup, visibleText } from './text.ts';
import { ALL_STORIES, orderTopics, storyTitle, type TopicRef, topicName } from './topics.ts';
import {
  FEED_FORMAT_LABELS,
  FEED_FORMATS,
  FEED_MEDIA_TYPES,
  feedPath,
  SiteUrls,
  storyPath,
  topicAnchor,
} from './urls.ts';

/** A topic on the front page and how many live stories it has, counted up to a bound. */
export interface TopicCount {
  readonly topic: TopicRef;
  /** Live stories, at most the bound the count was read with (the feed length). */
  readonly count: number;
  /** The topic has more than `count` live stories: shown as "50+". */
  readonly more: boolean;
}

/** An issue and the live stories it shows, in digest order. */
export interface FrontIssue {
  readonly issue: Issue;
  readonly stories: readonly Story[];
}

/**
 * What the front page shows; every part is a bounded read (the newest few issues, the newest stories,
 * one bounded count per topic), never the whole archive.
 */
export interface FrontPage {
  /** The newest shown issues, newest first (the first in full, then `indexHeadlines` more); null without the archive. */
  readonly issues: readonly FrontIssue[] | null;
  /** The newest stories (shown when there is no issue to show), newest first. */
  readonly newest: readonly Story[];
  /** Topics with a live story; `all` is not among them. */
  readonly topics: readonly TopicCount[];
}

/** Stories the front page shows when there is no issue to show (a site without the archive). */
export const FRONT_PAGE_STORIES = 10;

/** A topic's count for the front page from its number of live stories: bounded by the feed length. */
export function topicCount(
  topic: TopicRef,
  live: number,
  config: Pick<SiteConfig, 'itemsPerFeed'>,
): TopicCount {
  return { topic, count: Math.min(live, config.itemsPerFeed), more: live > config.itemsPerFeed };
}

/** The issues the front page shows, of the shown issues newest first: the newest, then `indexHeadlines` more. */
export function frontIssues(
  newestFirst: readonly FrontIssue[],
  config: Pick<SiteConfig, 'indexHeadlines' | 'itemsPerFeed'>,
): FrontIssue[] {
  // Never past the feed length: render reads the newest issues up to it.
  return newestFirst.slice(0, Math.min(1 + config.indexHeadlines, config.itemsPerFeed));
}

/** How much of a story's first paragraph the front page shows. */
const FIRST_LINES = 220;

/** The first lines of a story: its first paragraph, cut at a word near `FIRST_LINES` characters. */
function firstLines(story: Story): string | null {
  const summary = storySummary(story);
  if (summary === null) return null;
  const text = summary.trim();
  if (text.length <= FIRST_LINES) return text;
  const cut = text.lastIndexOf(' ', FIRST_LINES);
  // CJK text has no spaces to cut at: cut at the length itself.
  return `${text.slice(0, cut > FIRST_LINES / 2 ? cut : FIRST_LINES).trimEnd()}…`;
}

/** Stories with their topic, headline (a link to their page) and first lines. */
function storiesHtml(stories: readonly Story[], archive: boolean): string {
  const x = escapeMarkup;
  const items = stories.map((story) => {
    assertRenderable(story);
    const lines = firstLines(story);
    const name = topicName({ slug: story.topicSlug, name: story.topic });
    const topicHref = archive
      ? relativeHref('', topicPagePath(story.topicSlug))
      : escapeAttribute(`#${encodeURIComponent(topicAnchor(story.topicSlug))}`);
    return [
      '<li>',
      `<p class="meta"><a href="${topicHref}">${x(name)}</a></p>`,
      `<h3><a href="${relativeHref('', storyPath(story.storyId))}">${x(storyTitle(story))}</a></h3>`,
      ...(lines === null ? [] : [`<p>${x(lines)}</p>`]),
      '</li>',
    ].join('\n');
  });
  return `<ul class="stories">\n${items.join('\n')}\n</ul>`;
}

const timeHtml = (at: number): string => `<time datetime="${rfc3339(at)}">${readableDate(at)}</time>`;

/** The newest issue in full: its title, date, summary and every story's headline and first lines. */
function latestIssueHtml({ issue, stories }: FrontIssue): string {
  const x = escapeMarkup;
  const at = instantOf(issue.publishedAt, `issue '${issue.issueId}'`);
  const summary = visibleText(issue.summary, '').trim();
  return [
    '<section aria-labelledby="latest">',
    `<h2 id="latest"><span class="vh">Latest issue: </span><a href="${relativeHref('', issuePath(issue.issueId))}">${x(issueTitle(issue))}</a></h2>`,
    `<p class="meta-date">Latest issue · ${timeHtml(at)}</p>`,
    ...(summary === '' ? [] : [`<p class="lede">${x(summary)}</p>`]),
    storiesHtml(stories, true),
    '</section>',
  ].join('\n');
}

/** The issues before the newest: title, date and summary, and the way to every issue. */
function recentIssuesHtml(issues: readonly FrontIssue[]): string {
  const x = escapeMarkup;
  const items = issues.map(({ issue }) => {
    const at = instantOf(issue.publishedAt, `issue '${issue.issueId}'`);
    const summary = visibleText(issue.summary, '').trim();
    return [
      '<li>',
      `<h3><a href="${relativeHref('', issuePath(issue.issueId))}">${x(issueTitle(issue))}</a></h3>`,
      `<p>${timeHtml(at)}</p>`,
      ...(summary === '' ? [] : [`<p>${x(summary)}</p>`]),
      '</li>',
    ].join('\n');
  });
  return [
    '<section aria-labelledby="recent">',
    '<h2 id="recent">Recent issues</h2>',
    ...(items.length === 0 ? [] : [`<ul class="stories">\n${items.join('\n')}\n</ul>`]),
    `<p><a href="${relativeHref('', ISSUES_INDEX_PATH)}">All issues</a></p>`,
    '</section>',
  ].join('\n');
}

/** The topics as one compact list: each its name and count, leading to its page (or its section's anchor). */
function topicsHtml(topics: readonly TopicCount[], archive: boolean): string {
  const x = escapeMarkup;
  const items = orderTopics(topics, (entry) => entry.topic).map(({ topic, count, more }) => {
    const href = archive
      ? relativeHref('', topicPagePath(topic.slug))
      : relativeHref('', feedPath(topic.slug, 'atom'));
    const shown = `${count}${more ? '+' : ''}`;
    const noun = count === 1 && !more ? 'story' : 'stories';
    // The id keeps the feeds' home links (index.html#topic-<slug>) landing on their topic.
    return `<li id="${escapeAttribute(topicAnchor(topic.slug))}"><a href="${href}">${x(topicName(topic))} <span class="count">${shown}<span class="vh"> ${noun}</span></span></a></li>`;
  });
  return [
    '<section aria-labelledby="topics">',
    '<h2 id="topics">Topics</h2>',
    items.length === 0 ? '<p>No topics yet.</p>' : `<ul class="topics">\n${items.join('\n')}\n</ul>`,
    '</section>',
  ].join('\n');
}

/** One subscribe block: the all-stories feed in three formats with their URLs, the issue feed, OPML, mail. */
function subscribeHtml(config: SiteConfig, urls: SiteUrls, archive: boolean): string {
  const x = escapeMarkup;
  const feeds = FEED_FORMATS.map(
    (format) =>
      `<li><a href="${relativeHref('', feedPath(ALL_STORIES.slug, format))}" type="${FEED_MEDIA_TYPES[format]}">${FEED_FORMAT_LABELS[format]}</a> <code>${x(urls.feed(ALL_STORIES.slug, format))}</code></li>`,
  );
  return [
    '<section aria-labelledby="subscribe" class="feeds">',
    '<h2 id="subscribe">Subscribe</h2>',
    '<p>Every story, in your feed reader (copy a URL into it):</p>',
    `<ul>\n${feeds.join('\n')}\n</ul>`,
    ...(archive ? [`<p>Every issue as it was sent: ${issueSubscribeLinks('')}</p>`] : []),
    '<p>Each topic has its own feeds; <a href="feeds.opml" type="text/x-opml">all of them as OPML</a> to import at once.</p>',
    ...(config.mailIn === null
      ? []
      : [`<p>Editors mail digests in to <a href="mailto:${x(config.mailIn)}">${x(config.mailIn)}</a>.</p>`]),
    '</section>',
  ].join('\n');
}

/**
 * index.html, the front page of the newsletter: the publication and what it is; the latest issue first
 * with its stories (headline and first lines); the recent issues with date and summary, and a link to
 * all issues; the topics with their counts; one subscribe block. Without the archive (no issues), the
 * newest stories stand in for the latest issue. Autodiscovery links for every feed.
 * @throws InvalidStoryError for a story whose id, slug or time cannot be rendered.
 */
export function renderIndex(front: FrontPage, config: SiteConfig): SiteFile {
  const archive = front.issues !== null;
  const urls = new SiteUrls(config);
  const x = escapeMarkup;
  const [latest, ...recent] = front.issues ?? [];
  const lead =
    latest !== undefined
      ? latestIssueHtml(latest)
      : front.newest.length === 0
        ? '<p>No stories yet.</p>'
        : [
            '<section aria-labelledby="newest">',
            '<h2 id="newest">Newest stories</h2>',
            storiesHtml(front.newest, archive),
            '</section>',
          ].join('\n');
  const body = [
    '<main>',
    `<h1>${x(config.siteTitle)}</h1>`,
    `<p class="lede">${x(config.description)}</p>`,
    lead,
    ...(archive ? [recentIssuesHtml(recent)] : []),
    topicsHtml(front.topics, archive),
    subscribeHtml(config, urls, archive),
    '</main>',
  ].join('\n');
  const topics = [ALL_STORIES, ...front.topics.map((entry) => entry.topic)];
  return {
    path: 'index.html',
    body: htmlPage({
      config,
      path: 'index.html',
      title: config.siteTitle,
      description: config.description,
      canonical: urls.base,
      alternates: [
        ...orderTopics(topics, (topic) => topic).flatMap((topic) => feedAlternates(topic, urls)),
        ...(archive ? issueFeedAlternates(urls) : []),
      ],
      archive,
      body,
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL_LISTING,
  };
}
