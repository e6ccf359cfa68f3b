import { instantOf, type Story } from '@feedwright/digest';
import { type MonthArchive, type MonthNeighbours, renderArchiveMonth } from './archive.ts';
import {
  type ArchiveRef,
  ISSUES_INDEX_PATH,
  issueArchivePath,
  issuePath,
  type Month,
} from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { rfc822, rfc3339 } from './dates.ts';
import { type ArchiveUrls, type FeedEntry, type FeedModel, feedModel } from './feed-model.ts';
import { issueFeedPath } from './issue-pages.ts';
import { type Issue, issueTitle } from './issues.ts';
import type { SiteFile } from './site-file.ts';
import { storyBodyHtml } from './story-html.ts';
import { cleanText, escapeAttribute, escapeCleanText, visibleText } from './text.ts';
import { feedFilesWithinBudget } from './topic-feeds.ts';
import { storyTitle, topicName } from './topics.ts';
import { SiteUrls } from './urls.ts';

/** The category every issue entry carries: the issue feed is one "topic" of its own. */
const ISSUE_CATEGORY = { term: 'issues', label: 'Issues' } as const;

/**
 * The whole issue as HTML, the way the newsletter reads: its summary, then each story in digest order
 * under its topic and headline (linking to the story's page), with its full text. Every text escaped.
 */
function issueHtml(issue: Issue, stories: readonly Story[], urls: SiteUrls): string {
  const x = escapeCleanText;
  const parts: string[] = [];
  const summary = cleanText(issue.summary).trim();
  if (summary !== '') parts.push(`<p>${x(summary)}</p>`);
  for (const story of stories) {
    const topic = topicName({ slug: story.topicSlug, name: story.topic });
    parts.push(
      `<h2><a href="${escapeAttribute(urls.story(story.storyId))}">${x(storyTitle(story))}</a></h2>`,
      `<p><em>${x(topic)}</em></p>`,
    );
    const body = storyBodyHtml(story);
    if (body !== null) parts.push(body);
  }
  return parts.join('\n');
}

/** The feed entry of one issue: its id, its page, its title and summary, and the whole issue as HTML. */
function issueEntry(issue: Issue, stories: readonly Story[], urls: SiteUrls): FeedEntry {
  const at = instantOf(issue.publishedAt, `issue '${issue.issueId}'`);
  const summary = visibleText(issue.summary, '').trim();
  const content = issueHtml(issue, stories, urls);
  return {
    id: urls.entryId('issue', issue.issueId, issuePath(issue.issueId)),
    url: urls.url(issuePath(issue.issueId)),
    title: issueTitle(issue),
    published: rfc3339(at),
    publishedRfc822: rfc822(at),
    // An issue is dated by its digest; a corrected story shows its correction on its own entry.
    updated: rfc3339(at),
    updatedRfc822: rfc822(at),
    corrected: false,
    summary: summary === '' ? null : summary,
    contentHtml: content === '' ? null : content,
    category: ISSUE_CATEGORY,
  };
}

/** The issue feed's model over some entries (newest first). */
function issueFeedModel(config: SiteConfig, urls: SiteUrls): (selected: readonly FeedEntry[]) => FeedModel {
  const base = feedModel({ slug: 'issues', name: 'Issues' }, [], config, urls);
  return (selected) => ({
    ...base,
    id: urls.entryId('issue-feed', 'all', issueFeedPath('atom')).value,
    title: `${config.siteTitle}: Issues`,
    description: `Every issue of ${config.siteTitle}, as it was sent.`,
    homeUrl: urls.url(ISSUES_INDEX_PATH),
    selfUrls: {
      rss: urls.url(issueFeedPath('rss')),
      atom: urls.url(issueFeedPath('atom')),
      json: urls.url(issueFeedPath('json')),
    },
    updated: selected[0]?.published ?? null,
    updatedRfc822: selected[0]?.publishedRfc822 ?? null,
    entries: selected,
  });
}

const byTimeThenId = (a: { at: number; issue: Issue }, b: { at: number; issue: Issue }): number =>
  a.at - b.at || (a.issue.issueId < b.issue.issueId ? -1 : a.issue.issueId > b.issue.issueId ? 1 : 0);

/**
 * issues/rss.xml, atom.xml and feed.json: one entry per digest, newest first, each the whole issue as
 * HTML; at most `itemsPerFeed` entries and within `maxFeedBytes` (the oldest dropped to fit; an issue
 * too large alone is kept as its headline and summary). `issues` may come in any order. With
 * `newestArchive`, the feeds link it (RFC 5005 `prev-archive`, JSON Feed `next_url`), so that walking
 * back from the feed reaches every issue.
 */
export function renderIssueFeeds(
  issues: readonly { readonly issue: Issue; readonly stories: readonly Story[] }[],
  config: SiteConfig,
  newestArchive: ArchiveRef | null = null,
): SiteFile[] {
  const urls = new SiteUrls(config);
  const newest = [...issues]
    .map((entry) => ({ ...entry, at: instantOf(entry.issue.publishedAt, `issue '${entry.issue.issueId}'`) }))
    .sort(
      (a, b) =>
        b.at - a.at || (a.issue.issueId < b.issue.issueId ? -1 : a.issue.issueId > b.issue.issueId ? 1 : 0),
    )
    .slice(0, config.itemsPerFeed);
  const entries = newest.map(({ issue, stories }) => issueEntry(issue, stories, urls));
  const modelOf = issueFeedModel(config, urls);
  const history = newestArchive === null ? undefined : { prevArchive: issueArchiveUrls(newestArchive, urls) };
  return feedFilesWithinBudget(
    entries,
    (selected) => ({ ...modelOf(selected), ...(history === undefined ? {} : { history }) }),
    issueFeedPath,
    config,
  );
}

const issueArchiveUrls = (ref: ArchiveRef, urls: SiteUrls): ArchiveUrls => ({
  atom: urls.url(issueArchivePath(ref, 'atom')),
  json: urls.url(issueArchivePath(ref, 'json')),
});

/**
 * issues/archive/<yyyy-mm>.{xml,json}: the issue feed's RFC 5005 archive documents and JSON Feed pages
 * for the issues of one UTC month (any order), chained to the neighbour months' as a topic's are (see
 * `renderMonthArchive`): split into parts within the byte budget, filled from the oldest issue.
 */
export function renderIssueMonthArchive(
  month: Month,
  issues: readonly { readonly issue: Issue; readonly stories: readonly Story[] }[],
  neighbours: MonthNeighbours,
  config: SiteConfig,
): MonthArchive {
  const urls = new SiteUrls(config);
  const oldestFirst = [...issues]
    .map((entry) => ({ ...entry, at: instantOf(entry.issue.publishedAt, `issue '${entry.issue.issueId}'`) }))
    .sort(byTimeThenId)
    .map(({ issue, stories }) => issueEntry(issue, stories, urls));
  return renderArchiveMonth(
    {
      month,
      oldestFirst,
      modelOf: issueFeedModel(config, urls),
      current: { atom: urls.url(issueFeedPath('atom')), json: urls.url(issueFeedPath('json')) },
      rssUrl: urls.url(issueFeedPath('rss')),
      pathOf: issueArchivePath,
    },
    neighbours,
    config,
  );
}
