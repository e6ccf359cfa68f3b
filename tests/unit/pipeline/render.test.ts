import type { Story } from '@feedwright/digest';
import { type RenderPlan, runRenderPlan } from '@feedwright/pipeline';
import { buildSite, resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import {
  type SiteObject,
  SiteObjectConflictError,
  type StoryStore,
  TableStoryStore,
} from '@feedwright/storage';
import { MemoryItemTable, MemorySiteStore } from '@feedwright/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { digestStories } from '../storage/stories.ts';

const config: SiteConfig = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });

const edition = digestStories('2020-12-01', [
  { id: 'law', topic: 'Personal data', topicSlug: 'personal-data' },
  { id: 'qdlp', topic: 'Investment', topicSlug: 'investment' },
  { id: 'banks', topic: 'Metals', topicSlug: 'metals' },
]);

/** The plan a batch touching these stories and topics yields (records are not needed here). */
function planFor(stories: readonly Story[], extraTopics: readonly string[] = []): RenderPlan {
  return {
    storyIds: new Set(stories.map((story) => story.storyId)),
    topics: new Set(['all', ...stories.map((story) => story.topicSlug), ...extraTopics]),
    listings: true,
    topicMonths: new Map(),
    sitemapMonths: new Set(),
    issueMonths: new Set(),
    unitsByRecord: new Map(),
    digests: new Map(),
  };
}

/** A store whose index lags behind: it does not show the stories named, as a GSI may not yet. */
function lagging(store: StoryStore, hidden: ReadonlySet<string>): StoryStore {
  return {
    applyDigest: (change, stories) => store.applyDigest(change, stories),
    withdrawDigest: (change) => store.withdrawDigest(change),
    settleDigest: (change) => store.settleDigest(change),
    orderOf: (change) => store.orderOf(change),
    listTopics: () => store.listTopics(),
    getStory: (id) => store.getStory(id),
    getStories: (ids) => store.getStories(ids),
    digestStoryIds: (key) => store.digestStoryIds(key),
    planUpload: (key, stories) => store.planUpload(key, stories),
    newestStories: async (slug, limit) =>
      (await store.newestStories(slug, limit)).filter((story) => !hidden.has(story.storyId)),
  };
}

/** A site store that fails every write under `prefix`. */
class FailingSiteStore extends MemorySiteStore {
  constructor(private readonly prefix: string) {
    super();
  }
  override async putIfChanged(file: SiteObject, options?: Parameters<MemorySiteStore['putIfChanged']>[1]) {
    if (file.path.startsWith(this.prefix)) throw new Error('SlowDown (injected)');
    return super.putIfChanged(file, options);
  }
}

describe('Function: runRenderPlan', () => {
  let stories: TableStoryStore;

  beforeEach(async () => {
    stories = new TableStoryStore(new MemoryItemTable());
    await stories.applyDigest({ key: 'digests/a.txt', sequencer: '01' }, edition);
  });

  it('writes exactly the tree feedwright build makes from the same stories', async () => {
    // Prepare
    const site = new MemorySiteStore();

    // Act
    const result = await runRenderPlan(planFor(edition), { stories, site, config });

    // Assess
    const expected = buildSite(edition, config);
    expect(result.failed.size).toBe(0);
    expect([...site.files.keys()].sort()).toEqual(expected.map((file) => file.path));
    for (const file of expected) expect(site.files.get(file.path)?.body).toBe(file.body);
    expect(result.written).toBe(expected.length);
  });

  it('writes nothing when the same batch is rendered again', async () => {
    // Prepare
    const site = new MemorySiteStore();
    await runRenderPlan(planFor(edition), { stories, site, config });
    const writes = site.writes;

    // Act
    const result = await runRenderPlan(planFor(edition), { stories, site, config });

    // Assess
    expect(result.written).toBe(0);
    expect(result.unchanged).toBeGreaterThan(0);
    expect(site.writes).toBe(writes);
  });

  it('removes a withdrawn story page and the feeds of a topic left with no story, but keeps all', async () => {
    // Prepare
    const site = new MemorySiteStore();
    await runRenderPlan(planFor(edition), { stories, site, config });
    const banks = edition[2] as Story;
    await stories.applyDigest({ key: 'digests/a.txt', sequencer: '02' }, edition.slice(0, 2));

    // Act
    await runRenderPlan(planFor([banks]), { stories, site, config });

    // Assess
    expect(site.files.has(`stories/${banks.storyId}.html`)).toBe(false);
    expect([...site.files.keys()].filter((path) => path.startsWith('feeds/metals/'))).toEqual([]);
    expect(site.files.get('feeds/all/rss.xml')?.body).not.toContain(banks.title);
    expect(site.files.get('index.html')?.body).not.toContain('Metals');
    expect(site.files.get('feeds.opml')?.body).not.toContain('feeds/metals/');
    expect(site.files.has('feeds/all/feed.json')).toBe(true);
  });

  it('shows a story the index does not show yet, from its strongly consistent read', async () => {
    // Prepare
    const site = new MemorySiteStore();
    const fresh = digestStories('2020-12-02', [{ id: 'fresh', topic: 'Metals', topicSlug: 'metals' }]);
    await stories.applyDigest({ key: 'digests/b.txt', sequencer: '01' }, fresh);
    const lag = lagging(stories, new Set(fresh.map((story) => story.storyId)));

    // Act
    await runRenderPlan(planFor(fresh), { stories: lag, site, config });

    // Assess
    expect(site.files.get('feeds/metals/atom.xml')?.body).toContain('Title of 2020-12-02-fresh');
    expect(site.files.get('feeds/all/atom.xml')?.body).toContain('Title of 2020-12-02-fresh');
  });

  it('reports the failed unit and still renders the others', async () => {
    // Prepare
    const site = new FailingSiteStore('feeds/metals/');

    // Act
    const result = await runRenderPlan(planFor(edition), { stories, site, config });

    // Assess
    expect([...result.failed.keys()]).toEqual(['topic:metals']);
    expect(site.files.has('feeds/investment/rss.xml')).toBe(true);
    expect(site.files.has('index.html')).toBe(true);
  });

  it('renders a unit again when another render changed its objects meanwhile', async () => {
    // Prepare: the first write of feeds/all/rss.xml loses a race once
    const site = new MemorySiteStore();
    let raced = false;
    const racing = Object.assign(Object.create(site) as MemorySiteStore, {
      async putIfChanged(file: SiteObject, options?: Parameters<MemorySiteStore['putIfChanged']>[1]) {
        if (file.path === 'feeds/all/rss.xml' && !raced) {
          raced = true;
          throw new SiteObjectConflictError('feeds/all/rss.xml changed (injected)');
        }
        return site.putIfChanged(file, options);
      },
    });

    // Act
    const result = await runRenderPlan(planFor(edition), { stories, site: racing, config });

    // Assess
    expect(raced).toBe(true);
    expect(result.failed.size).toBe(0);
    expect(site.files.has('feeds/all/rss.xml')).toBe(true);
  });
});
