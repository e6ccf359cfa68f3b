import type { Story } from '@feedwright/digest';
import { type RenderPlan, renderPlan } from '@feedwright/pipeline';
import { buildSite, monthOf, resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import {
  MemoryItemTable,
  MemorySiteStore,
  type PutIfChangedOptions,
  type PutResult,
  type SiteObject,
  TableStoryStore,
} from '@feedwright/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { digestStories } from '../storage/stories.ts';

const config: SiteConfig = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });

const october = digestStories('2020-10-05', [
  { id: 'copper', topic: 'Metals', topicSlug: 'metals' },
  { id: 'qdlp', topic: 'Investment', topicSlug: 'investment' },
]);
const november = digestStories('2020-11-20', [
  { id: 'nickel', topic: 'Metals', topicSlug: 'metals' },
  { id: 'fund', topic: 'Investment', topicSlug: 'investment' },
]);
const december = digestStories('2020-12-01', [
  { id: 'law', topic: 'Personal data', topicSlug: 'personal-data' },
  { id: 'banks', topic: 'Metals', topicSlug: 'metals' },
]);
const january = digestStories('2021-01-03', [{ id: 'zinc', topic: 'Metals', topicSlug: 'metals' }]);
const backfill = digestStories('2019-06-01', [{ id: 'tin', topic: 'Metals', topicSlug: 'metals' }]);

/** A site store that records the paths it wrote or deleted, new objects too. */
class RecordingSiteStore extends MemorySiteStore {
  touched: string[] = [];
  override async putIfChanged(file: SiteObject, options?: PutIfChangedOptions): Promise<PutResult> {
    const result = await super.putIfChanged(file, options);
    if (result === 'written') this.touched.push(file.path);
    return result;
  }
  override async delete(path: string) {
    const result = await super.delete(path);
    if (result === 'deleted') this.touched.push(path);
    return result;
  }
}

/** The plan a batch changing these stories yields: their topics, `all`, and their months. */
function planFor(stories: readonly Story[]): RenderPlan {
  const topicMonths = new Map<string, Set<string>>();
  for (const story of stories) {
    const month = monthOf(story.publishedAt, story.storyId);
    for (const slug of ['all', story.topicSlug])
      topicMonths.set(slug, new Set([...(topicMonths.get(slug) ?? []), month]));
  }
  return {
    storyIds: new Set(stories.map((story) => story.storyId)),
    topics: new Set(['all', ...stories.map((story) => story.topicSlug)]),
    listings: true,
    topicMonths,
    sitemapMonths: new Set(stories.map((story) => monthOf(story.publishedAt, story.storyId))),
    unitsByRecord: new Map(),
  };
}

/** Fails with the first path whose bytes or headers differ from `feedwright build` of `stories`. */
function expectSameAsBuild(site: MemorySiteStore, stories: readonly Story[], siteConfig = config): void {
  const expected = buildSite(stories, siteConfig, { issues: [] });
  expect([...site.files.keys()].sort()).toEqual(expected.map((file) => file.path));
  for (const file of expected) {
    const stored = site.files.get(file.path);
    expect({ path: file.path, body: stored?.body, cacheControl: stored?.cacheControl }).toEqual({
      path: file.path,
      body: file.body,
      cacheControl: file.cacheControl,
    });
  }
}

describe('Function: renderPlan with the archive', () => {
  let stories: TableStoryStore;
  let site: RecordingSiteStore;

  beforeEach(async () => {
    stories = new TableStoryStore(new MemoryItemTable());
    site = new RecordingSiteStore();
    await stories.applyDigest({ key: 'digests/10.txt', sequencer: '01' }, october);
    await stories.applyDigest({ key: 'digests/11.txt', sequencer: '02' }, november);
    await stories.applyDigest({ key: 'digests/12.txt', sequencer: '03' }, december);
  });

  const render = (changed: readonly Story[], siteConfig = config) => {
    site.touched = [];
    return renderPlan(planFor(changed), { stories, site, config: siteConfig, archive: stories });
  };

  it('writes the same archive, byte for byte, as feedwright build of the same stories', async () => {
    // Act
    const result = await render([...october, ...november, ...december]);

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, [...october, ...november, ...december]);
    expect(site.files.has('feeds/metals/archive/2020-11.xml')).toBe(true);
    expect(site.files.has('sitemaps/2020-10.xml')).toBe(true);
  });

  it('splits a month into parts as build does when it does not fit the byte budget', async () => {
    // Prepare
    const small = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/', maxFeedBytes: 8192 });
    const crowded = digestStories(
      '2020-12-02',
      Array.from({ length: 8 }, (_, index) => ({
        id: `m${index}`,
        topic: 'Metals',
        topicSlug: 'metals',
        paragraphs: [`Ore ${index}. ${'Smelters ship more copper. '.repeat(60)}`],
      })),
    );
    await stories.applyDigest({ key: 'digests/crowded.txt', sequencer: '04' }, crowded);
    const all = [...october, ...november, ...december, ...crowded];

    // Act
    const result = await render(all, small);

    // Assess
    expect(result.failed.size).toBe(0);
    expect(site.files.has('feeds/metals/archive/2020-12-2.xml')).toBe(true);
    expectSameAsBuild(site, all, small);
  });

  it('deletes the parts a month no longer needs when stories leave it', async () => {
    // Prepare
    const small = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/', maxFeedBytes: 8192 });
    const crowded = digestStories(
      '2020-12-02',
      Array.from({ length: 8 }, (_, index) => ({
        id: `m${index}`,
        topic: 'Metals',
        topicSlug: 'metals',
        paragraphs: [`Ore ${index}. ${'Smelters ship more copper. '.repeat(60)}`],
      })),
    );
    await stories.applyDigest({ key: 'digests/crowded.txt', sequencer: '04' }, crowded);
    await render([...october, ...november, ...december, ...crowded], small);
    await stories.applyDigest({ key: 'digests/crowded.txt', sequencer: '08' }, crowded.slice(0, 1));

    // Act
    const result = await render(crowded.slice(1), small);

    // Assess
    expect(result.failed.size).toBe(0);
    expect(site.files.has('feeds/metals/archive/2020-12-2.xml')).toBe(false);
    expectSameAsBuild(site, [...october, ...november, ...december, ...crowded.slice(0, 1)], small);
  });

  it('adds a new month rewriting only the newest months, never an older one', async () => {
    // Prepare
    await render([...october, ...november, ...december]);
    await stories.applyDigest({ key: 'digests/01.txt', sequencer: '05' }, january);

    // Act
    await render(january);

    // Assess
    expectSameAsBuild(site, [...october, ...november, ...december, ...january]);
    expect(site.touched.filter((path) => /2020-1[01]/.test(path))).toEqual([]);
    expect(site.touched).toContain('feeds/metals/archive/2020-12.xml');
    expect(site.touched).toContain('feeds/metals/archive/2021-01.xml');
  });

  it('back-fills a digest from years ago touching its month and the next newer one only', async () => {
    // Prepare
    await render([...october, ...november, ...december]);
    await stories.applyDigest({ key: 'digests/old.txt', sequencer: '06' }, backfill);

    // Act
    await render(backfill);

    // Assess
    expectSameAsBuild(site, [...backfill, ...october, ...november, ...december]);
    expect(site.touched.filter((path) => /2020-1[12]/.test(path))).toEqual([]);
    expect(site.touched).toContain('feeds/metals/archive/2019-06.xml');
  });

  it('removes the documents, page and sitemap part of a month that loses its last story', async () => {
    // Prepare
    await render([...october, ...november, ...december]);
    await stories.withdrawDigest({ key: 'digests/11.txt', sequencer: '07' });

    // Act
    const result = await render(november);

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, [...october, ...december]);
    expect(site.files.has('sitemaps/2020-11.xml')).toBe(false);
    expect(site.files.has('feeds/all/archive/2020-11.json')).toBe(false);
  });

  it('writes nothing when the same batch is rendered again', async () => {
    // Prepare
    await render([...october, ...november, ...december]);
    const writes = site.writes;

    // Act
    const result = await render(december);

    // Assess
    expect(result.written).toBe(0);
    expect(site.writes).toBe(writes);
  });
});
