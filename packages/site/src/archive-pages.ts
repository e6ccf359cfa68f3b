import { assertRenderable, type Story } from '@feedwright/digest';
import {
  CACHE_CONTROL_ARCHIVE,
  digestInstantOf,
  type Month,
  monthOf,
  newestMonthsFirst,
  topicMonthPath,
  topicPagePath,
} from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { MONTH_NAMES, readableDate, rfc3339 } from './dates.ts';
import { relativeHref } from './page-links.ts';
import { htmlPage } from './page-shell.ts';
import { CACHE_CONTROL_LISTING, CONTENT_TYPES, type SiteFile } from './site-file.ts';
import { feedAlternates, subscribeLinks } from './story-page.ts';
import { escapeAttribute, escapeMarkup } from './text.ts';
import { ALL_STORIES, sortNewestFirst, storyTitle, type TopicRef, topicName } from './topics.ts';
import { SiteUrls, storyPath } from './urls.ts';

/** 'about <topic> ' in a description, or nothing for all stories. */
const about = (topic: TopicRef, name: string): string =>
  topic.slug === ALL_STORIES.slug ? '' : `about ${name} `;

/** '2020-12' → 'December 2020'. */
export function monthName(month: Month): string {
  const [year = '', number = '1'] = month.split('-');
  return `${MONTH_NAMES[Number(number) - 1] ?? number} ${year}`;
}

/** A list of stories (newest first, as given), each its headline linking to its page and its time. */
function storyListHtml(stories: readonly Story[], prefix: string): string {
  if (stories.length === 0) return '<p>No stories yet.</p>';
  const items = stories.map((story) => {
    assertRenderable(story);
    const at = digestInstantOf(story, `story '${story.storyId}'`);
    return `<li><a href="${relativeHref(prefix, storyPath(story.storyId))}">${escapeMarkup(storyTitle(story))}</a> <time datetime="${rfc3339(at)}">${readableDate(at)}</time></li>`;
  });
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

/** Links to months, newest first, or a line saying there are none. */
function monthListHtml(months: readonly Month[], pathOf: (month: Month) => string, prefix: string): string {
  if (months.length === 0) return '<p>No months yet.</p>';
  const items = months.map(
    (month) => `<li><a href="${relativeHref(prefix, pathOf(month))}">${monthName(month)}</a></li>`,
  );
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

/**
 * The months a listing page links: those of the items it shows (newest first), then the newest month
 * before them, from which the month pages chain on to older ones. Bounded by the page's length, never by
 * the archive's, so a render needs no list of every month.
 */
export function listingMonthsHtml(
  shownMonths: readonly Month[],
  earlier: Month | null,
  pathOf: (month: Month) => string,
  prefix: string,
): string {
  const recent = monthListHtml(newestMonthsFirst(shownMonths), pathOf, prefix);
  if (earlier === null) return recent;
  return `${recent}\n<p>Earlier: <a href="${relativeHref(prefix, pathOf(earlier))}">${monthName(earlier)}</a></p>`;
}

/**
 * topics/<slug>/index.html: a topic's (or all stories') newest stories, up to the feed length, its
 * subscribe links, the months of those stories and the month before them (`earlier`: the newest month
 * older than every story shown, or null).
 */
export function renderTopicPage(
  topic: TopicRef,
  stories: readonly Story[],
  earlier: Month | null,
  config: SiteConfig,
): SiteFile {
  const urls = new SiteUrls(config);
  const prefix = '../../';
  const name = topicName(topic);
  const x = escapeMarkup;
  const newest = sortNewestFirst(stories).slice(0, config.itemsPerFeed);
  const shownMonths = newest.map((story) => monthOf(story.publishedAt, `story '${story.storyId}'`));
  const body = [
    '<main>',
    `<h1>${x(name)}</h1>`,
    `<p class="subscribe">Subscribe: ${subscribeLinks(topic.slug, prefix)}</p>`,
    '<section aria-labelledby="newest">',
    '<h2 id="newest">Newest stories</h2>',
    storyListHtml(newest, prefix),
    '</section>',
    '<section aria-labelledby="months">',
    '<h2 id="months">By month</h2>',
    listingMonthsHtml(shownMonths, earlier, (month) => topicMonthPath(topic.slug, month), prefix),
    '</section>',
    '</main>',
  ].join('\n');
  return {
    path: topicPagePath(topic.slug),
    body: htmlPage({
      config,
      path: topicPagePath(topic.slug),
      title: `${name} · ${config.siteTitle}`,
      description: `The newest stories ${about(topic, name)}from ${config.siteTitle}, and every month of them.`,
      canonical: urls.url(topicPagePath(topic.slug)),
      alternates: feedAlternates(topic, urls),
      body,
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL_LISTING,
  };
}

/** The months next to one month that have stories (or issues), for "older" and "newer" links. */
export interface AdjacentMonths {
  readonly older: Month | null;
  readonly newer: Month | null;
}

/** "← older month · newer month →" links, as a nav, or '' when neither exists. */
export function monthNavHtml(
  adjacent: AdjacentMonths,
  pathOf: (month: Month) => string,
  prefix: string,
  label: string,
): string {
  const links: string[] = [];
  if (adjacent.older !== null) {
    links.push(
      `<a href="${relativeHref(prefix, pathOf(adjacent.older))}" rel="prev">Older: ${monthName(adjacent.older)}</a>`,
    );
  }
  if (adjacent.newer !== null) {
    links.push(
      `<a href="${relativeHref(prefix, pathOf(adjacent.newer))}" rel="next">Newer: ${monthName(adjacent.newer)}</a>`,
    );
  }
  return links.length === 0
    ? ''
    : `<nav aria-label="${escapeAttribute(label)}"><p>${links.join(' · ')}</p></nav>`;
}

/** topics/<slug>/<yyyy-mm>.html: every story of a topic in one UTC month, newest first. */
export function renderTopicMonthPage(
  topic: TopicRef,
  month: Month,
  stories: readonly Story[],
  adjacent: AdjacentMonths,
  config: SiteConfig,
): SiteFile {
  const urls = new SiteUrls(config);
  const prefix = '../../';
  const name = topicName(topic);
  const x = escapeMarkup;
  const body = [
    '<main>',
    `<h1>${x(name)}: ${monthName(month)}</h1>`,
    `<p><a href="${relativeHref(prefix, topicPagePath(topic.slug))}">All of ${x(name)}</a></p>`,
    storyListHtml(sortNewestFirst(stories), prefix),
    monthNavHtml(adjacent, (other) => topicMonthPath(topic.slug, other), prefix, `${name} by month`),
    '</main>',
  ]
    .filter((line) => line !== '')
    .join('\n');
  return {
    path: topicMonthPath(topic.slug, month),
    body: htmlPage({
      config,
      path: topicMonthPath(topic.slug, month),
      title: `${name}, ${monthName(month)} · ${config.siteTitle}`,
      description: `Every story ${about(topic, name)}from ${config.siteTitle} in ${monthName(month)}.`,
      canonical: urls.url(topicMonthPath(topic.slug, month)),
      alternates: feedAlternates(topic, urls),
      body,
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: adjacent.newer === null ? CACHE_CONTROL_LISTING : CACHE_CONTROL_ARCHIVE,
  };
}
