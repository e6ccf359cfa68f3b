import { assertRenderable, InvalidStoryError } from '@feedwright/digest';
import { buildSite, resolveSiteConfig, sortNewestFirst } from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { readWithFeedsmith, siteProblems } from '../../support/validators.ts';
import { aQuickHit, aStory, HOSTILE, someStories } from './stories.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });

describe('buildSite', () => {
  it('renders the whole tree: feeds per topic and for all, a page per story, index and OPML', () => {
    // Act
    const files = buildSite([aStory(), aQuickHit()], config);

    // Assess
    expect(files.map((file) => file.path)).toEqual([
      'favicon.svg',
      'feeds.opml',
      'feeds/all/atom.xml',
      'feeds/all/feed.json',
      'feeds/all/rss.xml',
      'feeds/investment/atom.xml',
      'feeds/investment/feed.json',
      'feeds/investment/rss.xml',
      'feeds/quick-hits/atom.xml',
      'feeds/quick-hits/feed.json',
      'feeds/quick-hits/rss.xml',
      'index.html',
      'stories/2020-12-01-investment-china-expands-pilot-programs.html',
      'stories/2020-12-01-quick-hits-globalization-is-not-in-decline.html',
    ]);
  });

  it('gives files that pass every check, hostile text included', async () => {
    // Prepare
    const stories = [
      ...someStories(3),
      aQuickHit(),
      aStory({
        storyId: 'hostile',
        topic: HOSTILE,
        topicSlug: 'hostile',
        title: HOSTILE,
        paragraphs: [HOSTILE],
      }),
    ];

    // Act
    const files = buildSite(stories, config);

    // Assess
    expect(await siteProblems(files)).toEqual([]);
  });

  it('is deterministic: the same stories in another order give the same files', () => {
    // Prepare
    const stories = [
      ...someStories(4),
      aQuickHit(),
      aStory({ storyId: 'b-tie' }),
      aStory({ storyId: 'a-tie' }),
    ];

    // Act
    const forward = buildSite(stories, config);
    const backward = buildSite([...stories].reverse(), config);

    // Assess
    expect(backward).toEqual(forward);
  });

  it('keeps the newer copy when a storyId occurs twice', () => {
    // Prepare
    const older = aStory({ title: 'Old headline', publishedAt: '2020-11-30T09:00:00Z' });
    const newer = aStory({ title: 'New headline', publishedAt: '2020-12-01T09:00:00Z' });

    // Act
    const files = buildSite([newer, older], config);
    const reversed = buildSite([older, newer], config);

    // Assess
    const rss = files.find((file) => file.path === 'feeds/all/rss.xml')?.body ?? '';
    expect(readWithFeedsmith('rss', rss).items.map((item) => item.title)).toEqual(['New headline']);
    expect(reversed).toEqual(files);
  });

  it('refuses a topic that takes the reserved slug "all"', () => {
    // Act & Assess
    expect(() => buildSite([aStory({ topicSlug: 'all' })], config)).toThrow(InvalidStoryError);
  });

  it('renders an empty site when there are no stories', async () => {
    // Act
    const files = buildSite([], config);

    // Assess
    expect(files.map((file) => file.path)).toEqual([
      'favicon.svg',
      'feeds.opml',
      'feeds/all/atom.xml',
      'feeds/all/feed.json',
      'feeds/all/rss.xml',
      'index.html',
    ]);
    expect(await siteProblems(files)).toEqual([]);
  });
});

describe('sortNewestFirst', () => {
  it('orders by time, newest first, then by storyId', () => {
    // Prepare
    const late = aStory({ storyId: 'late', publishedAt: '2020-12-02T00:00:00Z' });
    const tieB = aStory({ storyId: 'tie-b', publishedAt: '2020-12-01T00:00:00Z' });
    const tieA = aStory({ storyId: 'tie-a', publishedAt: '2020-12-01T00:00:00.000Z' });

    // Act
    const sorted = sortNewestFirst([tieB, late, tieA]);

    // Assess
    expect(sorted.map((story) => story.storyId)).toEqual(['late', 'tie-a', 'tie-b']);
  });

  it('refuses a publishedAt that is not an instant', () => {
    // Act & Assess
    expect(() => sortNewestFirst([aStory({ publishedAt: 'yesterday' })])).toThrow(/not an ISO 8601 instant/);
  });

  it.each([
    ['December 1, 2020 09:19', /not an ISO 8601 instant/],
    ['+010000-01-01T00:00:00Z', /not an ISO 8601 instant/],
    ['9999-12-31T23:30:00-05:00', /outside the years 0000 to 9999/],
  ])('refuses publishedAt %s, which no feed date format could carry', (publishedAt, message) => {
    // Act & Assess
    expect(() => assertRenderable(aStory({ publishedAt }))).toThrow(message);
  });
});
