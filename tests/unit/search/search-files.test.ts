import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDigest, type Story } from '@feedwright/digest';
import { buildSearchFiles, publishSearchFiles, SEARCH_ENTRY_PATH } from '@feedwright/search';
import { buildSearchFilesAside } from '@feedwright/search/build';
import {
  contentSecurityPolicyFor,
  resolveSiteConfig,
  SEARCH_CONTENT_SECURITY_POLICY,
  SEARCH_QUERY_PARAM,
  SITE_CONTENT_SECURITY_POLICY,
  searchRecords,
} from '@feedwright/site';
import type { SiteObject, SiteStore } from '@feedwright/storage';
import { MemorySiteStore } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/cli.ts';
import { htmlProblems } from '../../support/validators.ts';
import { aQuickHit, aStory } from '../site/stories.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/news/', siteTitle: 'CX Daily' });

async function seedStories(): Promise<Story[]> {
  const text = await readFile(
    join(REPO_ROOT, 'tests', 'fixtures', 'digests', 'cx-daily-2020-12-01.txt'),
    'utf8',
  );
  return [...parseDigest(text).stories];
}

const bytesOf = (file: SiteObject): Buffer =>
  typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : Buffer.from(file.body);

/** A site store that records the order of its writes. */
class RecordingSiteStore extends MemorySiteStore implements SiteStore {
  readonly order: string[] = [];
  override async putIfChanged(file: SiteObject): Promise<'written' | 'unchanged'> {
    const result = await super.putIfChanged(file);
    if (result === 'written') this.order.push(file.path);
    return result;
  }
}

describe('Function: searchRecords', () => {
  it('gives one record per story, by URL, with its headline, body, caption, related headlines, topic and date', () => {
    // Prepare
    const story = aStory();
    const older = aStory({ title: 'An older copy', publishedAt: '2020-11-30T09:19:00Z' });

    // Act
    const records = searchRecords([aQuickHit(), older, story], config);

    // Assess
    expect(records.map((record) => record.url)).toEqual([
      `stories/${aStory().storyId}.html`,
      `stories/${aQuickHit().storyId}.html`,
    ]);
    expect(records[0]).toEqual({
      url: `stories/${story.storyId}.html`,
      content: [story.title, ...story.paragraphs, story.imageCaption, ...story.related].join('\n'),
      language: 'en',
      meta: { title: story.title, topic: 'Investment', date: '1 December 2020, 09:19 UTC' },
    });
  });
});

describe('Function: buildSearchFiles', () => {
  it('gives the same files, byte for byte, for the same stories in any order', async () => {
    // Prepare
    const stories = await seedStories();

    // Act
    const one = await buildSearchFiles(stories, config);
    const two = await buildSearchFiles([...stories].reverse(), config);

    // Assess
    expect(two.map((file) => file.path)).toEqual(one.map((file) => file.path));
    for (const [index, file] of one.entries()) {
      expect(bytesOf(two[index] as SiteObject).equals(bytesOf(file)), file.path).toBe(true);
    }
  });

  it('gives the same files when Pagefind is driven from a worker thread (as feedwright build drives it)', async () => {
    // Prepare
    const stories = await seedStories();

    // Act
    const here = await buildSearchFiles(stories, config);
    const aside = await buildSearchFilesAside(stories, config);

    // Assess
    expect(aside.map((file) => file.path)).toEqual(here.map((file) => file.path));
    for (const [index, file] of here.entries()) {
      expect(bytesOf(aside[index] as SiteObject).equals(bytesOf(file)), file.path).toBe(true);
    }
  });

  it("holds the page, its script and Pagefind's index of every story, without Pagefind's unused UIs", async () => {
    // Prepare
    const stories = await seedStories();

    // Act
    const files = await buildSearchFiles(stories, config);

    // Assess
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(['search.html', 'search.js', SEARCH_ENTRY_PATH, 'pagefind/pagefind.js']),
    );
    expect(paths.filter((path) => /pagefind-(ui|modular-ui|component-ui|highlight)\./.test(path))).toEqual(
      [],
    );
    expect(
      paths.every((path) => path === 'search.html' || path === 'search.js' || path.startsWith('pagefind/')),
    ).toBe(true);
    const entry = JSON.parse(
      bytesOf(files.find((file) => file.path === SEARCH_ENTRY_PATH) as SiteObject).toString(),
    );
    expect(entry.languages.en.page_count).toBe(new Set(stories.map((story) => story.storyId)).size);
    const byPath = new Map(files.map((file) => [file.path, file]));
    expect(byPath.get('pagefind/pagefind.js')?.contentType).toBe('text/javascript; charset=utf-8');
    expect(byPath.get(SEARCH_ENTRY_PATH)?.cacheControl).toBe(
      'public, max-age=60, stale-while-revalidate=300',
    );
    const chunk = files.find((file) => file.path.startsWith('pagefind/fragment/'));
    expect(chunk?.contentType).toBe('application/octet-stream');
    expect(chunk?.cacheControl).toBe('public, max-age=31536000, immutable');
  });

  it('makes a search page that holds no script but its own and says, without JavaScript, where to browse', async () => {
    // Act
    const files = await buildSearchFiles([aStory()], config);

    // Assess
    const page = files.find((file) => file.path === 'search.html')?.body as string;
    expect(htmlProblems(page, { searchPage: true })).toEqual([]);
    expect(page).toContain('<form id="search-form" action="search.html" method="get" role="search">');
    expect(page).toContain(`<input id="search-input" type="search" name="${SEARCH_QUERY_PARAM}"`);
    expect(page).toContain('Search needs JavaScript');
    expect(page).toContain('href="topics/all/index.html"');
    expect(page).toContain('wasm-unsafe-eval');
    // Without the archive, the front page is the way to browse.
    const plain = (await buildSearchFiles([aStory()], config, { archive: false })).find(
      (file) => file.path === 'search.html',
    )?.body as string;
    expect(plain).not.toContain('topics/all/index.html');
    expect(plain).toContain('href="index.html"');
  });
});

describe('Function: publishSearchFiles', () => {
  it('writes the index files, the entry last; then only what changed, removing the chunks no longer named', async () => {
    // Prepare
    const site = new RecordingSiteStore();
    await site.putIfChanged({
      path: 'index.html',
      body: 'front',
      contentType: 'text/html',
      cacheControl: 'x',
    });
    const stories = await seedStories();
    const first = await buildSearchFiles(stories, config);

    // Act
    const published = await publishSearchFiles(first, site);
    const again = await publishSearchFiles(first, site);
    const fewer = await buildSearchFiles(stories.slice(1), config);
    const shrunk = await publishSearchFiles(fewer, site);

    // Assess
    expect(published.written).toEqual(first.map((file) => file.path).sort());
    expect(site.order.indexOf(SEARCH_ENTRY_PATH)).toBe(first.length);
    expect(again).toEqual({ written: [], deleted: [], unchanged: first.length });
    expect(shrunk.deleted.length).toBeGreaterThan(0);
    expect(site.order.at(-1)).toBe(SEARCH_ENTRY_PATH);
    const kept = [...site.files.keys()].filter((path) => path !== 'index.html').sort();
    expect(kept).toEqual(fewer.map((file) => file.path).sort());
    expect(site.files.has('index.html')).toBe(true);
  });
});

describe('Function: contentSecurityPolicyFor', () => {
  it("allows Pagefind's WebAssembly, worker and fetches on the search page and index only", () => {
    expect(contentSecurityPolicyFor('search.html')).toBe(SEARCH_CONTENT_SECURITY_POLICY);
    expect(contentSecurityPolicyFor('pagefind/pagefind-worker.js')).toBe(SEARCH_CONTENT_SECURITY_POLICY);
    for (const key of ['index.html', 'stories/a.html', 'search.js', 'feeds/all/rss.xml', 'pagefind.html']) {
      expect(contentSecurityPolicyFor(key), key).toBe(SITE_CONTENT_SECURITY_POLICY);
    }
    expect(SEARCH_CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(SEARCH_CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|'unsafe-inline'[^;]*script|\*/);
    expect(SITE_CONTENT_SECURITY_POLICY).not.toContain('script-src');
  });
});
