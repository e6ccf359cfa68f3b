import type { Story } from '@feedwright/digest';
import { ALL_TOPICS_SLUG } from '@feedwright/digest';
import {
  type ArchiveRef,
  archivePath,
  ISSUES_INDEX_PATH,
  issueMonthPath,
  issuePath,
  type Month,
  monthOf,
  renderMonthArchive,
  renderSitemapIndex,
  renderSitemapMonth,
  renderSitemapPages,
  renderTopicMonthPage,
  renderTopicPage,
  SITEMAP_PATH,
  type SiteConfig,
  type SiteFile,
  sitemapMonthPath,
  sortNewestFirst,
  storyPath,
  type TopicRef,
  topicMonthPath,
  topicPagePath,
} from '@feedwright/site';
import { type ArchiveContext, indexedAdjacentMonths } from './archive-context.ts';
import { Listed } from './listed.ts';
import { shownIssuesOf } from './render-issues.ts';

/**
 * Every live story of a topic in one month, newest first: ONE ranged Query of the index (shared by the
 * batch), patched with the touched stories' current state, which the eventually consistent index may
 * not show yet.
 */
async function monthStories(slug: string, month: Month, context: ArchiveContext): Promise<Story[]> {
  const key = `${slug}/${month}`;
  let query = context.months.get(key);
  if (query === undefined) {
    query = context.archive.storiesOfMonth(slug, month);
    context.months.set(key, query);
  }
  const untouched = (await query).filter((story) => !context.touchedIds.has(story.storyId));
  const touched = [...context.current.values()].filter(
    (story) => inTopic(story, slug) && monthOf(story.publishedAt, `story '${story.storyId}'`) === month,
  );
  return sortNewestFirst([...untouched, ...touched]);
}

/**
 * The nearest older and newer months with a live story of the topic: two one-item Queries, widened by
 * the months of the touched stories (which the index may not show yet).
 */
async function adjacentMonths(
  slug: string,
  month: Month,
  context: ArchiveContext,
): Promise<{ older: Month | null; newer: Month | null }> {
  let { older, newer } = await indexedAdjacentMonths(slug, month, context);
  for (const story of context.current.values()) {
    if (!inTopic(story, slug)) continue;
    const other = monthOf(story.publishedAt, `story '${story.storyId}'`);
    if (other < month && (older === null || other > older)) older = other;
    if (other > month && (newer === null || other < newer)) newer = other;
  }
  return { older, newer };
}

/** The newest archive document of a month (its last part), or null when the month has no story. */
async function newestRef(
  topic: TopicRef,
  month: Month | null,
  context: ArchiveContext,
): Promise<ArchiveRef | null> {
  if (month === null) return null;
  const stories = await monthStories(topic.slug, month, context);
  if (stories.length === 0) return null;
  // The parts depend only on the month's stories: the links are left out.
  const { parts } = renderMonthArchive(topic, month, stories, { older: null, newer: null }, context.config);
  return { month, part: parts };
}

/** The archive document the subscription feeds of a topic link as `prev-archive` (newest first stories). */
export function feedArchiveRef(
  topic: TopicRef,
  newest: readonly Story[],
  context: ArchiveContext,
): Promise<ArchiveRef | null> {
  const first = newest[0];
  return newestRef(topic, first === undefined ? null : monthOf(first.publishedAt, 'story'), context);
}

/** topics/<slug>/index.html from the topic's newest stories (up to the feed length, newest first). */
export async function topicPage(
  topic: TopicRef,
  newest: readonly Story[],
  context: ArchiveContext,
): Promise<SiteFile> {
  const oldest = newest.at(-1);
  const earlier =
    oldest === undefined
      ? null
      : (await adjacentMonths(topic.slug, monthOf(oldest.publishedAt, 'story'), context)).older;
  return renderTopicPage(topic, newest, earlier, context.config);
}

/**
 * A topic's documents and page of one month, from ONE ranged Query of that month (plus the neighbour
 * months' Queries for the links) and ONE listing of the month's documents (which parts there are): written when changed, removed
 * (every part) when the month has no story left, and parts the month no longer needs removed. Rewrites
 * no other month. Resolves whether the neighbours' links to it changed: the month gained its first
 * story, lost its last, or changed its number of parts (its newest part is what the newer month links).
 */
/** What rendering a month did: whether its neighbours' links to it changed, and the links it got. */
interface RenderedMonth {
  /** It gained its first story, lost its last, or changed its number of parts. */
  readonly moved: boolean;
  /** It has no story left (its documents and page are gone). */
  readonly emptied: boolean;
  /** The nearest newer month it links (null: none, or emptied). */
  readonly newer: Month | null;
}

async function renderTopicMonth(
  topic: TopicRef,
  month: Month,
  context: ArchiveContext,
): Promise<RenderedMonth> {
  const { site, config } = context;
  const pagePath = topicMonthPath(topic.slug, month);
  const partsPrefix = archivePath(topic.slug, { month, part: 1 }, 'atom').replace(/\.xml$/, '');
  const [listed, expectedPage] = await Promise.all([Listed.of([partsPrefix], context), site.head(pagePath)]);
  const partsBefore = listed.keys(partsPrefix).filter((path) => path.endsWith('.xml')).length;
  const stories = await monthStories(topic.slug, month, context);
  if (stories.length === 0) {
    await context.remove(pagePath);
    for (const path of listed.keys(partsPrefix)) await context.remove(path);
    return { moved: partsBefore > 0, emptied: true, newer: null };
  }
  const adjacent = await adjacentMonths(topic.slug, month, context);
  const older = await newestRef(topic, adjacent.older, context);
  const archive = renderMonthArchive(topic, month, stories, { older, newer: adjacent.newer }, config);
  // HEADed, not compared with the listing: a part's Cache-Control changes alone when a newer part or
  // month comes (a JSON page links only older pages, so its body stays the same).
  for (const file of archive.files) await context.put(file);
  const wanted = new Set(archive.files.map((file) => file.path));
  for (const path of listed.keys(partsPrefix)) if (!wanted.has(path)) await context.remove(path);
  await context.put(renderTopicMonthPage(topic, month, stories, adjacent, config), expectedPage);
  return { moved: partsBefore !== archive.parts, emptied: false, newer: adjacent.newer };
}

/**
 * A topic's archive for a change to `months`: those months, then the neighbours of each whose links
 * changed (see `renderTopicMonth`), and so on: a neighbour rendered from the table may itself gain its
 * first story or lose its last here (the table is ahead of the stream: its own records come in a later
 * batch, which then finds nothing changed), so its neighbours are relinked now. A story added to a month
 * that already had one rewrites that month only.
 */
export async function renderTopicMonths(
  topic: TopicRef,
  months: Iterable<Month>,
  context: ArchiveContext,
): Promise<void> {
  let wave = [...new Set(months)].sort();
  const rendered = new Map<Month, RenderedMonth>();
  while (wave.length > 0) {
    const moved: Array<[Month, RenderedMonth]> = [];
    for (const month of wave) {
      const result = await renderTopicMonth(topic, month, context);
      rendered.set(month, result);
      if (result.moved) moved.push([month, result]);
    }
    const neighbours = new Set<Month>();
    for (const [month, result] of moved) {
      const { older, newer } = await adjacentMonths(topic.slug, month, context);
      for (const neighbour of [older, newer]) {
        if (neighbour === null || neighbours.has(neighbour)) continue;
        const before = rendered.get(neighbour);
        // A month rendered earlier in this batch is rendered again when its link to this one is not
        // what it is now: it linked another newer month (this one appeared since), or this one is
        // older (its newest part is in the link) or gone. Its neighbour Queries are asked afresh.
        if (before !== undefined && neighbour < month && before.newer === month && !result.emptied) continue;
        if (before !== undefined) context.adjacent.delete(`${topic.slug}/${neighbour}`);
        neighbours.add(neighbour);
      }
    }
    wave = [...neighbours].sort();
  }
}

/** sitemaps/pages.xml: index.html, the issue listing and each shown topic's page (`all` included). */
export const sitemapPages = (slugs: readonly string[], config: SiteConfig): SiteFile =>
  renderSitemapPages(['index.html', ISSUES_INDEX_PATH, ...slugs.map(topicPagePath)], config);

/**
 * sitemaps/<yyyy-mm>.xml from ONE ranged Query of the month (all stories) and the month's issues: its
 * story pages, the month pages of `all` and of each topic with a story in it, its issue pages and issue
 * month page; removed when the month has neither story nor issue left.
 */
export async function renderSitemapMonthPart(month: Month, context: ArchiveContext): Promise<void> {
  const path = sitemapMonthPath(month);
  const expected = await context.site.head(path);
  const stories = await monthStories(ALL_TOPICS_SLUG, month, context);
  const issues = await shownIssuesOf(month, context);
  if (stories.length === 0 && issues.length === 0) {
    await context.remove(path);
    return;
  }
  const slugs = new Set(
    stories.length === 0 ? [] : [ALL_TOPICS_SLUG, ...stories.map((story) => story.topicSlug)],
  );
  const paths = [
    ...stories.map((story) => storyPath(story.storyId)),
    ...[...slugs].map((slug) => topicMonthPath(slug, month)),
    ...(issues.length === 0 ? [] : [issueMonthPath(month)]),
    ...issues.map((issue) => issuePath(issue.issueId)),
  ];
  await context.put(renderSitemapMonth(month, paths, context.config), expected);
}

const MONTH_PART = /^sitemaps\/(\d{4}-\d{2})\.xml$/;

/**
 * sitemap.xml from the month parts in the bucket: ONE listing of `sitemaps/` (a page per 1,000 months),
 * never a Query of the archive. Written on the condition that it did not change since before the
 * listing, so a render that missed a part another one was adding loses and renders again.
 */
export async function renderSitemapIndexFile(context: ArchiveContext): Promise<void> {
  const expected = await context.site.head(SITEMAP_PATH);
  const listed = await context.site.list('sitemaps/');
  const months = listed.flatMap(({ key }) => {
    const match = MONTH_PART.exec(key);
    return match?.[1] === undefined ? [] : [match[1]];
  });
  await context.put(renderSitemapIndex(months, context.config), expected);
}

function inTopic(story: Story, slug: string): boolean {
  return slug === ALL_TOPICS_SLUG || story.topicSlug === slug;
}
