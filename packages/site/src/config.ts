import { cleanText } from './text.ts';

/** How the site is rendered. Every field has a default, so `resolveSiteConfig()` alone is enough. */
export interface SiteConfig {
  /** Absolute http(s) URL the site is served from; ends with '/' after normalisation. */
  readonly baseUrl: string;
  /** @default 'feedwright' */
  readonly siteTitle: string;
  /** Author named in every feed and entry. @default 'feedwright editors' */
  readonly author: string;
  /** Language tag of the text (`xml:lang`, `<language>`, JSON Feed `language`). @default 'en' */
  readonly language: string;
  /** At most this many items per feed. @default 50 */
  readonly itemsPerFeed: number;
  /** Byte budget of one feed file; the oldest items are dropped to stay under it. @default 524288 */
  readonly maxFeedBytes: number;
  /** Headlines shown per topic on index.html. @default 5 */
  readonly indexHeadlines: number;
  /**
   * Date part of the `tag:` URIs used as GUIDs and ids (RFC 4151). Changing it changes every id, so
   * readers would see every story again: set it once. @default '2020'
   */
  readonly tagDate: string;
}

/** The defaults; `baseUrl` is the local stack's site (`npm start`). */
export const DEFAULT_SITE_CONFIG: SiteConfig = Object.freeze({
  baseUrl: 'http://127.0.0.1:8787/',
  siteTitle: 'feedwright',
  author: 'feedwright editors',
  language: 'en',
  itemsPerFeed: 50,
  maxFeedBytes: 512 * 1024,
  indexHeadlines: 5,
  tagDate: '2020',
});

/** A site setting that cannot work; the message names the setting and what it accepts. */
export class SiteConfigError extends Error {
  override readonly name = 'SiteConfigError';
}

/** Smallest budget that still holds a feed's head and a headline. */
const MIN_FEED_BYTES = 8 * 1024;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
const TAG_DATE = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

/**
 * Fills in defaults and checks every setting, so that renderers can trust their config. `undefined`
 * fields count as unset (handy when they come from optional environment variables or flags).
 * @throws SiteConfigError when a setting is unusable.
 */
export function resolveSiteConfig(partial: Partial<SiteConfig> = {}): SiteConfig {
  const pick = <K extends keyof SiteConfig>(key: K): SiteConfig[K] =>
    partial[key] ?? DEFAULT_SITE_CONFIG[key];
  return Object.freeze({
    baseUrl: normaliseBaseUrl(pick('baseUrl')),
    siteTitle: requireText('siteTitle', pick('siteTitle')),
    author: requireText('author', pick('author')),
    language: requireMatch(
      'language',
      pick('language'),
      LANGUAGE_TAG,
      "a language tag such as 'en' or 'en-GB'",
    ),
    itemsPerFeed: requireInteger('itemsPerFeed', pick('itemsPerFeed'), 1, 1000),
    maxFeedBytes: requireInteger('maxFeedBytes', pick('maxFeedBytes'), MIN_FEED_BYTES, 64 * 1024 * 1024),
    indexHeadlines: requireInteger('indexHeadlines', pick('indexHeadlines'), 1, 100),
    tagDate: requireMatch('tagDate', pick('tagDate'), TAG_DATE, "a date such as '2020' or '2020-12-01'"),
  });
}

function normaliseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SiteConfigError(
      `baseUrl '${value}' is not an absolute URL: give one like 'https://feeds.example.com/'`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SiteConfigError(`baseUrl '${value}' must use http or https`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new SiteConfigError(`baseUrl '${value}' must not carry credentials, a query or a fragment`);
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url.href;
}

function requireText(key: keyof SiteConfig, value: string): string {
  const text = typeof value === 'string' ? cleanText(value).trim() : '';
  if (text === '' || text.length > 200) {
    throw new SiteConfigError(`${key} must be non-empty text of at most 200 characters`);
  }
  return text;
}

function requireMatch(key: keyof SiteConfig, value: string, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new SiteConfigError(`${key} '${String(value)}' must be ${what}`);
  }
  return value;
}

function requireInteger(key: keyof SiteConfig, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new SiteConfigError(`${key} must be a whole number from ${min} to ${max}, not ${String(value)}`);
  }
  return value;
}
