import { instantOf, remembered } from '@feedwright/digest';

/** A calendar month in UTC, 'yyyy-mm': how the archive groups stories and issues. */
export type Month = string;

/** The UTC month of an ISO 8601 instant ('2020-12-01T00:30:00+08:00' → '2020-11'). */
export function monthOf(publishedAt: string, what: string): Month {
  return monthOfInstant(instantOf(publishedAt, what));
}

const monthOfInstant = remembered((ms: number): Month => new Date(ms).toISOString().slice(0, 7));

/**
 * The time a story's digest states, in ms: the story's own instant plus its position in seconds (the
 * parser dates each story that many seconds before its digest, so that feed readers keep the digest's
 * order). Feeds sort and date by the story's instant; pages show people this one, the digest's.
 */
export function digestInstantOf(
  story: { readonly publishedAt: string; readonly position: number },
  what: string,
): number {
  return instantOf(story.publishedAt, what) + story.position * 1000;
}

/** The UTC month of a story's digest, where its issue is filed. */
export function digestMonthOf(
  story: { readonly publishedAt: string; readonly position: number },
  what: string,
): Month {
  return new Date(digestInstantOf(story, what)).toISOString().slice(0, 7);
}

/** One archive document of a topic: a month, and which part of it (1 = the oldest stories). */
export interface ArchiveRef {
  readonly month: Month;
  readonly part: number;
}

/** `feeds/<slug>/archive/<yyyy-mm>.xml`, then `<yyyy-mm>-2.xml`… for the later parts of a large month. */
export function archivePath(slug: string, ref: ArchiveRef, format: 'atom' | 'json'): string {
  const suffix = ref.part > 1 ? `-${ref.part}` : '';
  return `feeds/${slug}/archive/${ref.month}${suffix}.${format === 'atom' ? 'xml' : 'json'}`;
}

/** `issues/archive/<yyyy-mm>.xml` (and `-2`… for later parts): the issue feed's archive documents. */
export function issueArchivePath(ref: ArchiveRef, format: 'atom' | 'json'): string {
  const suffix = ref.part > 1 ? `-${ref.part}` : '';
  return `issues/archive/${ref.month}${suffix}.${format === 'atom' ? 'xml' : 'json'}`;
}

/** A topic's page (`all` too): its newest stories and its months. */
export const topicPagePath = (slug: string): string => `topics/${slug}/index.html`;
/** Every story of a topic in one month. */
export const topicMonthPath = (slug: string, month: Month): string => `topics/${slug}/${month}.html`;
/** One digest's page. */
export const issuePath = (issueId: string): string => `issues/${issueId}.html`;
/** The newest issues and every month of issues. */
export const ISSUES_INDEX_PATH = 'issues/index.html';
/** The issues of one month. */
export const issueMonthPath = (month: Month): string => `issues/${month}.html`;
/** The sitemap index, and its parts. */
export const SITEMAP_PATH = 'sitemap.xml';
export const SITEMAP_PAGES_PATH = 'sitemaps/pages.xml';
export const sitemapMonthPath = (month: Month): string => `sitemaps/${month}.xml`;

/**
 * Cache-Control of archive documents and past months' pages: they change only when one of their
 * stories is corrected or withdrawn (or a story is back-filled into their month), so a day's caching
 * is safe, and a week of serving stale while revalidating.
 */
export const CACHE_CONTROL_ARCHIVE = 'public, max-age=86400, stale-while-revalidate=604800';

/** Newest first. */
export const newestMonthsFirst = (months: Iterable<Month>): Month[] =>
  [...new Set(months)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
