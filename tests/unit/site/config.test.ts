import { DEFAULT_SITE_CONFIG, resolveSiteConfig, SiteConfigError } from '@feedwright/site';
import { describe, expect, it } from 'vitest';

describe('resolveSiteConfig', () => {
  it('gives the documented defaults when called with nothing', () => {
    // Act
    const config = resolveSiteConfig();

    // Assess
    expect(config).toEqual({
      baseUrl: 'http://127.0.0.1:8787/',
      siteTitle: 'feedwright',
      author: 'feedwright editors',
      language: 'en',
      itemsPerFeed: 50,
      maxFeedBytes: 512 * 1024,
      indexHeadlines: 5,
      tagDate: '2020',
    });
    expect(DEFAULT_SITE_CONFIG.baseUrl).toBe(config.baseUrl);
  });

  it('adds the trailing slash to a base URL and keeps its path', () => {
    // Act
    const bare = resolveSiteConfig({ baseUrl: 'https://feeds.example.com' });
    const nested = resolveSiteConfig({ baseUrl: 'https://example.com/news' });

    // Assess
    expect(bare.baseUrl).toBe('https://feeds.example.com/');
    expect(nested.baseUrl).toBe('https://example.com/news/');
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
  ])('rejects %o with a message naming the setting', (partial, message) => {
    // Act & Assess
    expect(() => resolveSiteConfig(partial)).toThrow(SiteConfigError);
    expect(() => resolveSiteConfig(partial)).toThrow(message);
  });
});
