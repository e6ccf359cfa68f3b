import { assertRenderable, InvalidStoryError, type Story } from '@feedwright/digest';
import {
  issueArchiveFiles,
  type ShownIssue,
  sitemapFiles,
  type TopicStories,
  topicArchiveFiles,
} from './build-archive.ts';
import type { SiteConfig } from './config.ts';
import { defaultIconFiles } from './identity.ts';
import { FRONT_PAGE_STORIES, frontIssues, renderIndex, topicCount } from './index-page.ts';
import type { Issue } from './issues.ts';
import { renderOpml } from './opml.ts';
import type { SiteFile } from './site-file.ts';
import { renderStoryPage } from './story-page.ts';
import { renderTopicFeeds } from './topic-feeds.ts';
import { ALL_STORIES, sortNewestFirst, type TopicRef } from './topics.ts';

/**
 * The whole site from a set of stories, as `feedwright build` writes it: feeds for every topic and for
 * all stories, a page per story, index.html and feeds.opml, sorted by path. Deterministic: the same
 * stories in any order give the same files. If a storyId occurs twice, the newer copy wins. A topic's
 * name is the one its newest story gives. With `options.issues`, the archive too (see BuildSiteOptions).
 * @throws InvalidStoryError for a story that cannot be rendered, or a topic using the reserved slug 'all'.
 */
export function buildSite(
  stories: readonly Story[],
  config: SiteConfig,
  options: BuildSiteOptions = {},
): SiteFile[] {
  const unique = newestCopies(stories);
  const byTopic = new Map<string, { topic: TopicRef; stories: Story[] }>();
  for (const story of unique) {
    assertRenderable(story);
    if (story.topicSlug === ALL_STORIES.slug) {
      throw new InvalidStoryError(
        `story '${story.storyId}': topic slug 'all' is reserved for the all-stories feed`,
      );
    }
    const group = byTopic.get(story.topicSlug);
    if (group === undefined) {
      byTopic.set(story.topicSlug, { topic: { slug: story.topicSlug, name: story.topic }, stories: [story] });
    } else {
      group.stories.push(story);
    }
  }

  const topics = [...byTopic.values()].map(({ topic, stories: topicStories }) =>
    topicCount(topic, topicStories.length, config),
  );
  const { files, shown } =
    options.issues === undefined
      ? { files: plainFiles(unique, byTopic.values(), config), shown: null }
      : archiveFiles(unique, byTopic.values(), options.issues, config);
  files.push(
    renderIndex(
      {
        issues: shown === null ? null : frontIssues(shown, config),
        newest: unique.slice(0, FRONT_PAGE_STORIES),
        topics,
      },
      config,
    ),
  );
  files.push(
    renderOpml(
      topics.map((entry) => entry.topic),
      config,
      { archive: options.issues !== undefined },
    ),
    ...defaultIconFiles(config),
  );
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** How much of the site to build. */
export interface BuildSiteOptions {
  /**
   * The digests the stories came from (see `assignIssueIds`). Given, the site has its archive: topic and
   * month pages, issue pages, listings and feed, RFC 5005 archive documents, JSON Feed pages and the
   * sitemap, and story pages link their topic page, issue and neighbours.
   * @default undefined (no archive)
   */
  readonly issues?: readonly Issue[];
}

/** Feeds and story pages without the archive. */
function plainFiles(
  unique: readonly Story[],
  topics: Iterable<TopicStories>,
  config: SiteConfig,
): SiteFile[] {
  const files = [...renderTopicFeeds(ALL_STORIES, unique.slice(0, config.itemsPerFeed), config)];
  for (const { topic, stories } of topics) {
    files.push(...renderTopicFeeds(topic, stories.slice(0, config.itemsPerFeed), config));
  }
  for (const story of unique) files.push(renderStoryPage(story, config));
  return files;
}

/** Feeds, story pages, and the whole archive; and the shown issues, newest first. */
function archiveFiles(
  unique: readonly Story[],
  topics: Iterable<TopicStories>,
  issues: readonly Issue[],
  config: SiteConfig,
): { files: SiteFile[]; shown: ShownIssue[] } {
  const files: SiteFile[] = [];
  const topicMonths: { slug: string; months: string[] }[] = [];
  for (const entry of [{ topic: ALL_STORIES, stories: unique }, ...topics]) {
    const { files: topicFiles, months } = topicArchiveFiles(entry, config);
    files.push(...topicFiles);
    topicMonths.push({ slug: entry.topic.slug, months });
  }
  const {
    files: issueFiles,
    storyPages,
    issueMonths,
    newestFirst,
  } = issueArchiveFiles(unique, issues, config);
  files.push(...issueFiles, ...storyPages, ...sitemapFiles(unique, topicMonths, issueMonths, config));
  return { files, shown: newestFirst };
}

/** Newest first, one story per storyId. */
function newestCopies(stories: readonly Story[]): Story[] {
  const seen = new Set<string>();
  return sortNewestFirst(stories).filter((story) => {
    if (seen.has(story.storyId)) return false;
    seen.add(story.storyId);
    return true;
  });
}
