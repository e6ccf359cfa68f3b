import {
  ALL_STORIES,
  renderIndex,
  renderOpml,
  renderStoryPage,
  resolveSiteConfig,
  type TopicListing,
} from '@feedwright/site';
import type { DefaultTreeAdapterTypes } from 'parse5';
import { describe, expect, it } from 'vitest';
import {
  attr,
  htmlElements,
  htmlProblems,
  readOpml,
  textOf,
  xmlWellFormednessProblems,
} from '../../support/validators.ts';
import { aQuickHit, aStory, aStoryWithLists, HOSTILE, HOSTILE_AS_TEXT, someStories } from './stories.ts';

type HtmlElement = DefaultTreeAdapterTypes.Element;

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });
const QUICK_HITS = { slug: 'quick-hits', name: 'Quick hits' };
const INVESTMENT = { slug: 'investment', name: 'Investment' };

const alternatesOf = (html: string) =>
  htmlElements(html)
    .filter((element) => element.tagName === 'link' && attr(element, 'rel') === 'alternate')
    .map((element) => ({ type: attr(element, 'type'), href: attr(element, 'href') }));

describe('renderStoryPage', () => {
  it('writes stories/<storyId>.html as HTML with the long cache header', () => {
    // Act
    const page = renderStoryPage(aStory(), config);

    // Assess
    expect(page.path).toBe('stories/2020-12-01-investment-china-expands-pilot-programs.html');
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.cacheControl).toBe('public, max-age=3600, stale-while-revalidate=86400');
  });

  it('parses with no HTML error and carries the canonical link and its topic’s three feeds', () => {
    // Act
    const { body } = renderStoryPage(aStory(), config);

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    const canonical = htmlElements(body).find(
      (el) => el.tagName === 'link' && attr(el, 'rel') === 'canonical',
    );
    expect(canonical && attr(canonical, 'href')).toBe(
      'https://feeds.example.com/stories/2020-12-01-investment-china-expands-pilot-programs.html',
    );
    expect(alternatesOf(body)).toEqual([
      { type: 'application/rss+xml', href: 'https://feeds.example.com/feeds/investment/rss.xml' },
      { type: 'application/atom+xml', href: 'https://feeds.example.com/feeds/investment/atom.xml' },
      { type: 'application/feed+json', href: 'https://feeds.example.com/feeds/investment/feed.json' },
    ]);
  });

  it('shows the headline, time, caption, paragraphs and related headlines as text', () => {
    // Prepare
    const story = aStory();

    // Act
    const elements = htmlElements(renderStoryPage(story, config).body);

    // Assess
    const texts = (tag: string) => elements.filter((el) => el.tagName === tag).map(textOf);
    expect(texts('h1')).toEqual([story.title]);
    expect(texts('figcaption')).toEqual([story.imageCaption]);
    expect(texts('p')).toEqual(expect.arrayContaining([...story.paragraphs]));
    expect(texts('li')).toEqual([...story.related]);
    expect(texts('time')).toEqual(['1 December 2020, 09:19 UTC']);
  });

  it('shows a headline and topic of control characters alone as the story id and topic slug', () => {
    // Prepare
    const blank = aStory({ storyId: 'blank-story', title: '\u0007', topic: '\u0001 ', topicSlug: 'topic-x' });

    // Act
    const elements = htmlElements(renderStoryPage(blank, config).body);
    const index = htmlElements(
      renderIndex([{ topic: { slug: 'topic-x', name: '\u0001' }, latest: [blank] }], config).body,
    );

    // Assess
    expect(elements.filter((el) => el.tagName === 'h1').map(textOf)).toEqual(['blank-story']);
    expect(elements.filter((el) => el.tagName === 'title').map(textOf)).toEqual(['blank-story · feedwright']);
    expect(index.filter((el) => el.tagName === 'h2').map(textOf)).toEqual(['topic-x']);
    const headline = index.find(
      (el) => el.tagName === 'a' && attr(el, 'href') === 'stories/blank-story.html',
    );
    expect(headline && textOf(headline)).toBe('blank-story');
    expect(readOpml(renderOpml([{ slug: 'topic-x', name: '\u0001' }], config).body)[1]?.text).toBe('topic-x');
  });

  it('carries a restrictive Content-Security-Policy', () => {
    // Act
    const elements = htmlElements(renderStoryPage(aStory(), config).body);

    // Assess
    const csp = elements.find(
      (el) => el.tagName === 'meta' && attr(el, 'http-equiv') === 'Content-Security-Policy',
    );
    expect(csp && attr(csp, 'content')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it('renders a quick hit as a page with just its headline', () => {
    // Act
    const { body } = renderStoryPage(aQuickHit(), config);

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    expect(
      htmlElements(body)
        .filter((el) => el.tagName === 'h1')
        .map(textOf),
    ).toEqual([aQuickHit().title]);
  });

  it('shows a run of bulleted paragraphs as a <ul> and numbered ones as an <ol>, without their markers', () => {
    // Act
    const { body } = renderStoryPage(aStoryWithLists(), config);

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    const article = htmlElements(body).find((el) => el.tagName === 'article');
    const blocks = (article?.childNodes ?? []).filter((node) => 'tagName' in node) as HtmlElement[];
    const items = (list: HtmlElement | undefined) =>
      (list?.childNodes ?? []).filter((node) => 'tagName' in node).map((li) => textOf(li));
    expect(blocks.map((el) => el.tagName)).toEqual([
      'p',
      'h1',
      'figure',
      'p',
      'ul',
      'p',
      'ol',
      'p',
      'p',
      'ul',
    ]);
    expect(items(blocks[4])).toEqual(['Higher capital', 'Fewer products']);
    expect(items(blocks[6])).toEqual(['File by May', 'Report monthly', 'Close by June']);
    expect(blocks[6] && attr(blocks[6], 'start')).toBe('3');
    const numbered = (blocks[6]?.childNodes ?? []).filter((node) => 'tagName' in node) as HtmlElement[];
    expect(numbered.map((li) => attr(li, 'value'))).toEqual([undefined, undefined, '7']);
    expect(blocks.map(textOf)).toContain('The regulator listed what changes:');
  });

  it('keeps a hostile list item as text in its list', () => {
    // Prepare
    const story = aStory({ paragraphs: ['First.', `• ${HOSTILE}`, `1. ${HOSTILE}`], related: [] });

    // Act
    const { body } = renderStoryPage(story, config);

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    const elements = htmlElements(body);
    expect(elements.filter((el) => el.tagName === 'li').map(textOf)).toEqual([
      HOSTILE_AS_TEXT,
      HOSTILE_AS_TEXT,
    ]);
    expect(
      elements.filter((el) => el.tagName === 'ul' || el.tagName === 'ol').map((el) => el.tagName),
    ).toEqual(['ul', 'ol']);
    expect(elements.some((el) => el.tagName === 'script' || el.tagName === 'img')).toBe(false);
  });

  it('keeps hostile text inert in every part of the page', () => {
    // Prepare
    const story = aStory({
      topic: HOSTILE,
      title: HOSTILE,
      paragraphs: [HOSTILE],
      related: [HOSTILE],
      imageCaption: HOSTILE,
    });

    // Act
    const { body } = renderStoryPage(story, config);

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    const elements = htmlElements(body);
    expect(elements.filter((el) => el.tagName === 'h1').map(textOf)).toEqual([HOSTILE_AS_TEXT]);
    expect(elements.filter((el) => el.tagName === 'title').map(textOf)).toEqual([
      `${HOSTILE_AS_TEXT} · feedwright`,
    ]);
    const description = elements.find((el) => el.tagName === 'meta' && attr(el, 'name') === 'description');
    expect(description && attr(description, 'content')).toBe(HOSTILE_AS_TEXT);
  });
});

describe('renderIndex', () => {
  const listings: TopicListing[] = [
    { topic: QUICK_HITS, latest: [aQuickHit()] },
    { topic: INVESTMENT, latest: someStories(8) },
    { topic: ALL_STORIES, latest: [aQuickHit(), ...someStories(2)] },
  ];

  it('lists All stories first, then topics by name, each with subscribe links for the three formats', () => {
    // Act
    const { body, path, cacheControl } = renderIndex(listings, config);

    // Assess
    expect(path).toBe('index.html');
    expect(cacheControl).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(htmlProblems(body)).toEqual([]);
    const elements = htmlElements(body);
    expect(elements.filter((el) => el.tagName === 'h2').map(textOf)).toEqual([
      'All stories',
      'Investment',
      'Quick hits',
    ]);
    const hrefs = elements.filter((el) => el.tagName === 'a').map((el) => attr(el, 'href'));
    for (const slug of ['all', 'investment', 'quick-hits']) {
      expect(hrefs).toEqual(
        expect.arrayContaining([
          `feeds/${slug}/rss.xml`,
          `feeds/${slug}/atom.xml`,
          `feeds/${slug}/feed.json`,
        ]),
      );
    }
    expect(hrefs).toContain('feeds.opml');
  });

  it('has autodiscovery links for every feed', () => {
    // Act
    const alternates = alternatesOf(renderIndex(listings, config).body);

    // Assess
    expect(alternates).toHaveLength(9);
    expect(alternates.slice(0, 3)).toEqual([
      { type: 'application/rss+xml', href: 'https://feeds.example.com/feeds/all/rss.xml' },
      { type: 'application/atom+xml', href: 'https://feeds.example.com/feeds/all/atom.xml' },
      { type: 'application/feed+json', href: 'https://feeds.example.com/feeds/all/feed.json' },
    ]);
  });

  it('links at most indexHeadlines newest headlines per topic to their pages', () => {
    // Act
    const elements = htmlElements(renderIndex(listings, config).body);

    // Assess
    const section = elements.find((el) => el.tagName === 'section' && attr(el, 'id') === 'topic-investment');
    const links = section === undefined ? [] : sectionLinks(section);
    expect(links).toEqual(
      someStories(5).map((story) => ({ href: `stories/${story.storyId}.html`, text: story.title })),
    );
  });

  it('gives every element a distinct id, even for topics named like another topic’s heading', () => {
    // Prepare
    const clashing: TopicListing[] = [
      { topic: { slug: 'a', name: 'A' }, latest: [] },
      { topic: { slug: 'a-heading', name: 'A heading' }, latest: [] },
    ];

    // Act
    const elements = htmlElements(renderIndex(clashing, config).body);

    // Assess
    const ids = elements.map((el) => attr(el, 'id')).filter((id) => id !== undefined);
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    for (const section of elements.filter((el) => el.tagName === 'section')) {
      expect(ids).toContain(attr(section, 'aria-labelledby'));
    }
  });

  it('is the same whatever the order of the listings', () => {
    // Act & Assess
    expect(renderIndex([...listings].reverse(), config)).toEqual(renderIndex(listings, config));
  });

  it('keeps a hostile topic name and headline as text', () => {
    // Act
    const { body } = renderIndex(
      [{ topic: { slug: 'hostile', name: HOSTILE }, latest: [aStory({ title: HOSTILE, topic: HOSTILE })] }],
      config,
    );

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    expect(
      htmlElements(body)
        .filter((el) => el.tagName === 'h2')
        .map(textOf),
    ).toEqual([HOSTILE_AS_TEXT]);
  });
});

function sectionLinks(
  section: ReturnType<typeof htmlElements>[number],
): { href: string | undefined; text: string }[] {
  const found: { href: string | undefined; text: string }[] = [];
  const visit = (node: typeof section): void => {
    if (node.tagName === 'a' && attr(node, 'href')?.startsWith('stories/')) {
      found.push({ href: attr(node, 'href'), text: textOf(node) });
    }
    for (const child of node.childNodes) if ('tagName' in child) visit(child);
  };
  visit(section);
  return found;
}

describe('renderOpml', () => {
  it('is well-formed OPML 2.0 with one RSS outline per topic, All stories first', async () => {
    // Act
    const file = renderOpml([QUICK_HITS, INVESTMENT], config);

    // Assess
    expect(file.path).toBe('feeds.opml');
    expect(file.contentType).toBe('text/x-opml; charset=utf-8');
    expect(file.body).toContain('<opml version="2.0">');
    expect(await xmlWellFormednessProblems([file])).toEqual([]);
    expect(readOpml(file.body)).toEqual([
      { text: 'All stories', type: 'rss', xmlUrl: 'https://feeds.example.com/feeds/all/rss.xml' },
      { text: 'Investment', type: 'rss', xmlUrl: 'https://feeds.example.com/feeds/investment/rss.xml' },
      { text: 'Quick hits', type: 'rss', xmlUrl: 'https://feeds.example.com/feeds/quick-hits/rss.xml' },
    ]);
  });

  it('puts in its head only elements the W3C validator defines (it rejects OPML 2.0 <docs>)', () => {
    // Prepare
    const known = new Set(['title', 'dateCreated', 'dateModified', 'ownerName', 'ownerEmail', 'ownerId']);

    // Act
    const { body } = renderOpml([INVESTMENT], config);

    // Assess
    const head = /<head>([\s\S]*)<\/head>/.exec(body)?.[1] ?? '';
    const names = [...head.matchAll(/<([A-Za-z]+)[\s>]/g)].map((match) => match[1]);
    expect(names).toEqual(['title', 'ownerName']);
    expect(names.every((name) => name !== undefined && known.has(name))).toBe(true);
  });

  it('keeps a hostile topic name as an attribute value', async () => {
    // Act
    const file = renderOpml([{ slug: 'hostile', name: HOSTILE }], config);

    // Assess
    expect(await xmlWellFormednessProblems([file])).toEqual([]);
    expect(readOpml(file.body)[1]?.text).toBe(HOSTILE_AS_TEXT);
  });
});
