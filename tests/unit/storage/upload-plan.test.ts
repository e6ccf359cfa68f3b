import type { Story } from '@feedwright/digest';
import { pairRenamed, TableStoryStore } from '@feedwright/storage';
import { MemoryItemTable } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';
import { digestStories } from './stories.ts';

const S1 = '0055AED6DCD90281E5';
const S2 = '0055AED6DCD90281F0';
const S3 = '0055AED6DCD9028200';

const WEEKLY = 'digests/weekly-2024-05-07.txt';
const WEEKLY_V2 = 'digests/weekly-2024-05-07v2.txt';

/** A four-story weekly; `fix` rewrites the third story's body, `headline` the fourth's title and id. */
function weekly(options: { fix?: string; headline?: string } = {}): Story[] {
  return digestStories('2024-05-07', [
    { id: 'budget', title: 'Budget passes' },
    { id: 'port', title: 'Port reopens', paragraphs: ['The port reopened on Monday after the storm.'] },
    { id: 'rates', title: 'Rates hold', paragraphs: [options.fix ?? 'The bank held rates at 4 per cent.'] },
    {
      id: options.headline === undefined ? 'mayor' : 'mayor-corrected',
      title: options.headline ?? 'Mayor resigns',
      paragraphs: ['The mayor stepped down on Tuesday, citing health reasons, after ten years in office.'],
    },
  ]);
}

/** Plans an upload, applies it, and gives both, so a test can hold the dry run to what ingest did. */
async function planThenApply(
  store: TableStoryStore,
  key: string,
  sequencer: string,
  stories: readonly Story[],
): Promise<{
  plan: Awaited<ReturnType<TableStoryStore['planUpload']>>;
  result: Awaited<ReturnType<TableStoryStore['applyDigest']>>;
}> {
  const plan = await store.planUpload(key, stories);
  const result = await store.applyDigest({ key, sequencer }, stories);
  return { plan, result };
}

describe('Class: TableStoryStore, planUpload (what a dry run shows)', () => {
  it('predicts the counts and notes ingest reports, upload after upload', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());
    const uploads: [string, string, Story[]][] = [
      [WEEKLY, S1, weekly()],
      [WEEKLY, S2, weekly()],
      [WEEKLY_V2, S1, weekly({ fix: 'The bank held rates at 4.5 per cent.' })],
      [WEEKLY, S3, weekly({ headline: 'Mayor resigns after ten years' })],
      [WEEKLY_V2, S2, weekly().slice(0, 2)],
    ];

    for (const [key, sequencer, stories] of uploads) {
      // Act
      const { plan, result } = await planThenApply(store, key, sequencer, stories);

      // Assess
      expect(result.counts, `${key} at ${sequencer}`).toEqual(plan.counts);
      expect(result.held ?? [], `${key} at ${sequencer}`).toEqual(plan.held);
      expect(result.renamed ?? [], `${key} at ${sequencer}`).toEqual(plan.renamed);
    }
  });

  it('tells of a corrected copy under another name that its stories keep the first copy’s text', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());
    await store.applyDigest({ key: WEEKLY, sequencer: S1 }, weekly());
    const copy = weekly({ fix: 'The bank held rates at 4.5 per cent.', headline: 'Mayor quits' });

    // Act
    const { plan, result } = await planThenApply(store, WEEKLY_V2, S1, copy);

    // Assess
    expect(plan.counts).toEqual({ total: 4, added: 1, updated: 0, withdrawn: 0, unchanged: 3 });
    expect(result.counts).toEqual(plan.counts);
    expect(plan.held).toEqual([
      { storyId: '2024-05-07-rates', title: 'Rates hold', shownFrom: WEEKLY, because: 'name-first' },
    ]);
    expect(result.held).toEqual(plan.held);
    expect((await store.getStory('2024-05-07-rates'))?.paragraphs).toEqual([
      'The bank held rates at 4 per cent.',
    ]);
  });

  it('says a newer date line is why another digest’s text shows', async () => {
    // Prepare: the copy is dated nine hours later, so its text (and time) shows for every story.
    const store = new TableStoryStore(new MemoryItemTable());
    const later = weekly().map((story) => ({
      ...story,
      publishedAt: new Date(Date.parse(story.publishedAt) + 9 * 3600_000).toISOString(),
    }));
    await store.applyDigest({ key: WEEKLY_V2, sequencer: S1 }, later);

    // Act
    const plan = await store.planUpload(WEEKLY, weekly());

    // Assess
    expect(plan.held.map(({ shownFrom, because }) => `${shownFrom} ${because}`)).toEqual(
      Array(4).fill(`${WEEKLY_V2} newer-date`),
    );
  });

  it('names a corrected headline in a re-upload of the same digest as a rename, not a new story', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());
    await store.applyDigest({ key: WEEKLY, sequencer: S1 }, weekly());

    // Act
    const { plan, result } = await planThenApply(
      store,
      WEEKLY,
      S2,
      weekly({ headline: 'Mayor resigns after ten years' }),
    );

    // Assess
    expect(plan.counts).toMatchObject({ added: 1, withdrawn: 1 });
    expect(plan.renamed).toEqual([
      {
        from: { storyId: '2024-05-07-mayor', title: 'Mayor resigns' },
        to: { storyId: '2024-05-07-mayor-corrected', title: 'Mayor resigns after ten years' },
      },
    ]);
    expect(result.renamed).toEqual(plan.renamed);
    expect(plan.held).toEqual([]);
  });

  it('changes nothing in the table', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);
    await store.applyDigest({ key: WEEKLY, sequencer: S1 }, weekly());
    const before = JSON.stringify(await store.getStories(weekly().map((story) => story.storyId)));

    // Act
    await store.planUpload(WEEKLY, weekly({ fix: 'Changed.' }));
    await store.planUpload(WEEKLY_V2, weekly());

    // Assess
    expect(JSON.stringify(await store.getStories(weekly().map((story) => story.storyId)))).toBe(before);
    expect(await store.digestStoryIds(WEEKLY_V2)).toEqual([]);
  });
});

describe('Function: pairRenamed', () => {
  const [old] = digestStories('2024-05-07', [
    { id: 'old', title: 'Old headline', paragraphs: ['One two three four.', 'Five six seven eight.'] },
  ]);
  const next = (overrides: Partial<Story>): Story => ({
    ...(old as Story),
    storyId: '2024-05-07-new',
    title: 'New headline',
    ...overrides,
  });

  it('pairs a story at the same place and topic whose body is mostly kept', () => {
    expect(
      pairRenamed([old as Story], [next({ paragraphs: ['One two three four.', 'Five six seven nine.'] })]),
    ).toHaveLength(1);
  });

  it('pairs a story moved elsewhere with the same body', () => {
    expect(pairRenamed([old as Story], [next({ position: 3 })])).toHaveLength(1);
  });

  it('does not pair a different story put in the same place, nor one in another topic', () => {
    expect(
      pairRenamed([old as Story], [next({ paragraphs: ['Something else entirely happened today.'] })]),
    ).toEqual([]);
    expect(pairRenamed([old as Story], [next({ topicSlug: 'metals', topic: 'Metals' })])).toEqual([]);
  });
});
