import type { Story } from '@feedwright/digest';
import { ALL_STORIES, renderTopicFeeds, resolveSiteConfig, type SiteFile } from '@feedwright/site';
import { parseFragment } from 'parse5';
import { describe, expect, it } from 'vitest';
import {
  htmlElements,
  readWithFeedsmith,
  readWithRowan,
  siteProblems,
  textOf,
} from '../../support/validators.ts';
import { aQuickHit, aStory, aStoryWithLists, HOSTILE, HOSTILE_AS_TEXT, someStories } from './stories.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com' });
const INVESTMENT = { slug: 'investment', name: 'Investment' };
const FORMATS = [
  ['rss', 'feeds/investment/rss.xml'],
  ['atom', 'feeds/investment/atom.xml'],
  ['json', 'feeds/investment/feed.json'],
] as const;

const byPath = (files: readonly SiteFile[], path: string): string => {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`no ${path} among ${files.map((f) => f.path).join(', ')}`);
  return file.body;
};

const guidOf = (storyId: string): string => `tag:feeds.example.com,2020:story/${storyId}`;
const pageOf = (storyId: string): string => `https://feeds.example.com/stories/${storyId}.html`;

describe('renderTopicFeeds', () => {
  it('writes rss.xml, atom.xml and feed.json with their content types and cache headers', () => {
    // Act
    const files = renderTopicFeeds(INVESTMENT, [aStory()], config);

    // Assess
    expect(files.map(({ path, contentType, cacheControl }) => ({ path, contentType, cacheControl }))).toEqual(
      [
        {
          path: 'feeds/investment/rss.xml',
          contentType: 'application/rss+xml; charset=utf-8',
          cacheControl: 'public, max-age=60, stale-while-revalidate=300',
        },
        {
          path: 'feeds/investment/atom.xml',
          contentType: 'application/atom+xml; charset=utf-8',
          cacheControl: 'public, max-age=60, stale-while-revalidate=300',
        },
        {
          path: 'feeds/investment/feed.json',
          contentType: 'application/feed+json; charset=utf-8',
          cacheControl: 'public, max-age=60, stale-while-revalidate=300',
        },
      ],
    );
  });

  it('passes libxml2, the Atom RELAX NG grammar and Schematron rules, and the JSON Feed 1.1 schema', async () => {
    // Prepare
    const stories = [...someStories(3), aQuickHit()];

    // Act
    const files = renderTopicFeeds(INVESTMENT, stories, config);

    // Assess
    expect(await siteProblems(files)).toEqual([]);
  });

  it.each(FORMATS)(
    '%s reads back with the stories’ titles, permalinks, stable ids and times, newest first',
    (format, path) => {
      // Prepare
      const stories = [aQuickHit(), ...someStories(3)];

      // Act
      const feed = readWithFeedsmith(format, byPath(renderTopicFeeds(INVESTMENT, stories, config), path));

      // Assess
      const newestFirst = [...stories].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
      expect(feed.items.map(({ id, title, url, published }) => ({ id, title, url, published }))).toEqual(
        newestFirst.map((story) => ({
          id: guidOf(story.storyId),
          title: story.title,
          url: pageOf(story.storyId),
          published: Date.parse(story.publishedAt),
        })),
      );
      expect(feed.selfUrl).toBe(`https://feeds.example.com/${path}`);
      expect(feed.language).toBe('en');
    },
  );

  it.each(['rss', 'atom'] as const)('%s reads back the same with @rowanmanning/feed-parser', (format) => {
    // Prepare
    const stories = someStories(3);

    // Act
    const body = byPath(renderTopicFeeds(INVESTMENT, stories, config), `feeds/investment/${format}.xml`);
    const feed = readWithRowan(body);

    // Assess
    expect(feed.title).toBe('feedwright: Investment');
    expect(feed.selfUrl).toBe(`https://feeds.example.com/feeds/investment/${format}.xml`);
    expect(feed.updated).toBe(Date.parse('2020-12-01T09:19:00Z'));
    expect(feed.items.map(({ id, title, url, published }) => ({ id, title, url, published }))).toEqual(
      stories.map((story) => ({
        id: guidOf(story.storyId),
        title: story.title,
        url: pageOf(story.storyId),
        published: Date.parse(story.publishedAt),
      })),
    );
  });

  it('gives the whole story as HTML content and the first paragraph as summary', () => {
    // Prepare
    const story = aStory();

    // Act
    const files = renderTopicFeeds(INVESTMENT, [story], config);

    // Assess
    for (const [format, path] of FORMATS) {
      const [item] = readWithFeedsmith(format, byPath(files, path)).items;
      const content = parseFragment(item?.contentHtml ?? '');
      const paragraphs = htmlElements(`<body>${item?.contentHtml ?? ''}</body>`)
        .filter((element) => element.tagName === 'p')
        .map(textOf);
      expect(paragraphs.slice(0, 2), format).toEqual(story.paragraphs);
      expect(textOf(content), format).toContain(story.imageCaption ?? 'caption');
      expect(textOf(content), format).toContain(story.related[0] ?? 'related');
      expect(item?.summary, format).toBe(story.paragraphs[0]);
    }
  });

  it('gives list items as <ul> and <ol> in the content HTML of every format, valid and without markers', async () => {
    // Prepare
    const story = aStoryWithLists();

    // Act
    const files = renderTopicFeeds(INVESTMENT, [story], config);

    // Assess
    expect(await siteProblems(files)).toEqual([]);
    for (const [format, path] of FORMATS) {
      const [item] = readWithFeedsmith(format, byPath(files, path)).items;
      const elements = htmlElements(`<body>${item?.contentHtml ?? ''}</body>`);
      const listsOf = (tag: string) =>
        elements.filter((el) => el.tagName === tag).map((list) => list.childNodes.map(textOf));
      expect(listsOf('ol'), format).toEqual([['File by May', 'Report monthly', 'Close by June']]);
      expect(listsOf('ul'), format).toEqual([['Higher capital', 'Fewer products'], [...story.related]]);
      // The summary is the first paragraph as written; the model keeps the markers.
      expect(item?.summary, format).toBe('The regulator listed what changes:');
    }
  });

  it('marks the topic as category: RSS name, Atom term and label, JSON Feed tag', () => {
    // Act
    const files = renderTopicFeeds(INVESTMENT, [aStory()], config);

    // Assess
    expect(byPath(files, 'feeds/investment/rss.xml')).toContain('<category>Investment</category>');
    expect(byPath(files, 'feeds/investment/atom.xml')).toContain(
      '<category term="investment" label="Investment" scheme="https://feeds.example.com/feeds/"/>',
    );
    expect(JSON.parse(byPath(files, 'feeds/investment/feed.json')).items[0].tags).toEqual(['Investment']);
  });

  it('names the author with dc:creator in RSS, on every Atom entry, and as JSON Feed 1.1 authors', () => {
    // Act
    const files = renderTopicFeeds(INVESTMENT, [aStory()], resolveSiteConfig({ author: 'Desk & Co' }));

    // Assess
    const rss = byPath(files, 'feeds/investment/rss.xml');
    expect(rss).toContain('<dc:creator>Desk &#x26; Co</dc:creator>');
    expect(rss).not.toContain('<author>');
    expect(
      byPath(files, 'feeds/investment/atom.xml').match(/<author><name>Desk &amp; Co<\/name><\/author>/g),
    ).toHaveLength(2);
    const json = JSON.parse(byPath(files, 'feeds/investment/feed.json'));
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.authors).toEqual([{ name: 'Desk & Co' }]);
    expect(json.items[0].authors).toEqual([{ name: 'Desk & Co' }]);
    expect(json.items[0]).not.toHaveProperty('date_modified');
    expect(json.items[0]).not.toHaveProperty('author');
  });

  it('keeps a quick hit a headline-only item that is still valid in every format', async () => {
    // Prepare
    const quickHit = aQuickHit();

    // Act
    const files = renderTopicFeeds({ slug: 'quick-hits', name: 'Quick hits' }, [quickHit], config);

    // Assess
    expect(await siteProblems(files)).toEqual([]);
    const rss = byPath(files, 'feeds/quick-hits/rss.xml');
    expect(rss).not.toContain('<description>&');
    expect(rss).not.toContain('content:encoded>');
    expect(byPath(files, 'feeds/quick-hits/atom.xml')).not.toContain('<content');
    const [item] = JSON.parse(byPath(files, 'feeds/quick-hits/feed.json')).items;
    expect(item.content_text).toBe(quickHit.title);
  });

  it('gives RSS a description before content:encoded when a story has a caption but no paragraph', () => {
    // Prepare
    const captioned = aQuickHit({ imageCaption: 'A testing site in Shenzhen on Sunday.' });

    // Act
    const files = renderTopicFeeds({ slug: 'quick-hits', name: 'Quick hits' }, [captioned], config);

    // Assess
    const rss = byPath(files, 'feeds/quick-hits/rss.xml');
    const description = rss.indexOf('<description>&#x3C;figure');
    expect(description).toBeGreaterThan(0);
    expect(rss.indexOf('<content:encoded>')).toBeGreaterThan(description);
    const [item] = readWithFeedsmith('rss', rss).items;
    expect(textOf(parseFragment(item?.summary ?? ''))).toBe('Photo: A testing site in Shenzhen on Sunday.');
  });

  it('names a story and topic made of control characters alone by their id and slug, never blank', () => {
    // Prepare
    const blank = aStory({
      storyId: 'blank-story',
      title: '\u0007\u0007 ',
      topic: '\u0007',
      topicSlug: 'topic-x',
    });

    // Act
    const files = renderTopicFeeds({ slug: 'topic-x', name: '\u0007' }, [blank], config);

    // Assess
    const rss = byPath(files, 'feeds/topic-x/rss.xml');
    expect(rss).toContain('<title>feedwright: topic-x</title>');
    expect(rss).toContain('<title>blank-story</title>');
    expect(rss).toContain('<category>topic-x</category>');
    expect(byPath(files, 'feeds/topic-x/atom.xml')).toContain('<title type="text">blank-story</title>');
    expect(JSON.parse(byPath(files, 'feeds/topic-x/feed.json')).items[0].title).toBe('blank-story');
  });

  it('dates the feed from its newest story, never the clock', () => {
    // Prepare
    const stories = someStories(3);

    // Act
    const files = renderTopicFeeds(INVESTMENT, stories, config);

    // Assess
    expect(byPath(files, 'feeds/investment/rss.xml')).toContain(
      '<lastBuildDate>Tue, 01 Dec 2020 09:19:00 GMT</lastBuildDate>',
    );
    expect(byPath(files, 'feeds/investment/atom.xml')).toContain('<updated>2020-12-01T09:19:00Z</updated>');
  });

  it('gives byte-identical files whatever the order of the stories', () => {
    // Prepare
    const stories = [
      ...someStories(6),
      aQuickHit(),
      aStory({ storyId: 'same-time-b' }),
      aStory({ storyId: 'same-time-a' }),
    ];
    const shuffled = [
      stories[4],
      stories[8],
      stories[0],
      stories[7],
      stories[2],
      stories[6],
      stories[1],
      stories[5],
      stories[3],
    ].filter((story): story is Story => story !== undefined);

    // Act
    const first = renderTopicFeeds(INVESTMENT, stories, config);
    const second = renderTopicFeeds(INVESTMENT, shuffled, config);

    // Assess
    expect(shuffled).toHaveLength(stories.length);
    expect(second).toEqual(first);
  });

  it('keeps a story’s GUID when its text is edited', () => {
    // Prepare
    const original = aStory();
    const edited = aStory({ title: 'Corrected headline', paragraphs: ['A corrected first paragraph.'] });

    // Act
    const before = readWithFeedsmith(
      'rss',
      byPath(renderTopicFeeds(INVESTMENT, [original], config), 'feeds/investment/rss.xml'),
    );
    const after = readWithFeedsmith(
      'rss',
      byPath(renderTopicFeeds(INVESTMENT, [edited], config), 'feeds/investment/rss.xml'),
    );

    // Assess
    expect(after.items[0]?.id).toBe(before.items[0]?.id);
    expect(after.items[0]?.title).toBe('Corrected headline');
  });

  it('puts the newest itemsPerFeed stories in each feed, once each', () => {
    // Prepare
    const stories = someStories(8);
    const duplicate = stories[0] ?? aStory();

    // Act
    const files = renderTopicFeeds(
      INVESTMENT,
      [...stories, duplicate],
      resolveSiteConfig({ itemsPerFeed: 5 }),
    );

    // Assess
    for (const [format, path] of FORMATS) {
      expect(
        readWithFeedsmith(format, byPath(files, path)).items.map((item) => item.title),
        format,
      ).toEqual(stories.slice(0, 5).map((story) => story.title));
    }
  });

  it('drops the oldest items until every format fits the byte budget, the same items in each', async () => {
    // Prepare
    const long = 'A long paragraph about the economy that goes on. '.repeat(40);
    const stories = someStories(30, { paragraphs: [long, long] });
    const budget = 40 * 1024;

    // Act
    const files = renderTopicFeeds(INVESTMENT, stories, resolveSiteConfig({ maxFeedBytes: budget }));

    // Assess
    const counts = FORMATS.map(
      ([format, path]) => readWithFeedsmith(format, byPath(files, path)).items.length,
    );
    for (const file of files) expect(Buffer.byteLength(file.body), file.path).toBeLessThanOrEqual(budget);
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[0]).toBeLessThan(30);
    const titles = readWithFeedsmith('atom', byPath(files, 'feeds/investment/atom.xml')).items.map(
      (item) => item.title,
    );
    expect(titles).toEqual(stories.slice(0, titles.length).map((story) => story.title));
    expect(await siteProblems(files)).toEqual([]);
  });

  it('keeps the newest story as a headline when it alone is over the budget', async () => {
    // Prepare
    const huge = aStory({ paragraphs: ['x'.repeat(20 * 1024)] });

    // Act
    const files = renderTopicFeeds(INVESTMENT, [huge], resolveSiteConfig({ maxFeedBytes: 16 * 1024 }));

    // Assess
    for (const [format, path] of FORMATS) {
      const [item] = readWithFeedsmith(format, byPath(files, path)).items;
      expect(item?.title, format).toBe(huge.title);
      // Atom summarises a headline-only entry with its headline (W3C MissingTextualContent).
      expect(item?.summary, format).toBe(format === 'atom' ? huge.title : undefined);
    }
    expect(await siteProblems(files)).toEqual([]);
  });

  it('renders a valid empty feed for a topic with no stories', async () => {
    // Act
    const files = renderTopicFeeds(INVESTMENT, [], config);

    // Assess
    expect(await siteProblems(files)).toEqual([]);
    expect(readWithFeedsmith('json', byPath(files, 'feeds/investment/feed.json')).items).toEqual([]);
  });

  it('dates an empty Atom feed from the tag date, not 1970 (the W3C validator flags dates before 1990)', () => {
    // Act
    const files = renderTopicFeeds(INVESTMENT, [], resolveSiteConfig({ tagDate: '2020-12' }));

    // Assess
    expect(byPath(files, 'feeds/investment/atom.xml')).toContain('<updated>2020-12-01T00:00:00Z</updated>');
  });

  it('puts each story’s own topic as category in the all-stories feed', () => {
    // Act
    const files = renderTopicFeeds(ALL_STORIES, [aStory(), aQuickHit()], config);

    // Assess
    const atom = byPath(files, 'feeds/all/atom.xml');
    expect(atom).toContain('<id>tag:feeds.example.com,2020:feed/all</id>');
    expect(atom).toContain('term="investment"');
    expect(atom).toContain('term="quick-hits"');
  });

  it('uses the permalink as GUID when the host cannot name a tag: authority', () => {
    // Act
    const files = renderTopicFeeds(
      INVESTMENT,
      [aStory()],
      resolveSiteConfig({ baseUrl: 'http://[::1]:8787/' }),
    );

    // Assess
    expect(byPath(files, 'feeds/investment/rss.xml')).toContain(
      '<guid isPermaLink="true">http://[::1]:8787/stories/2020-12-01-investment-china-expands-pilot-programs.html</guid>',
    );
  });

  it('keeps a CJK topic slug in file paths and percent-encodes it in URLs', async () => {
    // Prepare
    const cars = { slug: '汽车', name: '汽车' };
    const story = aStory({ topic: '汽车', topicSlug: '汽车', storyId: '2021-09-10-8-d993a13f' });

    // Act
    const files = renderTopicFeeds(cars, [story], config);

    // Assess
    expect(files.map((file) => file.path)).toEqual([
      'feeds/汽车/rss.xml',
      'feeds/汽车/atom.xml',
      'feeds/汽车/feed.json',
    ]);
    const atom = readWithFeedsmith('atom', byPath(files, 'feeds/汽车/atom.xml'));
    expect(atom.selfUrl).toBe('https://feeds.example.com/feeds/%E6%B1%BD%E8%BD%A6/atom.xml');
    expect(atom.homeUrl).toBe('https://feeds.example.com/#topic-%E6%B1%BD%E8%BD%A6');
    expect(await siteProblems(files)).toEqual([]);
  });

  it('refuses a story id that is not a safe path segment', () => {
    // Act & Assess
    expect(() => renderTopicFeeds(INVESTMENT, [aStory({ storyId: '../../etc/passwd' })], config)).toThrow(
      /not URL-safe/,
    );
  });
});

describe('renderTopicFeeds with hostile text', () => {
  const hostile = aStory({
    storyId: 'hostile',
    topic: `Topic ${HOSTILE}`,
    title: HOSTILE,
    paragraphs: [HOSTILE, `second ${HOSTILE}`],
    related: [HOSTILE],
    imageCaption: HOSTILE,
  });
  const hostileList = aStory({
    storyId: 'hostile-list',
    title: 'A list',
    paragraphs: ['First.', `• ${HOSTILE}`, `1. ${HOSTILE}`],
    related: [],
    imageCaption: null,
    publishedAt: '2020-12-01T09:18:00Z',
  });

  it('stays well-formed and valid in every format', async () => {
    // Act
    const files = renderTopicFeeds(INVESTMENT, [hostile, hostileList], config);

    // Assess
    expect(await siteProblems(files)).toEqual([]);
  });

  it.each(FORMATS)('%s keeps hostile list items as the text of plain list items', (format, path) => {
    // Act
    const [item] = readWithFeedsmith(
      format,
      byPath(renderTopicFeeds(INVESTMENT, [hostileList], config), path),
    ).items;

    // Assess
    const elements = htmlElements(`<body>${item?.contentHtml ?? ''}</body>`);
    expect(new Set(elements.map((element) => element.tagName))).toEqual(
      new Set(['html', 'head', 'body', 'p', 'ul', 'ol', 'li']),
    );
    expect(elements.flatMap((element) => element.attrs)).toEqual([]);
    expect(elements.filter((element) => element.tagName === 'li').map(textOf)).toEqual([
      HOSTILE_AS_TEXT,
      HOSTILE_AS_TEXT,
    ]);
  });

  it.each(FORMATS)(
    '%s reads back the title and summary as the same text, minus illegal characters',
    (format, path) => {
      // Act
      const [item] = readWithFeedsmith(
        format,
        byPath(renderTopicFeeds(INVESTMENT, [hostile], config), path),
      ).items;

      // Assess
      expect(item?.title).toBe(HOSTILE_AS_TEXT);
      // RSS <description> is HTML; Atom and JSON Feed summaries are plain text.
      const summary = format === 'rss' ? textOf(parseFragment(item?.summary ?? '')) : item?.summary;
      expect(summary).toBe(HOSTILE_AS_TEXT);
    },
  );

  it.each(FORMATS)('%s content HTML holds the text and no element from the digest', (format, path) => {
    // Act
    const [item] = readWithFeedsmith(
      format,
      byPath(renderTopicFeeds(INVESTMENT, [hostile], config), path),
    ).items;

    // Assess
    const elements = htmlElements(`<body>${item?.contentHtml ?? ''}</body>`);
    expect(new Set(elements.map((element) => element.tagName))).toEqual(
      new Set(['html', 'head', 'body', 'figure', 'figcaption', 'p', 'strong', 'ul', 'li']),
    );
    expect(elements.flatMap((element) => element.attrs)).toEqual([]);
    expect(textOf(parseFragment(item?.contentHtml ?? ''))).toContain(`second ${HOSTILE_AS_TEXT}`);
  });
});
