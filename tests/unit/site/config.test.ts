import { DEFAULT_SITE_CONFIG, renderTopicFeeds, resolveSiteConfig, SiteConfigError } from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { aStory } from './stories.ts';

describe('resolveSiteConfig', () => {
  it('gives the documented defaults when called with nothing', () => {
    // Act
    const config = resolveSiteConfig();

    // Assess
    expect(config).toEqual({
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
    expect(DEFAULT_SITE_CONFIG.baseUrl).toBe(config.baseUrl);
  });

  it('takes the identity of the publication: description, icon and logo as paths under the base URL, a mail-in address', () => {
    // Act
    const config = resolveSiteConfig({
      siteTitle: ' CX Daily ',
      description: 'China’s tech news,\u0000 daily.',
      icon: 'brand/icon.png',
      logo: 'logo.png',
      mailIn: 'digests@example.com',
    });
    const none = resolveSiteConfig({ icon: '', logo: '', mailIn: '' });

    // Assess
    expect(config).toMatchObject({
      siteTitle: 'CX Daily',
      description: 'China’s tech news, daily.',
      icon: 'brand/icon.png',
      logo: 'logo.png',
      mailIn: 'digests@example.com',
    });
    expect(none).toMatchObject({ icon: null, logo: null, mailIn: null });
  });

  it.each([
    [{ description: '  ' }, /description must be non-empty text of at most 500 characters/],
    [{ description: 'x'.repeat(501) }, /description must be non-empty/],
    [{ icon: '../secret.png' }, /icon '\.\.\/secret\.png' must be a path under the base URL/],
    [{ icon: 'brand/./icon.png' }, /icon .* must be a path under the base URL/],
    [{ icon: '/icon.png' }, /icon '\/icon\.png' must be a path under the base URL/],
    [{ logo: 'javascript:alert(1)' }, /logo 'javascript:alert\(1\)' must be a path/],
    [{ logo: 'https://cdn.example.com/logo.png' }, /logo .* must be a path under the base URL/],
    [{ mailIn: 'not an address' }, /mailIn 'not an address' must be an e-mail address/],
    [{ mailIn: 'a@localhost' }, /mailIn 'a@localhost' must be an e-mail address/],
  ])('refuses an unusable identity setting %j, naming it', (partial, message) => {
    // Act & Assess
    expect(() => resolveSiteConfig(partial)).toThrow(SiteConfigError);
    expect(() => resolveSiteConfig(partial)).toThrow(message);
  });

  it('adds the trailing slash to a base URL and keeps its path', () => {
    // Act
    const bare = resolveSiteConfig({ baseUrl: 'https://feeds.example.com' });
    const nested = resolveSiteConfig({ baseUrl: 'https://example.com/news' });

    // Assess
    expect(bare.baseUrl).toBe('https://feeds.example.com/');
    expect(nested.baseUrl).toBe('https://example.com/news/');
  });

  it('makes the base URL path a valid URI path in canonical form, whatever the WHATWG parser left in it', () => {
    // Act
    const config = resolveSiteConfig({ baseUrl: 'https://example.com/a|b[c]^d/%7euser/%e6%b1%bd/100%' });

    // Assess
    expect(config.baseUrl).toBe('https://example.com/a%7Cb%5Bc%5D%5Ed/~user/%E6%B1%BD/100%25/');
  });

  it('gives valid tag: ids (RFC 4151) under a base path holding characters URIs forbid', () => {
    // Prepare
    const tagUri =
      /^tag:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*,\d{4}(?:-\d{2}(?:-\d{2})?)?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})*$/;
    const config = resolveSiteConfig({ baseUrl: 'https://Example.com/news|daily/%7eeditors/' });

    // Act
    const atom = renderTopicFeeds({ slug: '汽车', name: '汽车' }, [aStory({ topicSlug: '汽车' })], config)[1];

    // Assess
    const ids = [...(atom?.body ?? '').matchAll(/<id>([^<]*)<\/id>/g)].map((match) => match[1]);
    expect(ids).toEqual([
      'tag:example.com,2020:news%7Cdaily/~editors/feed/%E6%B1%BD%E8%BD%A6',
      `tag:example.com,2020:news%7Cdaily/~editors/story/${aStory().storyId}`,
    ]);
    for (const id of ids) expect(id).toMatch(tagUri);
  });

  it('treats undefined fields as unset', () => {
    // Act
    const config = resolveSiteConfig({ siteTitle: undefined, itemsPerFeed: undefined });

    // Assess
    expect(config.siteTitle).toBe('feedwright');
    expect(config.itemsPerFeed).toBe(50);
  });

  it.each([
    [{ baseUrl: 'feeds.example.com' }, /baseUrl/],
    [{ baseUrl: 'ftp://feeds.example.com/' }, /http or https/],
    [{ baseUrl: 'https://feeds.example.com/?x=1' }, /query/],
    [{ siteTitle: '  ' }, /siteTitle/],
    [{ language: 'english please' }, /language/],
    [{ itemsPerFeed: 0 }, /itemsPerFeed/],
    [{ itemsPerFeed: 2.5 }, /itemsPerFeed/],
    [{ maxFeedBytes: 100 }, /maxFeedBytes/],
    [{ tagDate: 'yesterday' }, /tagDate/],
    [{ tagDate: '2020-13' }, /tagDate '2020-13' is not a calendar date/],
    [{ tagDate: '2021-02-29' }, /tagDate/],
  ])('rejects %o with a message naming the setting', (partial, message) => {
    // Act & Assess
    expect(() => resolveSiteConfig(partial)).toThrow(SiteConfigError);
    expect(() => resolveSiteConfig(partial)).toThrow(message);
  });
});
