import { instantOf, type Story } from '@feedwright/digest';
import { renderMonthArchive } from './archive.ts';
import { renderTopicMonthPage, renderTopicPage } from './archive-pages.ts';
import {
  type ArchiveRef,
  ISSUES_INDEX_PATH,
  issueMonthPath,
  issuePath,
  type Month,
  monthOf,
  newestMonthsFirst,
  topicMonthPath,
  topicPagePath,
} from './archive-paths.ts';
import type { SiteConfig } from './config.ts';

import { renderIssueFeeds, renderIssueMonthArchive } from './issue-feed.ts';
import { issueStories, renderIssueMonthPage, renderIssuePage, renderIssuesIndex } from './issue-pages.ts';
import { assertIssueRenderable, type Issue } from './issues.ts';
import type { SiteFile } from './site-file.ts';
import { renderSitemapIndex, renderSitemapMonth, renderSitemapPages } from './sitemap.ts';
import type { StoryNav } from './story-nav.ts';
import { renderStoryPage } from './story-page.ts';
import { renderTopicFeeds } from './topic-feeds.ts';
import type { TopicRef } from './topics.ts';
import { storyPath } from './urls.ts';

/** A topic (or all stories) and its live stories, newest first. */
export interface TopicStories {
  readonly topic: TopicRef;
  readonly stories: readonly Story[];
}

/** The archive's files for one topic: subscription feeds, archive documents, topic page and month pages. */
export function topicArchiveFiles(
  { topic, stories }: TopicStories,
  config: SiteConfig,
): { files: SiteFile[]; months: Month[] } {
  const byMonth = new Map<Month, Story[]>();
  for (const story of stories) {
    const month = monthOf(story.publishedAt, `story '${story.storyId}'`);
    const list = byMonth.get(month) ?? [];
    list.push(story);
    byMonth.set(month, list);
  }
  const months = newestMonthsFirst(byMonth.keys());
  const files: SiteFile[] = [];
  let older: ArchiveRef | null = null;
  // Oldest month first: each month links back to the newest document of the one before.
  for (let index = months.length - 1; index >= 0; index -= 1) {
    const month = months[index] as Month;
    const monthStories = byMonth.get(month) ?? [];
    const adjacent = { older: months[index + 1] ?? null, newer: months[index - 1] ?? null };
    const archive = renderMonthArchive(topic, month, monthStories, { older, newer: adjacent.newer }, config);
    files.push(...archive.files, renderTopicMonthPage(topic, month, monthStories, adjacent, config));
    older = archive.newest;
  }
  files.push(...renderTopicFeeds(topic, stories.slice(0, config.itemsPerFeed), config, older));
  files.push(
    renderTopicPage(topic, stories, earlierMonth(stories.slice(0, config.itemsPerFeed), months), config),
  );
  return { files, months };
}

/** The newest month (of `months`, newest first) older than every one of `shown` (newest first), or null. */
function earlierMonth(shown: readonly Story[], months: readonly Month[]): Month | null {
  const oldest = shown.at(-1);
  if (oldest === undefined) return null;
  const oldestMonth = monthOf(oldest.publishedAt, `story '${oldest.storyId}'`);
  return months.find((month) => month < oldestMonth) ?? null;
}

/** An issue shown on the site and the live stories it holds, in digest order. */
export interface ShownIssue {
  readonly issue: Issue;
  readonly stories: readonly Story[];
}

/**
 * Which issue shows which story: a story listed by several issues belongs to the newest (by time, then
 * id); an issue with no live story of its own is not shown. Resolves the shown issues oldest first and
 * each owned story's navigation (its issue and neighbours there). `byId` holds the live stories.
 */
export function arrangeIssues(
  byId: ReadonlyMap<string, Story>,
  issues: readonly Issue[],
): { shown: ShownIssue[]; nav: Map<string, StoryNav> } {
  const oldestFirst = issues
    .map((issue) => {
      assertIssueRenderable(issue);
      return { issue, at: instantOf(issue.publishedAt, `issue '${issue.issueId}'`) };
    })
    .sort((a, b) => a.at - b.at || (a.issue.issueId < b.issue.issueId ? -1 : 1));
  const issueOf = new Map<string, Issue>();
  for (const { issue } of oldestFirst)
    for (const id of issue.storyIds) if (byId.has(id)) issueOf.set(id, issue);
  const nav = new Map<string, StoryNav>();
  const shown: ShownIssue[] = [];
  for (const { issue } of oldestFirst) {
    const own = issueStories(issue, byId).filter((story) => issueOf.get(story.storyId) === issue);
    if (own.length === 0) continue;
    shown.push({ issue, stories: own });
    own.forEach((story, index) => {
      nav.set(story.storyId, { issue, previous: own[index - 1] ?? null, next: own[index + 1] ?? null });
    });
  }
  return { shown, nav };
}

/** A story page's navigation when it belongs to no shown issue. */
export const NO_ISSUE_NAV: StoryNav = { issue: null, previous: null, next: null };

/**
 * The issue pages, listings and feed, and each story's page with its navigation, for live stories
 * (newest first, one per id) and the issues that hold them (see `arrangeIssues`).
 */
export function issueArchiveFiles(
  stories: readonly Story[],
  issues: readonly Issue[],
  config: SiteConfig,
): {
  files: SiteFile[];
  storyPages: SiteFile[];
  issueMonths: Map<Month, Issue[]>;
  newestFirst: ShownIssue[];
} {
  const byId = new Map(stories.map((story) => [story.storyId, story]));
  const { shown, nav } = arrangeIssues(byId, issues);
  const files = shown.map(({ issue, stories: own }) => renderIssuePage(issue, own, config));
  const newestFirst = [...shown].reverse();
  const issueMonths = new Map<Month, Issue[]>();
  for (const { issue } of newestFirst) {
    const month = monthOf(issue.publishedAt, `issue '${issue.issueId}'`);
    issueMonths.set(month, [...(issueMonths.get(month) ?? []), issue]);
  }
  const months = newestMonthsFirst(issueMonths.keys());
  months.forEach((month, index) => {
    const adjacent = { older: months[index + 1] ?? null, newer: months[index - 1] ?? null };
    files.push(renderIssueMonthPage(month, issueMonths.get(month) ?? [], adjacent, config));
  });
  // The issue feed's archive, oldest month first: each month links back to the newest document of the one before.
  const shownByMonth = new Map<Month, ShownIssue[]>();
  for (const entry of shown) {
    const month = monthOf(entry.issue.publishedAt, `issue '${entry.issue.issueId}'`);
    shownByMonth.set(month, [...(shownByMonth.get(month) ?? []), entry]);
  }
  let older: ArchiveRef | null = null;
  for (let index = months.length - 1; index >= 0; index -= 1) {
    const month = months[index] as Month;
    const archive = renderIssueMonthArchive(
      month,
      shownByMonth.get(month) ?? [],
      { older, newer: months[index - 1] ?? null },
      config,
    );
    files.push(...archive.files);
    older = archive.newest;
  }
  files.push(...issueListingFiles(newestFirst, months, config, older));
  const storyPages = stories.map((story) =>
    renderStoryPage(story, config, nav.get(story.storyId) ?? NO_ISSUE_NAV),
  );
  return { files, storyPages, issueMonths, newestFirst };
}

/**
 * issues/index.html and the issue feed from the newest shown issues (newest first; at least the feed
 * length of them when there are that many) and the months with a shown issue, newest first (at least
 * down to the first one older than every issue the listing shows).
 */
export function issueListingFiles(
  newestFirst: readonly ShownIssue[],
  months: readonly Month[],
  config: SiteConfig,
  newestArchive: ArchiveRef | null = null,
): SiteFile[] {
  const shownIssues = newestFirst.slice(0, config.itemsPerFeed).map((entry) => entry.issue);
  const oldestShown = shownIssues.at(-1);
  const oldestMonth =
    oldestShown === undefined ? null : monthOf(oldestShown.publishedAt, `issue '${oldestShown.issueId}'`);
  const earlier = months.find((month) => oldestMonth !== null && month < oldestMonth) ?? null;
  return [
    renderIssuesIndex(shownIssues, earlier, config),
    ...renderIssueFeeds(newestFirst, config, newestArchive),
  ];
}

/** sitemap.xml and its parts: one for the pages of no month, one per UTC month. */
export function sitemapFiles(
  stories: readonly Story[],
  topics: readonly { readonly slug: string; readonly months: readonly Month[] }[],
  issueMonths: ReadonlyMap<Month, readonly Issue[]>,
  config: SiteConfig,
): SiteFile[] {
  const byMonth = new Map<Month, string[]>();
  const add = (month: Month, path: string): void => {
    const list = byMonth.get(month) ?? [];
    list.push(path);
    byMonth.set(month, list);
  };
  for (const story of stories)
    add(monthOf(story.publishedAt, `story '${story.storyId}'`), storyPath(story.storyId));
  for (const { slug, months } of topics) for (const month of months) add(month, topicMonthPath(slug, month));
  for (const [month, issues] of issueMonths) {
    add(month, issueMonthPath(month));
    for (const issue of issues) add(month, issuePath(issue.issueId));
  }
  const pages = ['index.html', ISSUES_INDEX_PATH, ...topics.map(({ slug }) => topicPagePath(slug))];
  return [
    renderSitemapIndex([...byMonth.keys()], config),
    renderSitemapPages(pages, config),
    ...[...byMonth].map(([month, paths]) => renderSitemapMonth(month, paths, config)),
  ];
}
