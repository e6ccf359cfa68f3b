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
  javascript: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
});

/**
 * Cache-Control of feeds, index.html and feeds.opml: a reader polling every minute sees a change within
 * a minute, and a cache may serve a stale copy while it revalidates.
 */
export const CACHE_CONTROL_LISTING = 'public, max-age=60, stale-while-revalidate=300';

/**
 * Cache-Control of the subscription feeds when a WebSub hub is configured: a hub fetches a feed the
 * moment it is notified, and must get the new bytes through CloudFront. `s-maxage=0` makes the edge
 * revalidate every request with the bucket (a 304 when unchanged, so little is transferred); readers'
 * own caches still keep a copy for a minute. No stale-while-revalidate: the edge would serve the old
 * copy to that first fetch.
 */
export const CACHE_CONTROL_FEED_WEBSUB = 'public, max-age=60, s-maxage=0, must-revalidate';

/** Cache-Control of story pages, which change rarely (a correction) once published. */
export const CACHE_CONTROL_STORY = 'public, max-age=3600, stale-while-revalidate=86400';
