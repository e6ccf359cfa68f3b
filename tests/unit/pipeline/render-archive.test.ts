import type { Story } from '@feedwright/digest';
import { runRenderPlan } from '@feedwright/pipeline';
import { resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import type {
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
  expectSameAsBuild,
  january,
  november,
  PublishedDigests,
  planFor,
  type TestDigest,
} from './archive-digests.ts';

const config: SiteConfig = archiveConfig;

const october = digestStories('2020-10-05', [
  { id: 'copper', topic: 'Metals', topicSlug: 'metals' },
  { id: 'qdlp', topic: 'Investment', topicSlug: 'investment' },
]);
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

/** A digest as the tests publish it: its stories and what its issue shows. */
describe('Function: runRenderPlan with the archive', () => {
  let digests: PublishedDigests;
  let stories: TableStoryStore;
  let issues: TableIssueRegistry;
  let site: RecordingSiteStore;

  const publish = (key: string, digest: TestDigest) => digests.publish(key, digest);
  const withdraw = (key: string) => digests.withdraw(key);

  beforeEach(async () => {
    digests = new PublishedDigests();
    ({ stories, issues } = digests);
    site = new RecordingSiteStore();
    await publish('digests/10.txt', digestOf(october, 'October brief'));
    await publish('digests/11.txt', digestOf(november, 'November brief'));
    await publish('digests/12.txt', digestOf(december, 'December brief'));
  });

  const render = (changed: readonly Story[], siteConfig = config, issueMonths: readonly string[] = []) => {
    site.touched = [];
    return runRenderPlan(planFor(changed, issueMonths), {
      stories,
      site,
      config: siteConfig,
      archive: { stories, issues },
    });
  };
  const all = () => digests.all();
  const seeded = () => [...october, ...november, ...december];

  it('writes the same archive, byte for byte, as feedwright build of the same digests', async () => {
    // Act
    const result = await render(seeded());

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, all());
    expect(site.files.has('feeds/metals/archive/2020-11.xml')).toBe(true);
    expect(site.files.has('sitemaps/2020-10.xml')).toBe(true);
    expect(site.files.has('issues/2020-11-20-november-brief.html')).toBe(true);
    expect(site.files.get('stories/2020-12-01-law.html')?.body).toContain('2020-12-01-december-brief.html');
  });

  it('splits a month into parts as build does when it does not fit the byte budget', async () => {
    // Prepare
    const small = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/', maxFeedBytes: 8192 });
    const crowded = crowdedDigest();
    await publish('digests/crowded.txt', digestOf(crowded, 'Crowded'));

    // Act
    const result = await render([...seeded(), ...crowded], small);

    // Assess
    expect(result.failed.size).toBe(0);
    expect(site.files.has('feeds/metals/archive/2020-12-2.xml')).toBe(true);
    expectSameAsBuild(site, all(), small);
  });

  it('deletes the parts a month no longer needs when stories leave it', async () => {
    // Prepare
    const small = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/', maxFeedBytes: 8192 });
    const crowded = crowdedDigest();
    await publish('digests/crowded.txt', digestOf(crowded, 'Crowded'));
    await render([...seeded(), ...crowded], small);
    await publish('digests/crowded.txt', digestOf(crowded.slice(0, 1), 'Crowded'));

    // Act
    const result = await render(crowded.slice(1), small);

    // Assess
    expect(result.failed.size).toBe(0);
    expect(site.files.has('feeds/metals/archive/2020-12-2.xml')).toBe(false);
    expectSameAsBuild(site, all(), small);
  });

  it('adds a new month rewriting only the newest months, never an older one', async () => {
    // Prepare
    await render(seeded());
    await publish('digests/01.txt', digestOf(january, 'January brief'));

    // Act
    await render(january);

    // Assess
    expectSameAsBuild(site, all());
    expect(site.touched.filter((path) => /2020-1[01]/.test(path))).toEqual([]);
    expect(site.touched).toContain('feeds/metals/archive/2020-12.xml');
    expect(site.touched).toContain('feeds/metals/archive/2021-01.xml');
    expect(site.touched).toContain('issues/2021-01-03-january-brief.html');
    expect(site.touched).toContain('issues/2021-01.html');
    // December's month page gains its link to January; no December issue or story page changes.
    expect(site.touched).toContain('issues/2020-12.html');
    expect(site.touched.filter((path) => path.startsWith('issues/2020-12-'))).toEqual([]);
    expect(site.touched.filter((path) => path.startsWith('stories/2020-12-'))).toEqual([]);
  });

  it('back-fills a digest from years ago touching its month and the next newer one only', async () => {
    // Prepare
    await render(seeded());
    await publish('digests/old.txt', digestOf(backfill, 'Old brief'));

    // Act
    await render(backfill);

    // Assess
    expectSameAsBuild(site, all());
    expect(site.touched.filter((path) => /2020-1[12]/.test(path))).toEqual([]);
    expect(site.touched).toContain('feeds/metals/archive/2019-06.xml');
    expect(site.touched).toContain('issues/2019-06-01-old-brief.html');
  });

  it('removes the documents, pages and sitemap part of a month that loses its last digest', async () => {
    // Prepare
    await render(seeded());
    await withdraw('digests/11.txt');

    // Act
    const result = await render(november, config, ['2020-11']);

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, all());
    expect(site.files.has('sitemaps/2020-11.xml')).toBe(false);
    expect(site.files.has('feeds/all/archive/2020-11.json')).toBe(false);
    expect(site.files.has('issues/2020-11-20-november-brief.html')).toBe(false);
    expect(site.files.has('issues/2020-11.html')).toBe(false);
  });

  it('renders an issue record that arrives after its stories (its own batch), as build does', async () => {
    // Prepare: January's stories render before its issue record is in the table.
    await render(seeded());
    const change = digests.nextChange('digests/01.txt');
    await stories.applyDigest(change, january);
    await render(january);
    expect(site.files.get('stories/2021-01-03-zinc.html')?.body).not.toContain('issues/2021-01-03');
    await issues.recordIssue(change, digestOf(january, 'January brief'));
    digests.live.set('digests/01.txt', digestOf(january, 'January brief'));

    // Act: the batch holding only the issue record.
    const result = await render([], config, ['2021-01']);

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, all());
    expect(site.files.get('stories/2021-01-03-zinc.html')?.body).toContain(
      'issues/2021-01-03-january-brief.html',
    );
  });

  it('moves an issue page when a correction renames it, and relinks its stories', async () => {
    // Prepare
    await render(seeded());
    await publish('digests/12.txt', digestOf(december, 'December brief, corrected'));

    // Act
    const result = await render([], config, ['2020-12']);

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, all());
    expect(site.files.has('issues/2020-12-01-december-brief.html')).toBe(false);
    expect(site.files.get('stories/2020-12-01-banks.html')?.body).toContain('December brief, corrected');
  });

  it("tells colliding issues apart by suffix as build does, and relinks a withdrawn story's neighbours", async () => {
    // Prepare: a second digest with the same date and title under another key.
    const twin = digestStories('2020-12-01', [
      { id: 'twin-a', topic: 'Metals', topicSlug: 'metals', publishedAt: '2020-12-01T11:00:00Z' },
      { id: 'twin-b', topic: 'Metals', topicSlug: 'metals', publishedAt: '2020-12-01T10:59:59Z' },
      { id: 'twin-c', topic: 'Metals', topicSlug: 'metals', publishedAt: '2020-12-01T10:59:58Z' },
    ]);
    await publish('digests/12b.txt', digestOf(twin, 'December brief'));
    await render([...seeded(), ...twin]);
    expect(site.files.has('issues/2020-12-01-december-brief-2.html')).toBe(true);
    await publish('digests/12b.txt', digestOf([twin[0] as Story, twin[2] as Story], 'December brief'));

    // Act
    const result = await render([twin[1] as Story]);

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, all());
    expect(site.files.get('stories/2020-12-01-twin-a.html')?.body).toContain('2020-12-01-twin-c.html');
  });

  it("unlinks the pages of a digest's stories when another digest's issue takes over its cluster", async () => {
    // Prepare: a later digest shares one story with December's: one issue, the later digest's text,
    // whose stories are the shared one only; December's other story then belongs to no issue.
    await render(seeded());
    const [law] = december;
    if (law === undefined) throw new Error('fixture changed');
    await publish('digests/12-late.txt', {
      ...digestOf([law], 'December late'),
      publishedAt: '2020-12-01T10:00:00Z',
    });

    // Act: the batch of the new issue record only (the shared story did not change).
    const result = await render([], config, ['2020-12']);

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, all());
    expect(site.files.get('stories/2020-12-01-banks.html')?.body).not.toContain('issues/2020-12-01');
  });

  it('relinks the months beyond a neighbour whose first story the table had before its batch came', async () => {
    // Prepare: May is rendered; then January and March are published, and the stream brings
    // January's records first. January's batch renders March as its neighbour from the table, so
    // March's own batch finds March's documents already there: May must have been relinked by then.
    const may = digestStories('2021-05-10', [{ id: 'lead', topic: 'Metals', topicSlug: 'metals' }]);
    const march = digestStories('2021-03-08', [{ id: 'iron', topic: 'Metals', topicSlug: 'metals' }]);
    await publish('digests/05.txt', digestOf(may, 'May brief'));
    await render([...seeded(), ...may]);
    await publish('digests/01.txt', digestOf(january, 'January brief'));
    await publish('digests/03.txt', digestOf(march, 'March brief'));

    // Act
    const first = await render(january);
    const second = await render(march);

    // Assess
    expect(first.failed.size + second.failed.size).toBe(0);
    expectSameAsBuild(site, all());
    expect(site.files.get('topics/metals/2021-05.html')?.body).toContain('2021-03.html');
    expect(site.files.get('issues/2021-05.html')?.body).toContain('2021-03.html');
  });

  it('relinks the months beyond a neighbour that lost its last story before its batch came', async () => {
    // Prepare: January, March and May rendered; March is withdrawn, then January, and the stream
    // brings January's records first.
    const may = digestStories('2021-05-10', [{ id: 'lead', topic: 'Metals', topicSlug: 'metals' }]);
    const march = digestStories('2021-03-08', [{ id: 'iron', topic: 'Metals', topicSlug: 'metals' }]);
    await publish('digests/01.txt', digestOf(january, 'January brief'));
    await publish('digests/03.txt', digestOf(march, 'March brief'));
    await publish('digests/05.txt', digestOf(may, 'May brief'));
    await render([...seeded(), ...january, ...march, ...may]);
    await withdraw('digests/03.txt');
    await withdraw('digests/01.txt');

    // Act
    const first = await render(january, config, ['2021-01']);
    const second = await render(march, config, ['2021-03']);

    // Assess
    expect(first.failed.size + second.failed.size).toBe(0);
    expectSameAsBuild(site, all());
  });

  it("links the issue listing's earlier month as build does when the newest issues fill the feed", async () => {
    // Prepare: two issues a feed, so December and November fill it and October is the earlier month.
    const two = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/', itemsPerFeed: 2 });
    await render(seeded(), two);
    await publish('digests/01.txt', digestOf(january, 'January brief'));

    // Act: January pushes November out; the listing now links November as earlier.
    const result = await render(january, two);

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, all(), two);
    expect(site.files.get('issues/index.html')?.body).toContain('issues/2020-11.html');
  });

  it('lists the newest issues as build does when the feed ends inside a month whose newest issue shows nothing', async () => {
    // Prepare: December's newest issue is recorded before its stories (it shows nothing yet). With four
    // issues a feed, the listing shows January's two and December's other two, read from December's
    // newest issues only (the newest two first, then four).
    const four = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/', itemsPerFeed: 4 });
    const gold = digestStories('2020-12-10', [{ id: 'gold', topic: 'Metals', topicSlug: 'metals' }]);
    const ghost = digestOf(
      digestStories('2020-12-20', [{ id: 'ghost', topic: 'Metals', topicSlug: 'metals' }]),
      'Ghost brief',
    );
    const silver = digestStories('2021-01-05', [{ id: 'silver', topic: 'Metals', topicSlug: 'metals' }]);
    const february = digestStories('2021-02-01', [{ id: 'lead', topic: 'Metals', topicSlug: 'metals' }]);
    await publish('digests/12-10.txt', digestOf(gold, 'Gold brief'));
    await issues.recordIssue({ key: 'digests/12-20.txt', sequencer: '9998' }, ghost);
    await publish('digests/01.txt', digestOf(january, 'January brief'));
    await publish('digests/01-05.txt', digestOf(silver, 'Silver brief'));
    await render([...seeded(), ...gold, ...january, ...silver], four);
    // A February story whose issue is not recorded yet: its batch reads no issue month in full.
    await stories.applyDigest({ key: 'digests/02.txt', sequencer: '9999' }, february);

    // Act
    const result = await render(february, four);

    // Assess
    expect(result.failed.size).toBe(0);
    expectSameAsBuild(site, all(), four, { stories: february, issues: [ghost] });
    const listing = site.files.get('issues/index.html')?.body;
    expect(listing).toContain('2021-01-05-silver-brief.html');
    expect(listing).toContain('2020-12-10-gold-brief.html');
    expect(listing).toContain('2020-12-01-december-brief.html');
    expect(listing).not.toContain('ghost');
  });

  it('writes nothing when the same batch is rendered again', async () => {
    // Prepare
    await render(seeded());
    const writes = site.writes;

    // Act
    const result = await render(december, config, ['2020-12']);

    // Assess
    expect(result.written).toBe(0);
    expect(site.writes).toBe(writes);
  });
});

/** Eight long Metals stories of one digest: more than an 8 KiB archive document holds. */
function crowdedDigest(): Story[] {
  return digestStories(
    '2020-12-02',
    Array.from({ length: 8 }, (_, index) => ({
      id: `m${index}`,
      topic: 'Metals',
      topicSlug: 'metals',
      paragraphs: [`Ore ${index}. ${'Smelters ship more copper. '.repeat(60)}`],
    })),
  );
}
