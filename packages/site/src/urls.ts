import type { SiteConfig } from './config.ts';

/** The three feed formats and the file each is written to under feeds/<slug>/. */
export type FeedFormat = 'rss' | 'atom' | 'json';
export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];
export const FEED_FILE_NAMES: Readonly<Record<FeedFormat, string>> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};
/** How each format is named to people (subscribe links, autodiscovery titles). */
export const FEED_FORMAT_LABELS: Readonly<Record<FeedFormat, string>> = {
  rss: 'RSS',
  atom: 'Atom',
  json: 'JSON Feed',
};

/** File path of a story's page (the object key: slugs and ids may hold Unicode letters, unencoded). */
export const storyPath = (storyId: string): string => `stories/${storyId}.html`;
/** File path of a topic's feed. */
export const feedPath = (slug: string, format: FeedFormat): string =>
  `feeds/${slug}/${FEED_FILE_NAMES[format]}`;
/** The id of a topic's section on index.html. */
export const topicAnchor = (slug: string): string => `topic-${slug}`;
/** Characters that `encodeURIComponent` leaves as they are, and `/`. */
const URL_SAFE_PATH = /^[A-Za-z0-9\-_.!~*'()/]*$/;

/** A file path as a URL path: each segment percent-encoded (a CJK topic slug becomes %E6%B1%BD...). */
export const encodePath = (path: string): string =>
  // Most paths need no escape at all: one test instead of a split, an encode per part and a join.
  URL_SAFE_PATH.test(path) ? path : path.split('/').map(encodeURIComponent).join('/');

/** A stable identifier: a `tag:` URI, or the permalink when the host cannot name a tag authority. */
export interface StableId {
  readonly value: string;
  readonly isPermalink: boolean;
}

// RFC 4151: the authority is a DNS name (no port, no IPv6 literal).
const DNS_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Every absolute URL and id of the site, derived once from the config. */
export class SiteUrls {
  readonly base: string;
  readonly #tagPrefix: string | null;

  constructor(config: Pick<SiteConfig, 'baseUrl' | 'tagDate'>) {
    this.base = config.baseUrl;
    const url = new URL(config.baseUrl);
    // The base path goes into the tag so two sites on one host never share ids.
    this.#tagPrefix = DNS_NAME.test(url.hostname)
      ? `tag:${url.hostname.toLowerCase()},${config.tagDate}:${url.pathname.slice(1)}`
      : null;
  }

  /** Absolute URL of a site file path. */
  url(path: string): string {
    return `${this.base}${encodePath(path)}`;
  }

  story(storyId: string): string {
    return this.url(storyPath(storyId));
  }

  feed(slug: string, format: FeedFormat): string {
    return this.url(feedPath(slug, format));
  }

  /** The index page's section about one topic: the feeds' home page. */
  topicHome(slug: string): string {
    return `${this.base}#${encodeURIComponent(topicAnchor(slug))}`;
  }

  /** GUID of a story: depends on its id only, so editing the story's text never changes it. */
  storyId(storyId: string): StableId {
    return this.#tagPrefix === null
      ? { value: this.story(storyId), isPermalink: true }
      : { value: `${this.#tagPrefix}story/${encodeURIComponent(storyId)}`, isPermalink: false };
  }

  /**
   * A stable id of another kind of thing (`issue`, `feed`): `tag:…:<kind>/<name>`, or the absolute URL of
   * `path` where the host cannot name a tag authority.
   */
  entryId(kind: string, name: string, path: string): StableId {
    return this.#tagPrefix === null
      ? { value: this.url(path), isPermalink: true }
      : { value: `${this.#tagPrefix}${kind}/${encodeURIComponent(name)}`, isPermalink: false };
  }

  feedId(slug: string): string {
    return this.#tagPrefix === null
      ? this.feed(slug, 'atom')
      : `${this.#tagPrefix}feed/${encodeURIComponent(slug)}`;
  }
}

/** Media type of each format, as autodiscovery links and subscribe links announce it. */
export const FEED_MEDIA_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};
