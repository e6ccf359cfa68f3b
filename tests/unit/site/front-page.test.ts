import type { Story } from '@feedwright/digest';
import { buildSite, type Issue, renderStoryPage, resolveSiteConfig, type SiteFile } from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { walkChain } from '../../support/archive.ts';
import {
  attr,
  htmlElements,
  htmlProblems,
  jsonFeedProblems,
  readOpml,
  readWithFeedsmith,
  siteProblems,
  textOf,
} from '../../support/validators.ts';
import { aQuickHit, aStory, HOSTILE, HOSTILE_AS_TEXT } from './stories.ts';

const config = resolveSiteConfig({
  baseUrl: 'https://news.example.com/',
  siteTitle: 'CX Daily',
  description: 'China business news, every weekday.',
  author: 'CX editors',
});

/** `count` digests, one a day from 2020-10-01, each with two stories (the second a quick hit). */
function digests(count: number, overrides: Partial<Story> = {}): { stories: Story[]; issues: Issue[] } {
  const stories: Story[] = [];
  const issues: Issue[] = [];
  for (let day = 0; day < count; day += 1) {
    const at = Date.UTC(2020, 9, 1 + day, 8, 0, 0);
    const date = new Date(at).toISOString().slice(0, 10);
    const topicSlug = day % 3 === 0 ? 'tech' : 'investment';
    const lead = aStory({
      storyId: `${date}-lead`,
      position: 0,
      topic: topicSlug === 'tech' ? 'Tech' : 'Investment',
      topicSlug,
      title: `Lead of ${date}`,
      paragraphs: [`The first lines of ${date}. ${'More text follows here. '.repeat(20)}`, 'Second.'],
      publishedAt: new Date(at).toISOString(),
      ...overrides,
    });
    const hit = aQuickHit({
      storyId: `${date}-hit`,
      position: 1,
      title: `Quick hit of ${date}`,
      publishedAt: new Date(at - 1000).toISOString(),
    });
    stories.push(lead, hit);
    issues.push({
      issueId: `${date}-cx-daily`,
      title: `CX Daily ${date}`,
      summary: `Summary of ${date}.`,
      publishedAt: new Date(at).toISOString(),
      storyIds: [lead.storyId, hit.storyId],
    });
  }
  return { stories, issues };
}

const fileOf = (files: readonly SiteFile[], path: string): string => {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`${path} was not built`);
  return file.body;
};

describe('Function: buildSite, the front page', () => {
  it('shows the publication, the latest issue first with its stories, recent issues and every topic with its count', () => {
    // Prepare
    const { stories, issues } = digests(8);

    // Act
    const body = fileOf(buildSite(stories, config, { issues }), 'index.html');

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    const elements = htmlElements(body);
    const texts = (tag: string) => elements.filter((el) => el.tagName === tag).map(textOf);
    expect(texts('h1')).toEqual(['CX Daily']);
    expect(texts('p')).toContain('China business news, every weekday.');
    const h2 = texts('h2');
    expect(h2[0]).toBe('Latest issue: CX Daily 2020-10-08');
    expect(h2.slice(1)).toEqual(['Recent issues', 'Topics', 'Subscribe']);
    // The latest issue's stories: headline linking the page, then its first lines, cut at a word.
    const h3 = texts('h3');
    expect(h3.slice(0, 2)).toEqual(['Lead of 2020-10-08', 'Quick hit of 2020-10-08']);
    const firstLines = texts('p').find((text) => text.startsWith('The first lines of 2020-10-08.'));
    expect(firstLines?.endsWith('…')).toBe(true);
    expect((firstLines ?? '').length).toBeLessThanOrEqual(221);
    // Then the five issues before it, newest first, with their summaries, and the way to all issues.
    expect(h3.slice(2)).toEqual([
      'CX Daily 2020-10-07',
      'CX Daily 2020-10-06',
      'CX Daily 2020-10-05',
      'CX Daily 2020-10-04',
      'CX Daily 2020-10-03',
    ]);
    expect(texts('p')).toContain('Summary of 2020-10-07.');
    const links = elements.filter((el) => el.tagName === 'a');
    const hrefOf = (text: string) => links.find((el) => textOf(el) === text && attr(el, 'href'));
    expect(hrefOf('All issues') && attr(hrefOf('All issues') as never, 'href')).toBe('issues/index.html');
    // Topics: a compact list, counts included, leading to the topic pages.
    const topics = elements.find((el) => el.tagName === 'ul' && attr(el, 'class') === 'topics');
    const topicLinks = htmlElements(`<body>${topics === undefined ? '' : bodyOf(topics)}</body>`)
      .filter((el) => el.tagName === 'a')
      .map((el) => [attr(el, 'href'), textOf(el)]);
    expect(topicLinks).toEqual([
      ['topics/investment/index.html', 'Investment 5 stories'],
      ['topics/quick-hits/index.html', 'Quick hits 8 stories'],
      ['topics/tech/index.html', 'Tech 3 stories'],
    ]);
  });

  it('has one subscribe block: the all-stories feed in three formats with copyable URLs, the issue feed, OPML and the mail-in address', () => {
    // Prepare
    const { stories, issues } = digests(2);
    const withMail = resolveSiteConfig({ ...config, mailIn: 'digests@news.example.com' });

    // Act
    const body = fileOf(buildSite(stories, withMail, { issues }), 'index.html');

    // Assess
    const elements = htmlElements(body);
    const section = elements.find(
      (el) => el.tagName === 'section' && attr(el, 'aria-labelledby') === 'subscribe',
    );
    const inside = htmlElements(`<body>${section === undefined ? '' : bodyOf(section)}</body>`);
    expect(inside.filter((el) => el.tagName === 'code').map(textOf)).toEqual([
      'https://news.example.com/feeds/all/rss.xml',
      'https://news.example.com/feeds/all/atom.xml',
      'https://news.example.com/feeds/all/feed.json',
    ]);
    const hrefs = inside.filter((el) => el.tagName === 'a').map((el) => attr(el, 'href'));
    expect(hrefs).toEqual([
      'feeds/all/rss.xml',
      'feeds/all/atom.xml',
      'feeds/all/feed.json',
      'issues/rss.xml',
      'issues/atom.xml',
      'issues/feed.json',
      'feeds.opml',
      'mailto:digests@news.example.com',
    ]);
    expect(elements.filter((el) => attr(el, 'aria-labelledby') === 'subscribe')).toHaveLength(1);
  });

  it('keeps hostile issue and story text inert on the front page', () => {
    // Prepare
    const { stories, issues } = digests(2, { title: HOSTILE, topic: HOSTILE, paragraphs: [HOSTILE] });
    const hostileIssues = issues.map((issue) => ({ ...issue, title: HOSTILE, summary: HOSTILE }));

    // Act
    const body = fileOf(buildSite(stories, config, { issues: hostileIssues }), 'index.html');

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    const h3 = htmlElements(body)
      .filter((el) => el.tagName === 'h3')
      .map(textOf);
    expect(h3).toContain(HOSTILE_AS_TEXT);
  });

  it('shows the newest stories in place of an issue on a site without the archive', () => {
    // Prepare
    const { stories } = digests(3);

    // Act
    const body = fileOf(buildSite(stories, config), 'index.html');

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    const h2 = htmlElements(body)
      .filter((el) => el.tagName === 'h2')
      .map(textOf);
    expect(h2).toEqual(['Newest stories', 'Topics', 'Subscribe']);
    expect(body).not.toContain('issues/index.html');
  });

  it('links the site’s own favicon.svg from every page when the operator gives no icon', () => {
    // Prepare
    const { stories, issues } = digests(2);

    // Act
    const files = buildSite(stories, config, { issues });

    // Assess
    const icon = files.find((file) => file.path === 'favicon.svg');
    expect(icon?.contentType).toBe('image/svg+xml; charset=utf-8');
    expect(icon?.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const page of files.filter((file) => file.path.endsWith('.html'))) {
      const depth = page.path.split('/').length - 1;
      const link = htmlElements(page.body).find((el) => el.tagName === 'link' && attr(el, 'rel') === 'icon');
      expect(link && attr(link, 'href')).toBe(`${'../'.repeat(depth)}favicon.svg`);
    }
  });
});

describe('Function: buildSite, the publication’s identity in every feed and the OPML', () => {
  it('names the icon and logo the operator gives in RSS <image>, Atom <icon>/<logo> and JSON Feed icon/favicon', async () => {
    // Prepare
    const branded = resolveSiteConfig({ ...config, icon: 'brand/icon.png', logo: 'brand/logo.png' });
    const { stories, issues } = digests(2);

    // Act
    const files = buildSite(stories, branded, { issues });

    // Assess
    expect(files.some((file) => file.path === 'favicon.svg')).toBe(false);
    for (const slug of ['all', 'tech']) {
      const rss = fileOf(files, `feeds/${slug}/rss.xml`);
      expect(rss).toContain(
        `<image>\n      <url>https://news.example.com/brand/logo.png</url>\n      <title>CX Daily: ${slug === 'all' ? 'All stories' : 'Tech'}</title>`,
      );
      const atom = fileOf(files, `feeds/${slug}/atom.xml`);
      expect(atom).toContain('<icon>https://news.example.com/brand/icon.png</icon>');
      expect(atom).toContain('<logo>https://news.example.com/brand/logo.png</logo>');
      expect(atom).toContain('<author><name>CX editors</name></author>');
      const json = JSON.parse(fileOf(files, `feeds/${slug}/feed.json`));
      expect(json).toMatchObject({
        icon: 'https://news.example.com/brand/icon.png',
        favicon: 'https://news.example.com/brand/icon.png',
        language: 'en',
        authors: [{ name: 'CX editors' }],
      });
      expect(jsonFeedProblems(fileOf(files, `feeds/${slug}/feed.json`))).toEqual([]);
    }
    expect(JSON.parse(fileOf(files, 'feeds/all/feed.json')).description).toBe(
      'China business news, every weekday.',
    );
    expect(readWithFeedsmith('rss', fileOf(files, 'issues/rss.xml')).title).toBe('CX Daily: Issues');
    expect(await siteProblems(files)).toEqual([]);
  });

  it('gives Atom and JSON Feed the site’s own icon when the operator gives none, and RSS no <image>', () => {
    // Prepare
    const { stories } = digests(1);

    // Act
    const files = buildSite(stories, config);

    // Assess
    expect(fileOf(files, 'feeds/all/atom.xml')).toContain(
      '<icon>https://news.example.com/favicon.svg</icon>',
    );
    expect(fileOf(files, 'feeds/all/rss.xml')).not.toContain('<image>');
    expect(JSON.parse(fileOf(files, 'feeds/all/feed.json')).favicon).toBe(
      'https://news.example.com/favicon.svg',
    );
  });

  it('lists the issue feed in the OPML, titled with the publication and owned by its author', () => {
    // Prepare
    const { stories, issues } = digests(1);

    // Act
    const opml = fileOf(buildSite(stories, config, { issues }), 'feeds.opml');

    // Assess
    expect(opml).toContain('<title>CX Daily feeds</title>');
    expect(opml).toContain('<ownerName>CX editors</ownerName>');
    expect(readOpml(opml).map((outline) => outline.xmlUrl)).toEqual([
      'https://news.example.com/feeds/all/rss.xml',
      'https://news.example.com/feeds/quick-hits/rss.xml',
      'https://news.example.com/feeds/tech/rss.xml',
      'https://news.example.com/issues/rss.xml',
    ]);
  });
});

describe('Function: renderStoryPage, a page people share', () => {
  const story = aStory({
    title: 'Rates </script><!-- cut',
    paragraphs: ['A <b>first</b> paragraph & more.'],
  });
  const issue: Issue = {
    issueId: '2020-12-01-cx',
    title: 'CX of the day',
    summary: 'Sum.',
    publishedAt: '2020-12-01T09:19:00Z',
    storyIds: [story.storyId, aQuickHit().storyId],
  };

  it('carries Open Graph and Twitter card tags and a NewsArticle whose JSON cannot close its script', () => {
    // Act
    const { body } = renderStoryPage(story, config, { issue, previous: null, next: aQuickHit() });

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    const elements = htmlElements(body);
    const meta = (key: string) =>
      elements
        .filter((el) => el.tagName === 'meta' && (attr(el, 'property') === key || attr(el, 'name') === key))
        .map((el) => attr(el, 'content'));
    const url = `https://news.example.com/stories/${story.storyId}.html`;
    expect(meta('og:type')).toEqual(['article']);
    expect(meta('og:title')).toEqual(['Rates </script><!-- cut · CX Daily']);
    expect(meta('og:description')).toEqual(['A <b>first</b> paragraph & more.']);
    expect(meta('og:url')).toEqual([url]);
    expect(meta('og:site_name')).toEqual(['CX Daily']);
    expect(meta('article:published_time')).toEqual(['2020-12-01T09:19:00Z']);
    expect(meta('article:section')).toEqual(['Investment']);
    expect(meta('twitter:card')).toEqual(['summary']);
    const script = body.slice(body.indexOf('<script type="application/ld+json">'));
    const json = script.slice(script.indexOf('>') + 1, script.indexOf('</script>'));
    expect(json).not.toContain('<');
    expect(json).toContain('\\u003c/script\\u003e\\u003c!-- cut');
    expect(JSON.parse(json)).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Rates </script><!-- cut',
      description: 'A <b>first</b> paragraph & more.',
      datePublished: '2020-12-01T09:19:00Z',
      url,
      mainEntityOfPage: url,
      author: { '@type': 'Organization', name: 'CX editors' },
      publisher: { '@type': 'Organization', name: 'CX Daily' },
    });
  });

  it('shows the caption as a photo’s caption, and links the topic’s page, the issue and the next story', () => {
    // Act
    const { body } = renderStoryPage(story, config, { issue, previous: null, next: aQuickHit() });

    // Assess
    const elements = htmlElements(body);
    const figure = elements.find((el) => el.tagName === 'figure');
    expect(figure && textOf(figure)).toBe(`Photo: ${story.imageCaption}`);
    const links = elements.filter((el) => el.tagName === 'a').map((el) => [attr(el, 'href'), textOf(el)]);
    expect(links).toEqual(
      expect.arrayContaining([
        ['../topics/investment/index.html', 'Investment'],
        ['../issues/2020-12-01-cx.html', 'CX of the day'],
        [`../stories/${aQuickHit().storyId}.html`, aQuickHit().title],
      ]),
    );
    expect(links.some(([href]) => href?.includes('index.html#topic-'))).toBe(false);
  });

  it('leads a quick hit, which has no text of its own, on to its issue', () => {
    // Act
    const { body } = renderStoryPage(aQuickHit(), config, { issue, previous: story, next: null });

    // Assess
    expect(htmlProblems(body)).toEqual([]);
    const article = htmlElements(body).find((el) => el.tagName === 'article');
    expect(article && textOf(article)).toContain('A quick hit from the issue CX of the day.');
    const links = htmlElements(body)
      .filter((el) => el.tagName === 'a' && attr(el, 'rel') === 'prev')
      .map((el) => attr(el, 'href'));
    expect(links).toEqual([`../stories/${story.storyId}.html`]);
  });
});

describe('Function: buildSite, the issue feed’s history', () => {
  it('walks from issues/atom.xml, issues/rss.xml and issues/feed.json back through every one of 60 digests once', async () => {
    // Prepare
    const { stories, issues } = digests(60);

    // Act
    const files = buildSite(stories, config, { issues });

    // Assess
    const tree = new Map(files.map((file) => [file.path, file.body]));
    const expected = issues.map((issue) => `tag:news.example.com,2020:issue/${issue.issueId}`).sort();
    for (const start of ['issues/atom.xml', 'issues/rss.xml', 'issues/feed.json']) {
      const chain = walkChain(tree, start, config.baseUrl);
      // The subscription feed holds the newest 50; the archive documents (one per month) hold them all.
      expect(chain[0]?.ids).toHaveLength(50);
      const archived = chain.slice(1).flatMap((document) => document.ids);
      expect([...archived].sort()).toEqual(expected);
      expect(new Set(chain.flatMap((document) => document.ids))).toEqual(new Set(expected));
    }
    const documents = files.filter((file) => file.path.startsWith('issues/archive/'));
    expect(documents.map((file) => file.path)).toEqual([
      'issues/archive/2020-10.json',
      'issues/archive/2020-10.xml',
      'issues/archive/2020-11.json',
      'issues/archive/2020-11.xml',
    ]);
    expect(await siteProblems(documents)).toEqual([]);
  });
});

/** The serialised children of a parse5 element, for looking inside one section. */
function bodyOf(element: ReturnType<typeof htmlElements>[number]): string {
  const render = (node: (typeof element.childNodes)[number]): string => {
    if (node.nodeName === '#text' && 'value' in node)
      return node.value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    if (!('tagName' in node)) return '';
    const attrs = node.attrs.map((a) => ` ${a.name}="${a.value.replace(/"/g, '&quot;')}"`).join('');
    return `<${node.tagName}${attrs}>${node.childNodes.map(render).join('')}</${node.tagName}>`;
  };
  return element.childNodes.map(render).join('');
}
