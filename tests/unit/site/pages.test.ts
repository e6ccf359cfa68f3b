import { renderIndex, renderOpml, renderStoryPage, resolveSiteConfig } from '@feedwright/site';
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
import { aQuickHit, aStory, aStoryWithLists, HOSTILE, HOSTILE_AS_TEXT } from './stories.ts';

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
    expect(texts('figcaption')).toEqual([`Photo: ${story.imageCaption}`]);
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
      renderIndex(
        {
          issues: null,
          newest: [blank],
          topics: [{ topic: { slug: 'topic-x', name: '\u0001' }, count: 1, more: false }],
        },
        config,
      ).body,
    );

    // Assess
    expect(elements.filter((el) => el.tagName === 'h1').map(textOf)).toEqual(['blank-story']);
    expect(elements.filter((el) => el.tagName === 'title').map(textOf)).toEqual(['blank-story · feedwright']);
    expect(
      index.filter((el) => el.tagName === 'li' && attr(el, 'id') === 'topic-topic-x').map(textOf),
    ).toEqual(['topic-x 1 story']);
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
    expect(csp && attr(csp, 'content')).toMatch(
      /^default-src 'none'; connect-src 'self'; style-src 'sha256-[A-Za-z0-9+/=]+'/,
    );
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
    expect(elements.some((el) => el.tagName === 'img')).toBe(false);
    expect(elements.filter((el) => el.tagName === 'script').map((el) => attr(el, 'type'))).toEqual([
      'application/ld+json',
    ]);
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
