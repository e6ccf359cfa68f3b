import type { Story } from '@feedwright/digest';
import { runRenderPlan } from '@feedwright/pipeline';
import { resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import type {
  DeleteResult,
  PutIfChangedOptions,
  PutResult,
  SiteObject,
  TableIssueRegistry,
  TableStoryStore,
} from '@feedwright/storage';
import { MemorySiteStore } from '@feedwright/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { digestStories } from '../storage/stories.ts';
import {
  archiveConfig,
  december,
  digestOf,
  expectSameAsBuild as expectSameAsBuildOf,
  january,
  november,
  PublishedDigests,
  planFor,
  type TestDigest,
} from './archive-digests.ts';

const BASE_URL = 'https://feeds.example.com/';
const config: SiteConfig = archiveConfig;
/** Small enough that the crowded digest splits December into two archive parts. */
const small: SiteConfig = resolveSiteConfig({ baseUrl: BASE_URL, maxFeedBytes: 8192 });

const SUBSCRIPTION_FEED = /^feeds\/[^/]+\/(rss\.xml|atom\.xml|feed\.json)$/;

const laterDecember = digestStories('2020-12-15', [{ id: 'cobalt', topic: 'Metals', topicSlug: 'metals' }]);
const crowded = digestStories(
  '2020-12-02',
  Array.from({ length: 8 }, (_, index) => ({
    id: `m${index}`,
    topic: 'Metals',
    topicSlug: 'metals',
    paragraphs: [`Ore ${index}. ${'Smelters ship more copper. '.repeat(60)}`],
  })),
);

/**
 * A site store that records the order of its writes and deletes, and checks at each one what a feed
 * reader relies on: every subscription feed's `prev-archive` (Atom, RSS) and `next_url` (JSON Feed)
 * names a document that is in the bucket.
 */
class OrderRecordingSiteStore extends MemorySiteStore {
  order: string[] = [];
  readonly dangling: string[] = [];
  /** Writes under this prefix fail, as a broken archive unit's would. */
  failPrefix: string | undefined;

  override async putIfChanged(file: SiteObject, options?: PutIfChangedOptions): Promise<PutResult> {
    if (this.failPrefix !== undefined && file.path.startsWith(this.failPrefix))
      throw new Error(`cannot write ${file.path}`);
    const result = await super.putIfChanged(file, options);
    if (result === 'written') {
      this.order.push(file.path);
      this.#check(`after writing ${file.path}`);
    }
    return result;
  }

  override async delete(path: string): Promise<DeleteResult> {
    const result = await super.delete(path);
    if (result === 'deleted') {
      this.order.push(`-${path}`);
      this.#check(`after deleting ${path}`);
    }
    return result;
  }

  /** Index of the first write or delete of `path` (`-path` for a delete) in this render. */
  at(path: string): number {
    const index = this.order.indexOf(path);
    if (index < 0) throw new Error(`${path} was not written; written: ${this.order.join(', ')}`);
    return index;
  }

  #check(when: string): void {
    for (const [path, file] of this.files) {
      if (!SUBSCRIPTION_FEED.test(path)) continue;
      const body = typeof file.body === 'string' ? file.body : Buffer.from(file.body).toString('utf8');
      const links = [
        ...body.matchAll(/rel="prev-archive"[^>]*href="([^"]+)"/g),
        ...body.matchAll(/"next_url":\s*"([^"]+)"/g),
      ].map((match) => match[1] ?? '');
      for (const link of links) {
        const target = link.startsWith(BASE_URL) ? link.slice(BASE_URL.length) : link;
        if (!this.files.has(target)) this.dangling.push(`${path} links ${target} ${when}`);
      }
    }
  }
}

describe('Function: runRenderPlan, the order of its writes', () => {
  let digests: PublishedDigests;
  let stories: TableStoryStore;
  let issues: TableIssueRegistry;
  let site: OrderRecordingSiteStore;

  const publish = (key: string, digest: TestDigest) => digests.publish(key, digest);
  const withdraw = (key: string) => digests.withdraw(key);
  const render = (changed: readonly Story[], siteConfig = config) => {
    site.order = [];
    return runRenderPlan(planFor(changed), {
      stories,
      site,
      config: siteConfig,
      archive: { stories, issues },
    });
  };
  const expectSameAsBuild = (siteConfig = config) => expectSameAsBuildOf(site, digests.all(), siteConfig);

  beforeEach(async () => {
    digests = new PublishedDigests();
    ({ stories, issues } = digests);
    site = new OrderRecordingSiteStore();
    await publish('digests/11.txt', digestOf(november, 'November brief'));
    await publish('digests/12.txt', digestOf(december, 'December brief'));
  });

  it('writes the feeds and story pages first, then the archive, when the feeds link the same document', async () => {
    // Prepare: December has its archive document; a later December digest adds a story to it.
    await render([...november, ...december]);
    await publish('digests/12-15.txt', digestOf(laterDecember, 'Mid-December brief'));

    // Act
    const result = await render(laterDecember);

    // Assess
    expect(result.failed.size).toBe(0);
    const seen = [
      'feeds/metals/rss.xml',
      'feeds/metals/atom.xml',
      'feeds/metals/feed.json',
      'feeds/all/rss.xml',
      'feeds/all/atom.xml',
      'feeds/all/feed.json',
      'stories/2020-12-15-cobalt.html',
    ];
    const lastSeen = Math.max(...seen.map((path) => site.at(path)));
    const archive = site.order.filter((path) => !seen.includes(path));
    expect(archive).toEqual(
      expect.arrayContaining([
        'feeds/metals/archive/2020-12.xml',
        'feeds/all/archive/2020-12.json',
        'topics/metals/2020-12.html',
        'issues/2020-12-15-mid-december-brief.html',
        'issues/2020-12.html',
        'index.html',
        'sitemaps/2020-12.xml',
      ]),
    );
    for (const path of archive) expect({ path, at: site.at(path) > lastSeen }).toEqual({ path, at: true });
    expect(site.dangling).toEqual([]);
    expectSameAsBuild();
  });

  it('writes a new month’s documents before the feeds that link them', async () => {
    // Prepare
    await render([...november, ...december]);
    await publish('digests/01.txt', digestOf(january, 'January brief'));

    // Act
    const result = await render(january);

    // Assess
    expect(result.failed.size).toBe(0);
    expect(site.at('feeds/metals/archive/2021-01.xml')).toBeLessThan(site.at('feeds/metals/rss.xml'));
    expect(site.at('feeds/metals/archive/2021-01.json')).toBeLessThan(site.at('feeds/metals/feed.json'));
    expect(site.at('feeds/all/archive/2021-01.xml')).toBeLessThan(site.at('feeds/all/atom.xml'));
    // The issue pages are still the archive's: after the feeds.
    expect(site.at('issues/2021-01-03-january-brief.html')).toBeGreaterThan(site.at('feeds/metals/rss.xml'));
    expect(site.dangling).toEqual([]);
    expectSameAsBuild();
  });

  it('writes a month’s new part before the feeds that link it', async () => {
    // Prepare
    await render([...november, ...december], small);
    expect(site.files.has('feeds/metals/archive/2020-12-2.xml')).toBe(false);
    await publish('digests/crowded.txt', digestOf(crowded, 'Crowded'));

    // Act
    const result = await render(crowded, small);

    // Assess
    expect(result.failed.size).toBe(0);
    expect(site.at('feeds/metals/archive/2020-12-2.xml')).toBeLessThan(site.at('feeds/metals/rss.xml'));
    expect(site.dangling).toEqual([]);
    expectSameAsBuild(small);
  });

  it('moves the feeds back to the older month before deleting the emptied month’s documents', async () => {
    // Prepare
    await publish('digests/01.txt', digestOf(january, 'January brief'));
    await render([...november, ...december, ...january]);
    await withdraw('digests/01.txt');

    // Act
    const result = await render(january);

    // Assess
    expect(result.failed.size).toBe(0);
    expect(site.at('feeds/metals/rss.xml')).toBeLessThan(site.at('-feeds/metals/archive/2021-01.xml'));
    expect(site.at('-stories/2021-01-03-zinc.html')).toBeLessThan(site.at('-issues/2021-01.html'));
    expect(site.dangling).toEqual([]);
    expectSameAsBuild();
  });

  it('fails the archive unit that cannot write, keeps the feeds it wrote, and converges on the retry', async () => {
    // Prepare
    await render([...november, ...december]);
    await publish('digests/12-15.txt', digestOf(laterDecember, 'Mid-December brief'));
    site.failPrefix = 'issues/';

    // Act
    const failed = await render(laterDecember);
    site.failPrefix = undefined;
    const retried = await render(laterDecember);

    // Assess
    expect([...failed.failed.keys()]).toEqual(expect.arrayContaining(['issues:2020-12', 'issue-listings']));
    expect(failed.failed.has('topic:metals')).toBe(false);
    expect(failed.changedFeeds).toContain('feeds/metals/rss.xml');
    expect(retried.failed.size).toBe(0);
    expect(site.dangling).toEqual([]);
    expectSameAsBuild();
  });
});
