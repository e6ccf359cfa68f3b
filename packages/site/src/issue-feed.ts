import { instantOf, type Story } from '@feedwright/digest';
import { ISSUES_INDEX_PATH, issuePath } from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { rfc822, rfc3339 } from './dates.ts';
import { type FeedEntry, type FeedModel, feedModel } from './feed-model.ts';
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

/**
 * issues/rss.xml, atom.xml and feed.json: one entry per digest, newest first, each the whole issue as
 * HTML; at most `itemsPerFeed` entries and within `maxFeedBytes` (the oldest dropped to fit; an issue
 * too large alone is kept as its headline and summary). `issues` may come in any order.
 */
export function renderIssueFeeds(
  issues: readonly { readonly issue: Issue; readonly stories: readonly Story[] }[],
  config: SiteConfig,
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
  const base = feedModel({ slug: 'issues', name: 'Issues' }, [], config, urls);
  const modelOf = (selected: readonly FeedEntry[]): FeedModel => ({
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
  return feedFilesWithinBudget(entries, modelOf, issueFeedPath, config);
}
