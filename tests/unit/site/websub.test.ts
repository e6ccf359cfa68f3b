import {
  buildSite,
  isSubscriptionFeedPath,
  renderTopicFeeds,
  resolveSiteConfig,
  SiteConfigError,
  websubLinkHeader,
} from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { readWithFeedsmith, siteProblems } from '../../support/validators.ts';
import { w3cFeedWarnings } from '../../support/w3c-feed-rules.ts';
import { aQuickHit, aStory } from './stories.ts';

const HUB = 'https://hub.example.net/websub?x=1&y=2';
const INVESTMENT = { slug: 'investment', name: 'Investment' };
const FORMATS = [
  ['rss', 'feeds/investment/rss.xml'],
  ['atom', 'feeds/investment/atom.xml'],
  ['json', 'feeds/investment/feed.json'],
] as const;

describe('WebSub discovery in feeds', () => {
  it('advertises the hub and the feed itself in RSS, Atom and JSON Feed when hubUrl is set', async () => {
    // Prepare
    const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/', hubUrl: HUB });

    // Act
    const files = renderTopicFeeds(INVESTMENT, [aStory(), aQuickHit()], config);

    // Assess
    for (const [format, path] of FORMATS) {
      const body = files.find((file) => file.path === path)?.body ?? '';
      const read = readWithFeedsmith(format, body);
      expect(read.hubUrl, format).toBe(HUB);
      expect(read.selfUrl, format).toBe(`https://feeds.example.com/${path}`);
      expect(w3cFeedWarnings(path, body), format).toEqual([]);
    }
    expect(await siteProblems(files)).toEqual([]);
    // The edge revalidates each request, so a hub fetching at once gets the new bytes.
    expect(files.map((file) => file.cacheControl)).toEqual(
      FORMATS.map(() => 'public, max-age=60, s-maxage=0, must-revalidate'),
    );
  });

  it('advertises no hub by default', () => {
    // Act
    const files = buildSite([aStory()], resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' }));

    // Assess
    for (const file of files) {
      expect(file.body, file.path).not.toMatch(/rel="hub"|"hubs"/);
    }
  });

  it('refuses a hub that is not an absolute http(s) URL', () => {
    // Act
    const attempts = ['hub.example.net', 'ftp://hub.example.net/', 'https://hub.example.net/#x'].map(
      (hubUrl) => {
        try {
          resolveSiteConfig({ hubUrl });
          return 'accepted';
        } catch (error) {
          return error instanceof SiteConfigError ? error.message : String(error);
        }
      },
    );

    // Assess
    expect(attempts).toEqual([
      expect.stringContaining("hubUrl 'hub.example.net' is not an absolute URL"),
      expect.stringContaining('must use http or https'),
      expect.stringContaining('must not carry a fragment'),
    ]);
  });

  it('knows the subscription feeds (topics, all, issues) from archives, pages and listings', () => {
    // Act
    const verdicts = Object.fromEntries(
      [
        'feeds/all/rss.xml',
        'feeds/汽车/atom.xml',
        'feeds/investment/feed.json',
        'issues/rss.xml',
        'feeds/investment/archive/2020-12.xml',
        'feeds/investment/archive/2020-12.json',
        'stories/a.html',
        'feeds.opml',
        'index.html',
      ].map((path) => [path, isSubscriptionFeedPath(path)]),
    );

    // Assess
    expect(verdicts).toEqual({
      'feeds/all/rss.xml': true,
      'feeds/汽车/atom.xml': true,
      'feeds/investment/feed.json': true,
      'issues/rss.xml': true,
      'feeds/investment/archive/2020-12.xml': false,
      'feeds/investment/archive/2020-12.json': false,
      'stories/a.html': false,
      'feeds.opml': false,
      'index.html': false,
    });
  });

  it('writes the Link header WebSub discovery reads', () => {
    // Act
    const header = websubLinkHeader(HUB, 'https://feeds.example.com/feeds/all/rss.xml');

    // Assess
    expect(header).toBe(`<${HUB}>; rel="hub", <https://feeds.example.com/feeds/all/rss.xml>; rel="self"`);
  });
});
