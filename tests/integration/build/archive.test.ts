import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeDigest, parseDigest, type Story } from '@feedwright/digest';
import { isSearchPath } from '@feedwright/site';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOnDay, pathOf, reachablePages, readTree, walkChain } from '../../support/archive.ts';
import { REPO_ROOT, runFeedwright } from '../../support/cli.ts';
import { siteProblems } from '../../support/validators.ts';

const BASE_URL = 'https://feeds.example.com/';
const DAYS = 240;
const MAX_FEED_BYTES = 512 * 1024;

let scratch: string;
let tree: Map<string, string>;
let stories: Story[];
let code: number;

/** The tag: id a story's feed entries carry. */
const tagOf = (storyId: string): string => `tag:feeds.example.com,2020:story/${storyId}`;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'feedwright-archive-'));
  const corpus: string[] = [];
  for (const dir of ['events/digests', 'tests/fixtures/digests']) {
    const names = (await readdir(join(REPO_ROOT, dir))).filter((name) => name.endsWith('.txt')).sort();
    for (const name of names) corpus.push(decodeDigest(await readFile(join(REPO_ROOT, dir, name))));
  }
  const inbox = join(scratch, 'digests');
  await rm(inbox, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(inbox));
  const byId = new Map<string, Story>();
  for (let day = 0; day < DAYS; day += 1) {
    const text = digestOnDay(corpus[day % corpus.length] as string, day);
    await writeFile(join(inbox, `digest-${String(day).padStart(3, '0')}.txt`), text);
    for (const story of parseDigest(text).stories) byId.set(story.storyId, story);
  }
  stories = [...byId.values()];
  const out = join(scratch, 'site');
  const run = await runFeedwright('build', inbox, '--out', out, '--base-url', BASE_URL);
  code = run.code;
  tree = await readTree(out);
}, 120_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('feedwright build: the archive of 240 digests over 240 days', () => {
  it('writes topic, month, issue and archive outputs for every story', () => {
    // Assess
    expect(code).toBe(0);
    const months = new Set(stories.map((story) => story.publishedAt.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(8);
    for (const month of months) {
      expect(tree.has(`topics/all/${month}.html`), month).toBe(true);
      expect(tree.has(`issues/${month}.html`), month).toBe(true);
      expect(tree.has(`feeds/all/archive/${month}.xml`), month).toBe(true);
      expect(tree.has(`feeds/all/archive/${month}.json`), month).toBe(true);
      expect(tree.has(`sitemaps/${month}.xml`), month).toBe(true);
    }
    for (const story of stories) {
      const month = story.publishedAt.slice(0, 7);
      expect(tree.has(`stories/${story.storyId}.html`)).toBe(true);
      expect(tree.get(`topics/${story.topicSlug}/${month}.html`)).toContain(`${story.storyId}.html`);
    }
    const issuePages = [...tree.keys()].filter((path) => /^issues\/\d{4}-\d{2}-\d{2}-/.test(path));
    expect(issuePages).toHaveLength(DAYS);
  });

  it('links every page, every story page included, from index.html by plain links', () => {
    // Act
    const reached = reachablePages(tree);

    // Assess: the search page is reached by the search box (a form), not by a link.
    const pages = [...tree.keys()].filter((path) => path.endsWith('.html') && !isSearchPath(path));
    expect(pages.filter((page) => !reached.has(page))).toEqual([]);
    expect(stories.every((story) => reached.has(`stories/${story.storyId}.html`))).toBe(true);
  });

  it('gives every live story of a feed exactly once through its prev-archive and next_url chains', () => {
    // Prepare
    const slugs = [...new Set(stories.map((story) => story.topicSlug)), 'all'];

    for (const slug of slugs) {
      const expected = stories
        .filter((story) => slug === 'all' || story.topicSlug === slug)
        .map((story) => tagOf(story.storyId))
        .sort();
      for (const name of ['atom.xml', 'rss.xml', 'feed.json']) {
        // Act
        const chain = walkChain(tree, `feeds/${slug}/${name}`, BASE_URL);

        // Assess
        const archived = chain.slice(1).flatMap((document) => document.ids);
        expect(new Set(archived).size, `${slug}/${name}: an id twice in the archive`).toBe(archived.length);
        const collected = [...new Set(chain.flatMap((document) => document.ids))].sort();
        expect(collected, `${slug}/${name}`).toEqual(expected);
        expect(archived.sort(), `${slug}/${name}: archive alone`).toEqual(expected);
      }
      // next-archive leads back from the oldest document to the newest, through the same documents.
      const backwards = walkChain(tree, `feeds/${slug}/atom.xml`, BASE_URL).slice(1);
      const oldest = backwards.at(-1)?.path as string;
      const forwards = walkChain(tree, oldest, BASE_URL, 'next-archive').map((document) => document.path);
      expect(forwards).toEqual(backwards.map((document) => document.path).reverse());
    }
  });

  it('keeps every archive document within the feed byte budget, with a long Cache-Control for past months', () => {
    const archives = [...tree].filter(([path]) => path.includes('/archive/'));
    expect(archives.length).toBeGreaterThan(0);
    for (const [path, body] of archives) {
      expect(Buffer.byteLength(body), path).toBeLessThanOrEqual(MAX_FEED_BYTES);
      if (path.endsWith('.xml')) expect(body, path).toContain('<fh:archive/>');
    }
  });

  it('lists every page exactly once in the sitemap index and its parts', () => {
    // Act
    const locsOf = (xml: string): string[] =>
      [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) =>
        pathOf((match[1] ?? '').replaceAll('&amp;', '&'), BASE_URL),
      );
    const locs = locsOf(tree.get('sitemap.xml') as string).flatMap((part) => {
      expect(tree.has(part), part).toBe(true);
      return locsOf(tree.get(part) as string);
    });

    // Assess: every page but the search page, which holds no content of its own.
    const pages = [...tree.keys()].filter((path) => path.endsWith('.html') && !isSearchPath(path)).sort();
    expect(locs.length).toBe(new Set(locs).size);
    expect(locs.sort()).toEqual(pages);
  });

  it('passes the independent checks on every feed, archive document, listing and sitemap', async () => {
    // Prepare
    // Every kind of output, with every document of 'all' and of two topics (checking all takes minutes).
    const topics = new Set([
      'all',
      ...[...new Set(stories.map((story) => story.topicSlug))].sort().slice(0, 2),
    ]);
    const checked = [...tree]
      .filter(([path]) => {
        const [kind = '', slug = ''] = path.split('/');
        if (kind === 'feeds' || kind === 'topics') return topics.has(slug);
        if (kind === 'stories') return path.includes('-00') || path.includes('-01');
        return true;
      })
      .map(([path, body]) => ({ path, body }));
    expect(checked.some(({ path }) => path.includes('/archive/'))).toBe(true);

    // Act
    const problems = await siteProblems(checked);

    // Assess
    expect(problems).toEqual([]);
  }, 120_000);
});
