import { cleanText } from './text.ts';

/** How the site is rendered. Every field has a default, so `resolveSiteConfig()` alone is enough. */
export interface SiteConfig {
  /** Absolute http(s) URL the site is served from; ends with '/' after normalisation. */
  readonly baseUrl: string;
  /** The publication's name: page titles, feed titles, the OPML. @default 'feedwright' */
  readonly siteTitle: string;
  /**
   * What the publication is, in a sentence: the front page, every page's description, the feeds'
   * description and subtitle. @default 'News digests, story by story: by topic, by issue, in every feed format.'
   */
  readonly description: string;
  /** Author named in every feed and entry. @default 'feedwright editors' */
  readonly author: string;
  /** Language tag of the text (`xml:lang`, `<language>`, JSON Feed `language`). @default 'en' */
  readonly language: string;
  /** At most this many items per feed. @default 50 */
  readonly itemsPerFeed: number;
  /** Byte budget of one feed file; the oldest items are dropped to stay under it. @default 524288 */
  readonly maxFeedBytes: number;
  /** Issues listed on the front page (index.html) after the latest one. @default 5 */
  readonly indexHeadlines: number;
  /**
   * Date part of the `tag:` URIs used as GUIDs and ids (RFC 4151). Changing it changes every id, so
   * readers would see every story again: set it once. @default '2020'
   */
  readonly tagDate: string;
  /**
   * WebSub hub (W3C Recommendation) the subscription feeds advertise (`rel="hub"` links, JSON Feed
   * `hubs`) and that render pings when a feed changes; null for none. @default null
   */
  readonly hubUrl: string | null;
  /**
   * A square icon the operator provides (PNG, SVG…): its path under the base URL (`icon.png`, a file the
   * operator puts in the site; same origin, so the pages' strict CSP allows it). Pages link it as their
   * icon; Atom `<icon>`, JSON Feed `icon` and `favicon` name it. null: the site's own `favicon.svg`.
   * @default null
   */
  readonly icon: string | null;
  /**
   * A wide logo the operator provides, as `icon` (a path under the base URL): RSS
   * `<image>`, Atom `<logo>`, the front page's header and the share card's image. null: none. @default null
   */
  readonly logo: string | null;
  /** An address that takes digests by mail, shown in the front page's subscribe block; null for none. @default null */
  readonly mailIn: string | null;
}

/** The defaults; `baseUrl` is the local stack's site (`npm start`). */
export const DEFAULT_SITE_CONFIG: SiteConfig = Object.freeze({
  baseUrl: 'http://127.0.0.1:8787/',
  siteTitle: 'feedwright',
  description: 'News digests, story by story: by topic, by issue, in every feed format.',
  author: 'feedwright editors',
  language: 'en',
  itemsPerFeed: 50,
  maxFeedBytes: 512 * 1024,
  indexHeadlines: 5,
  tagDate: '2020',
  hubUrl: null,
  icon: null,
  logo: null,
  mailIn: null,
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
    description: requireText('description', pick('description'), 500),
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
    tagDate: requireTagDate(pick('tagDate')),
    hubUrl: requireHubUrl(partial.hubUrl ?? DEFAULT_SITE_CONFIG.hubUrl),
    icon: requireAsset('icon', partial.icon ?? DEFAULT_SITE_CONFIG.icon),
    logo: requireAsset('logo', partial.logo ?? DEFAULT_SITE_CONFIG.logo),
    mailIn: requireMailAddress(partial.mailIn ?? DEFAULT_SITE_CONFIG.mailIn),
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
  const path = canonicalPath(url.pathname);
  url.pathname = path.endsWith('/') ? path : `${path}/`;
  return url.href;
}

// The WHATWG parser leaves some characters RFC 3986 forbids in a path ('|', '[', ']', '^', a '%' not
// starting an escape) and keeps escapes as written. Every URL and tag: id of the site starts with this
// path, so it is made valid and canonical once: escapes of unreserved characters decoded (except '.',
// which could make a dot-segment), other escapes in upper case, anything else outside pchar escaped.
const PATH_PIECE = /%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g;
const UNRESERVED = /^[A-Za-z0-9\-_~]$/;

function canonicalPath(path: string): string {
  return path.replace(PATH_PIECE, (piece) => {
    if (piece.length === 3) {
      const char = String.fromCharCode(Number.parseInt(piece.slice(1), 16));
      return UNRESERVED.test(char) ? char : piece.toUpperCase();
    }
    return encodeURIComponent(piece);
  });
}

function requireHubUrl(value: string | null): string | null {
  if (value === null || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SiteConfigError(
      `hubUrl '${value}' is not an absolute URL: give one like 'https://hub.example.com/'`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SiteConfigError(`hubUrl '${value}' must use http or https`);
  }
  if (url.hash !== '') throw new SiteConfigError(`hubUrl '${value}' must not carry a fragment`);
  return url.href;
}

function requireText(key: keyof SiteConfig, value: string, max = 200): string {
  const text = typeof value === 'string' ? cleanText(value).trim() : '';
  if (text === '' || text.length > max) {
    throw new SiteConfigError(`${key} must be non-empty text of at most ${max} characters`);
  }
  return text;
}

// A file of the site: path segments of URL-safe characters, no dot-segment, no leading slash.
const SITE_PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/;

/** A path under the base URL; '' counts as none. */
function requireAsset(key: 'icon' | 'logo', value: string | null): string | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'string' || !SITE_PATH.test(value)) {
    throw new SiteConfigError(
      `${key} '${String(value)}' must be a path under the base URL, such as 'icon.png' or 'brand/logo.png'`,
    );
  }
  return value;
}

// Deliberately loose (RFC 5321 allows far more); it only has to refuse what is clearly not an address.
const MAIL_ADDRESS =
  /^[^\s@<>"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function requireMailAddress(value: string | null): string | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'string' || !MAIL_ADDRESS.test(value)) {
    throw new SiteConfigError(
      `mailIn '${String(value)}' must be an e-mail address such as 'news@example.com'`,
    );
  }
  return value;
}

function requireMatch(key: keyof SiteConfig, value: string, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new SiteConfigError(`${key} '${String(value)}' must be ${what}`);
  }
  return value;
}

// RFC 4151: the date of a tag: URI is a real calendar date (year, or year-month, or year-month-day).
function requireTagDate(value: string): string {
  const tagDate = requireMatch('tagDate', value, TAG_DATE, "a date such as '2020' or '2020-12-01'");
  const [year = 0, month = 1, day = 1] = tagDate.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new SiteConfigError(
      `tagDate '${tagDate}' is not a calendar date: give one like '2020' or '2020-12-01'`,
    );
  }
  return tagDate;
}

function requireInteger(key: keyof SiteConfig, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new SiteConfigError(`${key} must be a whole number from ${min} to ${max}, not ${String(value)}`);
  }
  return value;
}
