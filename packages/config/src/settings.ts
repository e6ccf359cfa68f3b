import { DEFAULT_MAX_DIGEST_BYTES, resolveTimeZone } from '@feedwright/digest';
import { parseAllowedSenders } from '@feedwright/mail/sender-policy';
import { DEFAULT_SITE_CONFIG, resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import type { Setting } from './setting.ts';

/** The pipeline's own settings: how digests are read and who may mail them. */
export interface PipelineSettings {
  readonly maxDigestBytes: number;
  readonly digestTimezone: string;
  /** Addresses and `@domains`, comma-separated, as checked and normalised. */
  readonly allowedSenders: string;
}

/** Choices made at deploy time only, for the AWS resources around the functions. */
export interface DeploySettings {
  readonly domainName: string;
  readonly certificateArn: string;
  readonly alarmEmail: string;
  readonly webAclArn: string;
  readonly mailDomain: string;
  readonly reconcileSchedule: string;
  readonly editorEmail: string;
  /** The runbook page every alarm links to (its section appended as `#anchor`). */
  readonly runbookUrl: string;
  /** Alarm when freshness p95 over 15 minutes reaches this many seconds. */
  readonly freshnessAlarmSeconds: number;
  /** Alarm when this many mailed digests are refused within an hour. */
  readonly mailRefusalAlarmThreshold: number;
}

/** Every setting's value type, by name: the site's (its {@link SiteConfig}), the pipeline's, the deploy's. */
export type SettingValues = SiteConfig & PipelineSettings & DeploySettings;

/** The name of a setting (and its CDK context key, where it has one). */
export type SettingName = keyof SettingValues;

type SettingTable = { readonly [K in SettingName]: Setting<SettingValues[K]> & { readonly name: K } };

// Labels of letters, digits and hyphens, at least two of them: what CloudFront accepts as an alias.
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SIZE = /^(\d+)\s*(k|kb|kib|m|mb|mib)?$/i;

/** A site field checked by the site package itself, so the site and every reader agree. */
function siteCheck<K extends keyof SiteConfig>(
  key: K,
  read: (raw: string) => SiteConfig[K],
): (raw: string) => SiteConfig[K] {
  return (raw) => resolveSiteConfig({ [key]: read(raw) } as Partial<SiteConfig>)[key];
}

/** A site field that is null when unset: a given value must not be empty. */
function nullableSiteCheck<K extends 'hubUrl' | 'icon' | 'logo' | 'mailIn'>(key: K): (raw: string) => string {
  return (raw) => {
    const value = resolveSiteConfig({ [key]: raw.trim() } as Partial<SiteConfig>)[key];
    if (value === null) throw new Error('must not be empty');
    return value;
  };
}

/** A whole number written in digits. */
function wholeNumber(raw: string): number {
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
    throw new Error(`must be a whole number, not '${raw}'`);
  }
  return value;
}

/** A whole number of at least 1. */
function positiveWholeNumber(raw: string): number {
  const value = wholeNumber(raw);
  if (value < 1) throw new Error(`must be a whole number of at least 1, not '${raw}'`);
  return value;
}

/** A number of bytes, with an optional K or M suffix (binary: 1K = 1024). */
function bytes(raw: string): number {
  const match = SIZE.exec(raw.trim());
  const unit = (match?.[2] ?? '').toLowerCase().charAt(0);
  const value = Number(match?.[1]) * (unit === 'm' ? 1024 * 1024 : unit === 'k' ? 1024 : 1);
  if (match === null || !Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`must be a positive number of bytes like 1048576 or 1M, not '${raw}'`);
  }
  return value;
}

function pattern(regex: RegExp, what: string): (raw: string) => string {
  return (raw) => {
    const value = raw.trim();
    if (!regex.test(value)) throw new Error(`must be ${what}, not '${raw}'`);
    return value;
  };
}

function allowedSenders(raw: string): string {
  const { addresses, domains } = parseAllowedSenders(raw);
  if (addresses.size + domains.size === 0) {
    throw new Error('names nobody: give addresses or @domains, comma-separated');
  }
  return [...addresses, ...[...domains].map((domain) => `@${domain}`)].join(',');
}

function oneLineTitle(raw: string): string {
  if (!/^[^\p{Cc}]{1,200}$/u.test(raw)) {
    throw new Error('siteTitle must be a title of 1 to 200 characters on one line');
  }
  return resolveSiteConfig({ siteTitle: raw }).siteTitle;
}

const site = DEFAULT_SITE_CONFIG;

/**
 * Every setting of feedwright, defined once. `feedwright build`, `dev` and `reconcile` read them
 * from flags, the Lambda handlers from their environment, and the CDK app from its context; each
 * reader applies the same check and names the source of a value it refuses.
 */
export const SETTINGS: SettingTable = {
  baseUrl: {
    name: 'baseUrl',
    scope: 'site',
    help: 'absolute URL the site is served from, for the links in feeds and pages',
    env: 'SITE_BASE_URL',
    flag: 'base-url',
    placeholder: 'URL',
    // On AWS the stack derives it from the distribution or -c domainName.
    context: false,
    defaultValue: site.baseUrl,
    defaultText: `${site.baseUrl} (the local site); on AWS the distribution's URL`,
    check: siteCheck('baseUrl', (raw) => raw.trim()),
  },
  siteTitle: {
    name: 'siteTitle',
    scope: 'site',
    help: 'title of the site and its feeds',
    env: 'SITE_TITLE',
    flag: 'site-title',
    placeholder: 'TEXT',
    context: true,
    defaultValue: site.siteTitle,
    defaultText: site.siteTitle,
    check: oneLineTitle,
  },
  description: {
    name: 'description',
    scope: 'site',
    help: 'what the publication is, in a sentence: the front page, every page, the feeds',
    env: 'SITE_DESCRIPTION',
    flag: 'description',
    placeholder: 'TEXT',
    context: true,
    defaultValue: site.description,
    defaultText: `'${site.description}'`,
    check: siteCheck('description', (raw) => raw),
  },
  author: {
    name: 'author',
    scope: 'site',
    help: 'author named in every feed and entry',
    env: 'SITE_AUTHOR',
    flag: 'author',
    placeholder: 'TEXT',
    context: true,
    defaultValue: site.author,
    defaultText: site.author,
    check: siteCheck('author', (raw) => raw),
  },
  language: {
    name: 'language',
    scope: 'site',
    help: 'language tag of the text (en, en-GB, zh-Hans)',
    env: 'SITE_LANGUAGE',
    flag: 'language',
    placeholder: 'TAG',
    context: true,
    defaultValue: site.language,
    defaultText: site.language,
    check: siteCheck('language', (raw) => raw.trim()),
  },
  itemsPerFeed: {
    name: 'itemsPerFeed',
    scope: 'site',
    help: 'at most this many items in a subscription feed',
    env: 'ITEMS_PER_FEED',
    flag: 'items',
    placeholder: 'N',
    context: true,
    defaultValue: site.itemsPerFeed,
    defaultText: String(site.itemsPerFeed),
    check: siteCheck('itemsPerFeed', wholeNumber),
  },
  maxFeedBytes: {
    name: 'maxFeedBytes',
    scope: 'site',
    help: 'byte budget of one feed file: the oldest items are left out to stay under it',
    env: 'FEED_MAX_BYTES',
    flag: 'feed-max-bytes',
    placeholder: 'N',
    context: true,
    defaultValue: site.maxFeedBytes,
    defaultText: `${site.maxFeedBytes} (512K)`,
    check: siteCheck('maxFeedBytes', bytes),
  },
  indexHeadlines: {
    name: 'indexHeadlines',
    scope: 'site',
    help: 'issues listed on the front page after the latest one',
    env: 'SITE_INDEX_HEADLINES',
    flag: 'index-headlines',
    placeholder: 'N',
    context: true,
    defaultValue: site.indexHeadlines,
    defaultText: String(site.indexHeadlines),
    check: siteCheck('indexHeadlines', wholeNumber),
  },
  tagDate: {
    name: 'tagDate',
    scope: 'site',
    help: "date in the tag: URIs that are the feeds' ids; changing it makes readers see every story again",
    env: 'SITE_TAG_DATE',
    flag: 'tag-date',
    placeholder: 'DATE',
    context: true,
    defaultValue: site.tagDate,
    defaultText: site.tagDate,
    check: siteCheck('tagDate', (raw) => raw.trim()),
  },
  hubUrl: {
    name: 'hubUrl',
    scope: 'site',
    help: 'WebSub hub the feeds advertise and that is notified of every changed feed',
    env: 'SITE_HUB_URL',
    flag: 'hub',
    placeholder: 'URL',
    context: true,
    defaultValue: site.hubUrl,
    defaultText: 'none',
    check: nullableSiteCheck('hubUrl'),
    toText: (value) => value ?? '',
  },
  icon: {
    name: 'icon',
    scope: 'site',
    help: 'a square icon: a path under the base URL (a file of yours in the site, e.g. icon.png) or an absolute URL',
    env: 'SITE_ICON',
    flag: 'icon',
    placeholder: 'PATH|URL',
    context: true,
    defaultValue: site.icon,
    defaultText: "the site's own favicon.svg",
    check: nullableSiteCheck('icon'),
    toText: (value) => value ?? '',
  },
  logo: {
    name: 'logo',
    scope: 'site',
    help: "a wide logo, given as the icon is: RSS image, Atom logo, the front page's header, the share card",
    env: 'SITE_LOGO',
    flag: 'logo',
    placeholder: 'PATH|URL',
    context: true,
    defaultValue: site.logo,
    defaultText: 'none',
    check: nullableSiteCheck('logo'),
    toText: (value) => value ?? '',
  },
  mailIn: {
    name: 'mailIn',
    scope: 'site',
    help: "an address that takes digests by mail, shown in the front page's subscribe block",
    env: 'SITE_MAIL_IN',
    flag: 'mail-in',
    placeholder: 'EMAIL',
    context: true,
    defaultValue: site.mailIn,
    defaultText: 'none',
    check: nullableSiteCheck('mailIn'),
    toText: (value) => value ?? '',
  },
  maxDigestBytes: {
    name: 'maxDigestBytes',
    scope: 'pipeline',
    help: 'largest digest accepted, in bytes: a larger one is refused before it is read',
    env: 'MAX_DIGEST_BYTES',
    flag: 'max-bytes',
    placeholder: 'N',
    context: true,
    defaultValue: DEFAULT_MAX_DIGEST_BYTES,
    defaultText: `${DEFAULT_MAX_DIGEST_BYTES} (5M)`,
    check: bytes,
  },
  digestTimezone: {
    name: 'digestTimezone',
    scope: 'pipeline',
    help: "IANA time zone the digests' date lines are read in",
    env: 'DIGEST_TIMEZONE',
    flag: 'timezone',
    placeholder: 'TZ',
    context: true,
    defaultValue: 'UTC',
    defaultText: 'UTC',
    check: (raw) => resolveTimeZone(raw.trim()),
  },
  allowedSenders: {
    name: 'allowedSenders',
    scope: 'pipeline',
    help: 'who may publish by mail: addresses and @domains, comma-separated (a@x.com,@example.com)',
    env: 'ALLOWED_SENDERS',
    flag: 'allowed-senders',
    placeholder: 'LIST',
    context: true,
    defaultValue: undefined,
    defaultText: 'locally anyone; on AWS nobody (mail needs it, with -c mailDomain)',
    check: allowedSenders,
  },
  domainName: {
    name: 'domainName',
    scope: 'deploy',
    help: 'serve the site on this domain (needs certificateArn)',
    placeholder: 'HOST',
    context: true,
    defaultValue: undefined,
    defaultText: "the distribution's *.cloudfront.net domain",
    check: pattern(HOST_NAME, 'a DNS host name such as feeds.example.com'),
  },
  certificateArn: {
    name: 'certificateArn',
    scope: 'deploy',
    help: 'ACM certificate in us-east-1 for domainName',
    placeholder: 'ARN',
    context: true,
    defaultValue: undefined,
    defaultText: 'none',
    check: pattern(
      /^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/,
      'an ACM certificate in us-east-1 (CloudFront only uses those)',
    ),
  },
  alarmEmail: {
    name: 'alarmEmail',
    scope: 'deploy',
    help: 'e-mail every alarm to this address',
    placeholder: 'EMAIL',
    context: true,
    defaultValue: undefined,
    defaultText: 'no notifications',
    check: pattern(EMAIL, 'an e-mail address such as ops@example.com'),
  },
  webAclArn: {
    name: 'webAclArn',
    scope: 'deploy',
    help: 'WAF web ACL (scope CLOUDFRONT) in front of the distribution',
    placeholder: 'ARN',
    context: true,
    defaultValue: undefined,
    defaultText: 'none',
    check: pattern(
      /^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/,
      'the ARN of a WAF web ACL of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:…:global/webacl/…)',
    ),
  },
  mailDomain: {
    name: 'mailDomain',
    scope: 'deploy',
    help: 'receive mailed digests through SES for this domain (needs allowedSenders)',
    placeholder: 'DOMAIN',
    context: true,
    defaultValue: undefined,
    defaultText: 'no mail receiving',
    check: pattern(HOST_NAME, 'a domain name such as digests.example.com'),
  },
  reconcileSchedule: {
    name: 'reconcileSchedule',
    scope: 'deploy',
    help: 'when reconcile runs: an EventBridge rate(…) or cron(…) expression',
    placeholder: 'EXPR',
    context: true,
    defaultValue: 'rate(1 day)',
    defaultText: 'rate(1 day)',
    check: pattern(
      /^(?:rate|cron)\(.+\)$/,
      'an EventBridge schedule such as rate(1 day) or cron(15 3 * * ? *)',
    ),
  },
  editorEmail: {
    name: 'editorEmail',
    scope: 'deploy',
    help: "e-mail every upload's outcome (its report) to this address",
    placeholder: 'EMAIL',
    context: true,
    defaultValue: undefined,
    defaultText: 'nobody',
    check: pattern(EMAIL, 'an e-mail address such as editors@example.com'),
  },
  runbookUrl: {
    name: 'runbookUrl',
    scope: 'deploy',
    help: "the runbook every alarm's description links to, its section appended as #anchor",
    placeholder: 'URL',
    context: true,
    defaultValue: 'https://github.com/feedwright/feedwright/blob/main/docs/runbook.md',
    defaultText: "this repository's docs/runbook.md on GitHub (set it when you deploy from a fork)",
    check: pattern(
      /^https?:\/\/[^\s/#]+[^\s#]*$/,
      'an absolute http(s) URL without a #fragment, such as https://git.example.com/feedwright/blob/main/docs/runbook.md',
    ),
  },
  freshnessAlarmSeconds: {
    name: 'freshnessAlarmSeconds',
    scope: 'deploy',
    help: 'alarm when the p95 of freshness (upload to live) over 15 minutes reaches this many seconds',
    placeholder: 'N',
    context: true,
    defaultValue: 300,
    defaultText: '300',
    check: positiveWholeNumber,
  },
  mailRefusalAlarmThreshold: {
    name: 'mailRefusalAlarmThreshold',
    scope: 'deploy',
    help: 'with mail: alarm when this many mailed digests are refused within an hour',
    placeholder: 'N',
    context: true,
    defaultValue: 10,
    defaultText: '10',
    check: positiveWholeNumber,
  },
};

/** The settings in the order they are documented. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** The site's settings: every function that renders gets the same values of these. */
export const SITE_SETTING_NAMES = SETTING_NAMES.filter(
  (name): name is keyof SiteConfig => SETTINGS[name].scope === 'site',
);
