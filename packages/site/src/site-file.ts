/** One object of the site tree: its path under the base URL, its bytes (UTF-8) and its HTTP metadata. */
export interface SiteFile {
  /** Relative path with '/' separators, e.g. 'feeds/all/rss.xml'. */
  readonly path: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** Content-Type of each kind of file the site holds. */
export const CONTENT_TYPES = Object.freeze({
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
  html: 'text/html; charset=utf-8',
});

/**
 * Cache-Control of feeds, index.html and feeds.opml: a reader polling every minute sees a change within
 * a minute, and a cache may serve a stale copy while it revalidates.
 */
export const CACHE_CONTROL_LISTING = 'public, max-age=60, stale-while-revalidate=300';

/** Cache-Control of story pages, which change rarely (a correction) once published. */
export const CACHE_CONTROL_STORY = 'public, max-age=3600, stale-while-revalidate=86400';
