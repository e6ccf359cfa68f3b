import { type Digest, parseDigest } from '@feedwright/digest';
import { type RenderPlan, runRenderPlan } from '@feedwright/pipeline';
import { resolveSiteConfig } from '@feedwright/site';
import { TableStoryStore } from '@feedwright/storage';
import { MemoryItemTable, MemorySiteStore } from '@feedwright/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { htmlProblems } from '../../support/validators.ts';
import { weeklyText } from '../../support/weekly.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });
const KEY = 'digests/weekly.txt';

/** The weekly of tests/support, parsed. */
function weekly(mayor: string): Digest {
  return parseDigest(weeklyText(mayor));
}

const OLD = '2024-05-07-city-mayor-resigns';
const NEW = '2024-05-07-city-mayor-resigns-after-ten-years';
const NEWEST = '2024-05-07-city-mayor-steps-down-after-ten-years';

/** The plan of a batch whose records touched these stories and these redirect records. */
function planOf(storyIds: readonly string[], redirectIds: readonly string[] = []): RenderPlan {
  return {
    storyIds: new Set(storyIds),
    topics: new Set(['all', 'politics', 'city']),
    listings: true,
    topicMonths: new Map(),
    sitemapMonths: new Set(),
    issueMonths: new Set(),
    redirectIds: new Set(redirectIds),
    unitsByRecord: new Map(),
    digests: new Map(),
  };
}

describe('Function: runRenderPlan, a corrected headline', () => {
  let stories: TableStoryStore;
  let site: MemorySiteStore;
  const render = (plan: RenderPlan) => runRenderPlan(plan, { stories, site, config, redirects: stories });
  /** Uploads `mayor` as the weekly's new version, records its renamed stories as ingest does. */
  const correct = async (sequencer: string, mayor: string) => {
    const result = await stories.applyDigest({ key: KEY, sequencer }, weekly(mayor).stories);
    await stories.recordRedirects(result.renamed ?? []);
    return result;
  };
  const page = (id: string): string | undefined => {
    const body = site.files.get(`stories/${id}.html`)?.body;
    return body === undefined || typeof body === 'string' ? body : new TextDecoder().decode(body);
  };

  beforeEach(async () => {
    stories = new TableStoryStore(new MemoryItemTable());
    site = new MemorySiteStore();
    await stories.applyDigest({ key: KEY, sequencer: '01' }, weekly('Mayor resigns').stories);
    await render(planOf(weekly('Mayor resigns').stories.map((story) => story.storyId)));
  });

  it('writes a redirect page at the old address to the story’s new page, which is the story', async () => {
    // Prepare
    const result = await correct('02', 'Mayor resigns after ten years');

    // Act
    await render(planOf([OLD, NEW], [OLD]));

    // Assess
    expect(result.renamed?.map(({ from, to }) => [from.storyId, to.storyId])).toEqual([[OLD, NEW]]);
    const redirect = page(OLD) ?? '';
    expect(htmlProblems(redirect)).toEqual([]);
    expect(redirect).toContain(`<meta http-equiv="refresh" content="0; url=${NEW}.html">`);
    expect(redirect).toContain(`<link rel="canonical" href="https://feeds.example.com/stories/${NEW}.html">`);
    expect(redirect).toContain('<meta name="robots" content="noindex">');
    expect(page(NEW)).toContain('<h1>Mayor resigns after ten years</h1>');
  });

  it('removes the old page when the story is withdrawn before the redirect record is rendered, and writes the redirect page once it is', async () => {
    // Prepare
    await correct('02', 'Mayor resigns after ten years');

    // Act: the stories' records first, then (another batch) the redirect record's.
    await runRenderPlan(planOf([OLD, NEW]), { stories, site, config });
    const between = page(OLD);
    await render(planOf([], [OLD]));

    // Assess
    expect(between).toBeUndefined();
    expect(page(OLD)).toContain(`url=${NEW}.html`);
  });

  it('leads the first address on to the latest when the story is renamed again, though no record of the batch names it', async () => {
    // Prepare
    await correct('02', 'Mayor resigns after ten years');
    await render(planOf([OLD, NEW], [OLD]));
    await correct('03', 'Mayor steps down after ten years');

    // Act
    await render(planOf([NEW, NEWEST], [NEW]));

    // Assess
    expect(page(OLD)).toContain(`url=${NEWEST}.html`);
    expect(page(NEW)).toContain(`url=${NEWEST}.html`);
    expect(page(NEWEST)).toContain('<h1>Mayor steps down after ten years</h1>');
  });

  it('removes the redirect pages with the story when its digest is withdrawn', async () => {
    // Prepare
    await correct('02', 'Mayor resigns after ten years');
    await render(planOf([OLD, NEW], [OLD]));
    const live = weekly('Mayor resigns after ten years').stories.map((story) => story.storyId);

    // Act
    await stories.withdrawDigest({ key: KEY, sequencer: '03' });
    await render(planOf(live));

    // Assess
    expect([...site.files.keys()].filter((path) => path.startsWith('stories/'))).toEqual([]);
  });

  it('serves the story at its old address again when the headline is corrected back, and the new address redirects to it', async () => {
    // Prepare
    await correct('02', 'Mayor resigns after ten years');
    await render(planOf([OLD, NEW], [OLD]));

    // Act
    await correct('03', 'Mayor resigns');
    await render(planOf([OLD, NEW], [NEW]));

    // Assess
    expect(page(OLD)).toContain('<h1>Mayor resigns</h1>');
    expect(page(NEW)).toContain(`url=${OLD}.html`);
  });
});
