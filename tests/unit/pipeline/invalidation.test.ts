import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { Story } from '@feedwright/digest';
import { type RenderPlan, runRenderPlan } from '@feedwright/pipeline';
import { resolveSiteConfig } from '@feedwright/site';
import { TableStoryStore } from '@feedwright/storage';
import { type CdnInvalidator, CloudFrontInvalidator, invalidationPaths } from '@feedwright/storage/cdn';
import { MemoryItemTable, MemorySiteStore } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';
import { digestStories } from '../storage/stories.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });
const edition = digestStories('2020-12-01', [
  { id: 'law', topic: 'Personal data', topicSlug: 'personal-data' },
  { id: 'banks', topic: 'Metals', topicSlug: 'metals' },
]);

function planFor(stories: readonly Story[]): RenderPlan {
  return {
    storyIds: new Set(stories.map((story) => story.storyId)),
    topics: new Set(['all', ...stories.map((story) => story.topicSlug)]),
    listings: true,
    topicMonths: new Map(),
    sitemapMonths: new Set(),
    issueMonths: new Set(),
    unitsByRecord: new Map(),
    digests: new Map(),
  };
}

/** A CDN fake that records each call's paths. */
class RecordingCdn implements CdnInvalidator {
  readonly calls: string[][] = [];
  async invalidate(paths: readonly string[]): Promise<void> {
    this.calls.push([...paths]);
  }
}

describe('Function: runRenderPlan, CDN invalidation', () => {
  it('invalidates a withdrawn page and the changed feeds in one call', async () => {
    // Prepare
    const stories = new TableStoryStore(new MemoryItemTable());
    const site = new MemorySiteStore();
    await stories.applyDigest({ key: 'digests/a.txt', sequencer: '01' }, edition);
    await runRenderPlan(planFor(edition), { stories, site, config });
    const banks = edition[1] as Story;
    await stories.applyDigest({ key: 'digests/a.txt', sequencer: '02' }, edition.slice(0, 1));
    const cdn = new RecordingCdn();

    // Act
    await runRenderPlan(planFor([banks]), { stories, site, config, cdn });

    // Assess
    expect(cdn.calls).toHaveLength(1);
    expect(cdn.calls[0]).toEqual(
      expect.arrayContaining([
        `stories/${banks.storyId}.html`,
        'feeds/metals/rss.xml',
        'feeds/metals/atom.xml',
        'feeds/metals/feed.json',
        'feeds/all/rss.xml',
        'index.html',
      ]),
    );
  });

  it('leaves out objects written for the first time, which no cache holds', async () => {
    // Prepare
    const stories = new TableStoryStore(new MemoryItemTable());
    const site = new MemorySiteStore();
    await stories.applyDigest({ key: 'digests/a.txt', sequencer: '01' }, edition);
    const cdn = new RecordingCdn();

    // Act
    await runRenderPlan(planFor(edition), { stories, site, config, cdn });

    // Assess
    expect(site.writes).toBeGreaterThan(0);
    expect(cdn.calls).toEqual([]);
  });

  it('invalidates a corrected story page, rewritten in place', async () => {
    // Prepare
    const stories = new TableStoryStore(new MemoryItemTable());
    const site = new MemorySiteStore();
    await stories.applyDigest({ key: 'digests/a.txt', sequencer: '01' }, edition);
    await runRenderPlan(planFor(edition), { stories, site, config });
    const [law, banks] = edition as [Story, Story];
    await stories.applyDigest({ key: 'digests/a.txt', sequencer: '02' }, [
      { ...law, paragraphs: ['Fixed.'] },
      banks,
    ]);
    const cdn = new RecordingCdn();

    // Act
    await runRenderPlan(planFor([law]), { stories, site, config, cdn });

    // Assess
    expect(cdn.calls).toHaveLength(1);
    expect(cdn.calls[0]).toContain(`stories/${law.storyId}.html`);
  });

  it('makes no call when the render changed nothing', async () => {
    // Prepare
    const stories = new TableStoryStore(new MemoryItemTable());
    const site = new MemorySiteStore();
    await stories.applyDigest({ key: 'digests/a.txt', sequencer: '01' }, edition);
    await runRenderPlan(planFor(edition), { stories, site, config });
    const cdn = new RecordingCdn();

    // Act
    await runRenderPlan(planFor(edition), { stories, site, config, cdn });

    // Assess
    expect(cdn.calls).toEqual([]);
  });
});

describe('Class: CloudFrontInvalidator', () => {
  it('sends one CreateInvalidation for the distribution with every path, the root for index.html', async () => {
    // Prepare
    const sent: { name: string; input: unknown }[] = [];
    const client = {
      send: async (command: { constructor: { name: string }; input: unknown }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return {};
      },
    } as unknown as CloudFrontClient;
    const cdn = new CloudFrontInvalidator({
      distributionId: 'E2EXAMPLE',
      client,
      now: () => new Date('2020-12-01T09:30:00Z'),
    });

    // Act
    await cdn.invalidate(['stories/a b.html', 'index.html', 'feeds/all/rss.xml', 'feeds/law/atom.xml']);

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]?.name).toBe('CreateInvalidationCommand');
    expect(sent[0]?.input).toMatchObject({
      DistributionId: 'E2EXAMPLE',
      InvalidationBatch: {
        Paths: { Quantity: 4, Items: ['/', '/feeds/*', '/index.html', '/stories/a%20b.html'] },
      },
    });
  });

  it('makes a client given as a function once, with the first invalidation, and again after it failed', async () => {
    // Prepare
    const sent: unknown[] = [];
    let made = 0;
    const cdn = new CloudFrontInvalidator({
      distributionId: 'E2EXAMPLE',
      client: async () => {
        made += 1;
        if (made === 1) throw new Error('no credentials yet');
        return {
          send: async (command: { input: unknown }) => sent.push(command.input),
        } as unknown as CloudFrontClient;
      },
    });

    // Act
    await cdn.invalidate([]);
    const madeBeforeAnyPath = made;
    await expect(cdn.invalidate(['index.html'])).rejects.toThrow('no credentials yet');
    await cdn.invalidate(['index.html']);
    await cdn.invalidate(['feeds/all/rss.xml']);

    // Assess
    expect(madeBeforeAnyPath).toBe(0);
    expect(made).toBe(2);
    expect(sent).toHaveLength(2);
  });

  it('asks for one wildcard instead of a long list, and lists a single changed feed as it is', () => {
    expect(invalidationPaths(Array.from({ length: 101 }, (_, i) => `stories/${i}.html`))).toEqual(['/*']);
    expect(invalidationPaths(['feeds/all/feed.json'])).toEqual(['/feeds/all/feed.json']);
  });
});
