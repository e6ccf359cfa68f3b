import {
  CONTEXT_KEYS,
  ConfigError,
  closestName,
  digestReadingEnvironment,
  digestReadingFromEnvironment,
  readContext,
  readFlags,
  SETTING_NAMES,
  SETTINGS,
  SITE_SETTING_NAMES,
  siteConfigFromEnvironment,
  siteEnvironment,
} from '@feedwright/config';
import { DEFAULT_SITE_CONFIG, resolveSiteConfig } from '@feedwright/site';
import { describe, expect, it } from 'vitest';

describe('Constant: SETTINGS', () => {
  it('gives every setting its own environment variable, flag and context key', () => {
    // Prepare
    const owned = (pick: (name: (typeof SETTING_NAMES)[number]) => string | undefined) =>
      SETTING_NAMES.map(pick).filter((value) => value !== undefined);

    // Assess
    for (const values of [owned((n) => SETTINGS[n].env), owned((n) => SETTINGS[n].flag), CONTEXT_KEYS]) {
      expect(new Set(values).size).toBe(values.length);
    }
    for (const name of SETTING_NAMES) {
      expect(SETTINGS[name].name).toBe(name);
      expect(SETTINGS[name].help.length).toBeGreaterThan(10);
    }
  });

  it("covers every field of the site's configuration, with the site's own defaults", () => {
    // Assess
    expect([...SITE_SETTING_NAMES].sort()).toEqual(Object.keys(DEFAULT_SITE_CONFIG).sort());
    for (const name of SITE_SETTING_NAMES) {
      expect(SETTINGS[name].defaultValue).toEqual(DEFAULT_SITE_CONFIG[name]);
    }
  });
});

describe('Function: siteConfigFromEnvironment', () => {
  it('reads what siteEnvironment writes, so that every function that renders has the same site', () => {
    // Prepare
    const values = {
      siteTitle: 'Daily Feeds',
      itemsPerFeed: 20,
      maxFeedBytes: 65_536,
      hubUrl: 'https://hub.example.net/',
      language: 'en-GB',
    };

    // Act
    const env = siteEnvironment(values, 'https://feeds.example.com/');
    const read = siteConfigFromEnvironment(env);

    // Assess
    expect(read).toEqual(resolveSiteConfig({ ...values, baseUrl: 'https://feeds.example.com/' }));
    expect(env).toMatchObject({ SITE_HUB_URL: 'https://hub.example.net/', ITEMS_PER_FEED: '20' });
  });

  it('writes no SITE_HUB_URL for a site without a hub, and every other setting with its default', () => {
    // Act
    const env = siteEnvironment({}, 'https://feeds.example.com/');

    // Assess
    expect(env.SITE_HUB_URL).toBeUndefined();
    expect(env.SITE_TITLE).toBe(DEFAULT_SITE_CONFIG.siteTitle);
    expect(env.FEED_MAX_BYTES).toBe(String(DEFAULT_SITE_CONFIG.maxFeedBytes));
  });

  it('requires SITE_BASE_URL and names a malformed variable', () => {
    // Act & Assess
    expect(() => siteConfigFromEnvironment({})).toThrow(/SITE_BASE_URL is not set/);
    expect(() =>
      siteConfigFromEnvironment({ SITE_BASE_URL: 'https://feeds.example.com/', ITEMS_PER_FEED: 'fifty' }),
    ).toThrow(/environment variable ITEMS_PER_FEED must be a whole number, not 'fifty'/);
    expect(() =>
      siteConfigFromEnvironment({ SITE_BASE_URL: 'https://feeds.example.com/', SITE_HUB_URL: 'hub' }),
    ).toThrow(ConfigError);
  });
});

describe('Function: digestReadingFromEnvironment', () => {
  it('fills in the defaults, reads what digestReadingEnvironment writes, and checks the allow-list', () => {
    // Act & Assess
    expect(digestReadingFromEnvironment({})).toEqual({
      maxDigestBytes: 5 * 1024 * 1024,
      digestTimezone: 'UTC',
    });
    expect(
      digestReadingFromEnvironment(digestReadingEnvironment({ digestTimezone: 'Asia/Shanghai' })),
    ).toEqual({
      maxDigestBytes: 5 * 1024 * 1024,
      digestTimezone: 'Asia/Shanghai',
    });
    expect(digestReadingFromEnvironment({ ALLOWED_SENDERS: 'A@X.com, @example.com' }).allowedSenders).toBe(
      'a@x.com,@example.com',
    );
    expect(() => digestReadingFromEnvironment({ ALLOWED_SENDERS: ',' })).toThrow(
      /ALLOWED_SENDERS names nobody/,
    );
    expect(() => digestReadingFromEnvironment({ DIGEST_TIMEZONE: 'Mars/Base' })).toThrow(
      /DIGEST_TIMEZONE: unknown time zone 'Mars\/Base'/,
    );
  });
});

describe('Function: readContext', () => {
  it('reads known keys, checked, and leaves the CDK’s namespaced keys alone', () => {
    // Act
    const values = readContext({
      digestTimezone: 'Asia/Shanghai',
      itemsPerFeed: '20',
      '@aws-cdk/core:checkSecretUsage': true,
      'aws:cdk:bundling-stacks': [],
    });

    // Assess
    expect(values).toEqual({ digestTimezone: 'Asia/Shanghai', itemsPerFeed: 20 });
  });

  it('refuses an unknown key and names the one meant', () => {
    // Act & Assess
    expect(() => readContext({ digestTimeZone: 'Asia/Shanghai' })).toThrow(
      /unknown context key 'digestTimeZone': did you mean 'digestTimezone'\?/,
    );
    expect(() => readContext({ nothingLikeIt: 'x' })).toThrow(
      /unknown context key 'nothingLikeIt' \(known: /,
    );
  });

  it('refuses a value that is not a string, or that fails its check, naming the key', () => {
    // Act & Assess
    expect(() => readContext({ alarmEmail: 42 })).toThrow(/Context value alarmEmail must be a string/);
    expect(() => readContext({ itemsPerFeed: '5000' })).toThrow(
      /-c itemsPerFeed: itemsPerFeed must be a whole number from 1 to 1000/,
    );
  });
});

describe('Function: readFlags', () => {
  it('reads the flags of the settings asked for and names a refused flag', () => {
    // Act & Assess
    expect(
      readFlags(['hubUrl', 'maxDigestBytes'], { hub: 'https://hub.example.net', 'max-bytes': '1M' }),
    ).toEqual({
      hubUrl: 'https://hub.example.net/',
      maxDigestBytes: 1024 * 1024,
    });
    expect(() => readFlags(['maxDigestBytes'], { 'max-bytes': 'lots' })).toThrow(
      /--max-bytes must be a positive number of bytes/,
    );
  });
});

describe('Function: closestName', () => {
  it('finds a slip of case or a letter or two, and nothing for an unrelated word', () => {
    // Act & Assess
    expect(closestName('digestTimeZone', CONTEXT_KEYS)).toBe('digestTimezone');
    expect(closestName('sitTitle', CONTEXT_KEYS)).toBe('siteTitle');
    expect(closestName('hubrl', CONTEXT_KEYS)).toBe('hubUrl');
    expect(closestName('banana', CONTEXT_KEYS)).toBeUndefined();
  });
});
