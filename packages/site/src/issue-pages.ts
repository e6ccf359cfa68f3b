import { assertRenderable, instantOf, type Story } from '@feedwright/digest';
import { type AdjacentMonths, listingMonthsHtml, monthName, monthNavHtml } from './archive-pages.ts';
import {
  CACHE_CONTROL_ARCHIVE,
  ISSUES_INDEX_PATH,
  issueMonthPath,
  issuePath,
  type Month,
  monthOf,
  topicPagePath,
} from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { readableDate, rfc3339 } from './dates.ts';
import { assertIssueRenderable, type Issue, issueTitle } from './issues.ts';
import { relativeHref } from './page-links.ts';
import { type AlternateLink, htmlPage } from './page-shell.ts';
import { CACHE_CONTROL_LISTING, CACHE_CONTROL_STORY, CONTENT_TYPES, type SiteFile } from './site-file.ts';
import { storySummary } from './story-html.ts';
import { escapeMarkup, visibleText } from './text.ts';
import { storyTitle, topicName } from './topics.ts';
import {
  FEED_FILE_NAMES,
  FEED_FORMAT_LABELS,
  FEED_FORMATS,
  FEED_MEDIA_TYPES,
  SiteUrls,
  storyPath,
} from './urls.ts';

/** The issue feed's files, under issues/. */
export const issueFeedPath = (format: (typeof FEED_FORMATS)[number]): string =>
  `issues/${FEED_FILE_NAMES[format]}`;

/** Autodiscovery of the issue feed. */
export function issueFeedAlternates(urls: SiteUrls): AlternateLink[] {
  return FEED_FORMATS.map((format) => ({
    type: FEED_MEDIA_TYPES[format],
    title: `Issues (${FEED_FORMAT_LABELS[format]})`,
    href: urls.url(issueFeedPath(format)),
  }));
}

/** "RSS · Atom · JSON Feed" links to the issue feed from a page `prefix` deep. */
export function issueSubscribeLinks(prefix: string): string {
  return FEED_FORMATS.map(
    (format) =>
      `<a href="${relativeHref(prefix, issueFeedPath(format))}" type="${FEED_MEDIA_TYPES[format]}">${FEED_FORMAT_LABELS[format]}</a>`,
  ).join(' · ');
}

/** An issue's live stories in digest order (position, then id). */
export function issueStories(issue: Issue, stories: ReadonlyMap<string, Story>): Story[] {
  const order = new Map(issue.storyIds.map((id, index) => [id, index]));
  return issue.storyIds
    .map((id) => stories.get(id))
    .filter((story): story is Story => story !== undefined)
    .sort((a, b) => a.position - b.position || (order.get(a.storyId) ?? 0) - (order.get(b.storyId) ?? 0));
}

/**
 * issues/<issueId>.html: one digest as its readers got it: its title, summary and every story in digest
 * order, each headline linking to the story's page, with its topic and first paragraph.
 */
export function renderIssuePage(issue: Issue, stories: readonly Story[], config: SiteConfig): SiteFile {
  assertIssueRenderable(issue);
  const urls = new SiteUrls(config);
  const prefix = '../';
  const x = escapeMarkup;
  const at = instantOf(issue.publishedAt, `issue '${issue.issueId}'`);
  const title = issueTitle(issue);
  const items = stories.map((story) => {
    assertRenderable(story);
    const summary = storySummary(story);
    const topic = topicName({ slug: story.topicSlug, name: story.topic });
    return [
      '<li>',
      `<p class="meta"><a href="${relativeHref(prefix, topicPagePath(story.topicSlug))}">${x(topic)}</a></p>`,
      `<p><a href="${relativeHref(prefix, storyPath(story.storyId))}"><strong>${x(storyTitle(story))}</strong></a></p>`,
      ...(summary === null ? [] : [`<p>${x(summary)}</p>`]),
      '</li>',
    ].join('\n');
  });
  const summary = visibleText(issue.summary, '');
  const body = [
    '<main>',
    '<article>',
    `<p class="meta"><time datetime="${rfc3339(at)}">${readableDate(at)}</time> · <a href="${relativeHref(prefix, issueMonthPath(new Date(at).toISOString().slice(0, 7)))}">${monthName(new Date(at).toISOString().slice(0, 7))}</a></p>`,
    `<h1>${x(title)}</h1>`,
    ...(summary.trim() === '' ? [] : [`<p>${x(summary)}</p>`]),
    stories.length === 0 ? '<p>No story of this issue is online.</p>' : `<ol>\n${items.join('\n')}\n</ol>`,
    '</article>',
    '</main>',
    `<footer><p class="subscribe">Every issue: ${issueSubscribeLinks(prefix)}</p></footer>`,
  ].join('\n');
  return {
    path: issuePath(issue.issueId),
    body: htmlPage({
      config,
      path: issuePath(issue.issueId),
      title: `${title} · ${config.siteTitle}`,
      description: summary.trim() === '' ? null : summary,
      canonical: urls.url(issuePath(issue.issueId)),
      alternates: issueFeedAlternates(urls),
      body,
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL_STORY,
  };
}

/** A list of issues (newest first, as given): title linking to its page, date and summary. */
function issueListHtml(issues: readonly Issue[], prefix: string): string {
  if (issues.length === 0) return '<p>No issues yet.</p>';
  const items = issues.map((issue) => {
    assertIssueRenderable(issue);
    const at = instantOf(issue.publishedAt, `issue '${issue.issueId}'`);
    return `<li><a href="${relativeHref(prefix, issuePath(issue.issueId))}">${escapeMarkup(issueTitle(issue))}</a> <time datetime="${rfc3339(at)}">${readableDate(at)}</time></li>`;
  });
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

/**
 * issues/index.html: the newest issues (up to the feed length), their months and the month before them
 * (`earlier`: the newest month older than every issue shown, or null).
 */
export function renderIssuesIndex(
  newest: readonly Issue[],
  earlier: Month | null,
  config: SiteConfig,
): SiteFile {
  const shown = newest.slice(0, config.itemsPerFeed);
  const shownMonths = shown.map((issue) => monthOf(issue.publishedAt, `issue '${issue.issueId}'`));
  const urls = new SiteUrls(config);
  const prefix = '../';
  const body = [
    '<main>',
    '<h1>Issues</h1>',
    `<p class="subscribe">Every issue as it was sent: ${issueSubscribeLinks(prefix)}</p>`,
    '<section aria-labelledby="newest">',
    '<h2 id="newest">Newest issues</h2>',
    issueListHtml(shown, prefix),
    '</section>',
    '<section aria-labelledby="months">',
    '<h2 id="months">By month</h2>',
    listingMonthsHtml(shownMonths, earlier, issueMonthPath, prefix),
    '</section>',
    '</main>',
  ].join('\n');
  return {
    path: ISSUES_INDEX_PATH,
    body: htmlPage({
      config,
      path: ISSUES_INDEX_PATH,
      title: `Issues · ${config.siteTitle}`,
      description: `Every issue of ${config.siteTitle}.`,
      canonical: urls.url(ISSUES_INDEX_PATH),
      alternates: issueFeedAlternates(urls),
      body,
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL_LISTING,
  };
}

/** issues/<yyyy-mm>.html: the issues of one UTC month, newest first. */
export function renderIssueMonthPage(
  month: Month,
  issues: readonly Issue[],
  adjacent: AdjacentMonths,
  config: SiteConfig,
): SiteFile {
  const urls = new SiteUrls(config);
  const prefix = '../';
  const body = [
    '<main>',
    `<h1>Issues: ${monthName(month)}</h1>`,
    `<p><a href="${relativeHref(prefix, ISSUES_INDEX_PATH)}">All issues</a></p>`,
    issueListHtml(issues, prefix),
    monthNavHtml(adjacent, issueMonthPath, prefix, 'Issues by month'),
    '</main>',
  ]
    .filter((line) => line !== '')
    .join('\n');
  return {
    path: issueMonthPath(month),
    body: htmlPage({
      config,
      path: issueMonthPath(month),
      title: `Issues, ${monthName(month)} · ${config.siteTitle}`,
      description: `The issues of ${config.siteTitle} in ${monthName(month)}.`,
      canonical: urls.url(issueMonthPath(month)),
      alternates: issueFeedAlternates(urls),
      body,
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: adjacent.newer === null ? CACHE_CONTROL_LISTING : CACHE_CONTROL_ARCHIVE,
  };
}
