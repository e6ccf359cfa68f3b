import { type Month, SITEMAP_PAGES_PATH, SITEMAP_PATH, sitemapMonthPath } from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { CACHE_CONTROL_LISTING, type SiteFile } from './site-file.ts';
import { escapeMarkup } from './text.ts';
import { SiteUrls } from './urls.ts';

/** Content-Type of the sitemap files (sitemaps.org: served as XML). */
const SITEMAP_CONTENT_TYPE = 'application/xml; charset=utf-8';
const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A sitemap part (`<urlset>`): the absolute URLs of the given page paths, sorted, without dates (the
 * same pages always give the same bytes).
 */
function renderSitemapPart(path: string, pagePaths: readonly string[], config: SiteConfig): SiteFile {
  const urls = new SiteUrls(config);
  const sorted = [...new Set(pagePaths)].sort(compare);
  const body = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<urlset xmlns="${NS}">`,
    ...sorted.map((page) => `  <url><loc>${escapeMarkup(urls.url(page))}</loc></url>`),
    '</urlset>',
    '',
  ].join('\n');
  return { path, body, contentType: SITEMAP_CONTENT_TYPE, cacheControl: CACHE_CONTROL_LISTING };
}

/** The part listing the pages that belong to no month (index, topic pages, issue listings). */
export const renderSitemapPages = (pagePaths: readonly string[], config: SiteConfig): SiteFile =>
  renderSitemapPart(SITEMAP_PAGES_PATH, pagePaths, config);

/** The part of one UTC month: its story pages, issue pages and month pages. */
export const renderSitemapMonth = (
  month: Month,
  pagePaths: readonly string[],
  config: SiteConfig,
): SiteFile => renderSitemapPart(sitemapMonthPath(month), pagePaths, config);

/**
 * sitemap.xml: a sitemap index naming the pages part and one part per month, so adding a story rewrites
 * only its month's part (and this index when the month is new).
 */
export function renderSitemapIndex(months: readonly Month[], config: SiteConfig): SiteFile {
  const urls = new SiteUrls(config);
  const parts = [SITEMAP_PAGES_PATH, ...[...new Set(months)].sort(compare).map(sitemapMonthPath)];
  const body = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<sitemapindex xmlns="${NS}">`,
    ...parts.map((part) => `  <sitemap><loc>${escapeMarkup(urls.url(part))}</loc></sitemap>`),
    '</sitemapindex>',
    '',
  ].join('\n');
  return { path: SITEMAP_PATH, body, contentType: SITEMAP_CONTENT_TYPE, cacheControl: CACHE_CONTROL_LISTING };
}
