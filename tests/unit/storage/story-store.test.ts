import type { Story } from '@feedwright/digest';
import { type ItemKey, type ItemTable, isLive, type StoryItem, TableStoryStore } from '@feedwright/storage';
import { KEY_PREFIX } from '@feedwright/storage/schema';
import { MemoryItemTable } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';
import { FailingTable } from './failing-table.ts';
import { digestStories } from './stories.ts';

const KEY = 'digests/cx-daily.txt';
const S1 = '0055AED6DCD90281E5';
const S2 = '0055AED6DCD90281F0';
const S3 = '0055AED6DCD9028200';

const firstEdition = digestStories('2020-12-01', [
  { id: 'law', topic: 'Personal data', topicSlug: 'personal-data' },
  { id: 'qdlp', topic: 'Investment', topicSlug: 'investment' },
  { id: 'banks', topic: 'Metals', topicSlug: 'metals' },
]);

function storyItems(table: MemoryItemTable): StoryItem[] {
  return table.all().filter((item) => item.pk.startsWith(KEY_PREFIX.story)) as unknown as StoryItem[];
}

function liveIds(table: MemoryItemTable): string[] {
  return storyItems(table)
    .filter((item) => isLive(item))
    .map((item) => item.storyId)
    .sort();
}

/** An ItemTable whose writer stops, after its Nth successful conditional write, until released. */
class PausingTable extends FailingTable {
  #successes = 0;
  readonly paused: Promise<void>;
  #pausedNow: () => void = () => undefined;
  #release: () => void = () => undefined;
  readonly #released: Promise<void>;
  constructor(
    inner: ItemTable,
    private readonly pauseAfter: number,
  ) {
    super(inner, () => false);
    this.paused = new Promise((resolve) => {
      this.#pausedNow = resolve;
    });
    this.#released = new Promise((resolve) => {
      this.#release = resolve;
    });
  }
  release(): void {
    this.#release();
  }
  override async putIfVersion(item: ItemKey, expectedVersion: number | undefined): Promise<boolean> {
    const written = await super.putIfVersion(item, expectedVersion);
    if (written) {
      this.#successes += 1;
      if (this.#successes === this.pauseAfter) {
        this.#pausedNow();
        await this.#released;
      }
    }
    return written;
  }
}

describe('Class: TableStoryStore', () => {
  it('adds every story of a new digest, registers its topics and serves them newest first', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);

    // Act
    const result = await store.applyDigest({ key: KEY, sequencer: S1 }, firstEdition);

    // Assess
    expect(result).toEqual({
      outcome: 'applied',
      counts: { total: 3, added: 3, updated: 0, withdrawn: 0, unchanged: 0 },
    });
    expect((await store.newestStories('all', 10)).map((s) => s.storyId)).toEqual(
      firstEdition.map((s) => s.storyId),
    );
    expect((await store.newestStories('metals', 10)).map((s) => s.title)).toEqual([
      'Title of 2020-12-01-banks',
    ]);
    expect(await store.listTopics()).toEqual([
      { slug: 'investment', name: 'Investment' },
      { slug: 'metals', name: 'Metals' },
      { slug: 'personal-data', name: 'Personal data' },
    ]);
  });

  it('changes no story when the same stories are uploaded again under a new sequencer', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);
    await store.applyDigest({ key: KEY, sequencer: S1 }, firstEdition);
    const before = storyItems(table);

    // Act
    const result = await store.applyDigest({ key: KEY, sequencer: S2 }, firstEdition);

    // Assess
    expect(result.counts).toEqual({ total: 3, added: 0, updated: 0, withdrawn: 0, unchanged: 3 });
    expect(storyItems(table)).toEqual(before);
    expect(await store.orderOf({ key: KEY, sequencer: S1 })).toBe('older');
  });

  it('updates an edited story in place and withdraws the story a corrected upload no longer has', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);
    await store.applyDigest({ key: KEY, sequencer: S1 }, firstEdition);
    const [law, qdlp] = firstEdition as [Story, Story, Story];
    const corrected = [{ ...law, paragraphs: ['A corrected first paragraph.'] }, qdlp];

    // Act
    const result = await store.applyDigest({ key: KEY, sequencer: S2 }, corrected);

    // Assess
    expect(result.counts).toEqual({ total: 2, added: 0, updated: 1, withdrawn: 1, unchanged: 1 });
    expect(liveIds(table)).toEqual([law.storyId, qdlp.storyId].sort());
    expect((await store.getStory(law.storyId))?.paragraphs).toEqual(['A corrected first paragraph.']);
    expect(await store.getStory('2020-12-01-banks')).toBeUndefined();
    expect(await store.newestStories('metals', 10)).toEqual([]);
  });

  it('treats a second delivery of the same event as a duplicate that changes nothing', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);
    await store.applyDigest({ key: KEY, sequencer: S1 }, firstEdition);
    const before = table.all();

    // Act
    const result = await store.applyDigest({ key: KEY, sequencer: S1 }, firstEdition);

    // Assess
    expect(result.outcome).toBe('duplicate');
    expect(table.all()).toEqual(before);
  });

  it('ignores an older upload event that arrives after a newer one', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);
    const [law] = firstEdition as [Story];
    await store.applyDigest({ key: KEY, sequencer: S2 }, [{ ...law, title: 'The newer title' }]);
    const before = table.all();

    // Act
    const result = await store.applyDigest({ key: KEY, sequencer: S1 }, firstEdition);

    // Assess
    expect(result.outcome).toBe('older');
    expect(table.all()).toEqual(before);
    expect(liveIds(table)).toEqual([law.storyId]);
  });

  it('withdraws every story of a deleted digest and refuses an older upload event afterwards', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);
    await store.applyDigest({ key: KEY, sequencer: S1 }, firstEdition);

    // Act
    const removed = await store.withdrawDigest({ key: KEY, sequencer: S2 });
    const late = await store.applyDigest({ key: KEY, sequencer: S1 }, firstEdition);

    // Assess
    expect(removed).toEqual({
      outcome: 'applied',
      counts: { total: 0, added: 0, updated: 0, withdrawn: 3, unchanged: 0 },
    });
    expect(late.outcome).toBe('older');
    expect(liveIds(table)).toEqual([]);
    expect(await store.newestStories('all', 10)).toEqual([]);
  });

  it('keeps a story that two digests share live until the last of them lets go of it', async () => {
    // Prepare: the same digest uploaded under two names
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);
    await store.applyDigest({ key: KEY, sequencer: S1 }, firstEdition);
    await store.applyDigest({ key: 'digests/copy.txt', sequencer: S1 }, firstEdition);

    // Act
    const first = await store.withdrawDigest({ key: KEY, sequencer: S2 });
    const liveAfterFirst = liveIds(table);
    const second = await store.withdrawDigest({ key: 'digests/copy.txt', sequencer: S2 });

    // Assess
    expect(first.counts.withdrawn).toBe(0);
    expect(liveAfterFirst).toHaveLength(3);
    expect(second.counts.withdrawn).toBe(3);
    expect(liveIds(table)).toEqual([]);
  });

  it('fails when the table fails mid-ingest, and a retry of the same event completes with nothing duplicated', async () => {
    // Prepare: the claim is write 1, the stories 2–4; fail on the third story
    const table = new MemoryItemTable();
    const store = new TableStoryStore(new FailingTable(table, (write) => write === 4), { concurrency: 1 });
    await new TableStoryStore(table).applyDigest({ key: KEY, sequencer: S1 }, firstEdition.slice(0, 1));
    const [law, qdlp, banks] = firstEdition as [Story, Story, Story];
    const second = [{ ...law, title: 'Edited' }, qdlp, banks];

    // Act
    const failed = store.applyDigest({ key: KEY, sequencer: S2 }, second);
    await expect(failed).rejects.toThrow(/injected/);
    const retried = await store.applyDigest({ key: KEY, sequencer: S2 }, second);

    // Assess
    expect(retried).toEqual({
      outcome: 'applied',
      counts: { total: 3, added: 2, updated: 1, withdrawn: 0, unchanged: 0 },
    });
    expect(liveIds(table)).toEqual(second.map((s) => s.storyId).sort());
    expect(storyItems(table)).toHaveLength(3);
    expect((await store.getStory(law.storyId))?.title).toBe('Edited');
  });

  it.each([
    ['right after its claim', 1],
    ['after its first story write', 2],
  ])(
    'leaves only the newer upload live when an older one stalls %s while the newer one runs',
    async (_when, pauseAfter) => {
      // Prepare: the older upload has a story the newer one does not
      const table = new MemoryItemTable();
      const slow = new PausingTable(table, pauseAfter);
      const older = digestStories('2020-12-01', [
        { id: 'only-in-older' },
        { id: 'shared', title: 'Old title' },
      ]);
      const newer = digestStories('2020-12-01', [
        { id: 'only-in-newer' },
        { id: 'shared', title: 'New title' },
      ]);

      // Act
      const olderRun = new TableStoryStore(slow, { concurrency: 1 }).applyDigest(
        { key: KEY, sequencer: S1 },
        older,
      );
      await slow.paused;
      const newerResult = await new TableStoryStore(table).applyDigest({ key: KEY, sequencer: S2 }, newer);
      slow.release();
      const olderResult = await olderRun;

      // Assess
      expect(newerResult.outcome).toBe('applied');
      expect(olderResult.outcome).toBe('superseded');
      expect(liveIds(table)).toEqual(['2020-12-01-only-in-newer', '2020-12-01-shared']);
      expect((await new TableStoryStore(table).getStory('2020-12-01-shared'))?.title).toBe('New title');
      expect(await new TableStoryStore(table).orderOf({ key: KEY, sequencer: S3 })).toBe('claim');
    },
  );

  it('answers the newest stories of a topic with at most the limit asked for', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);
    const many = digestStories(
      '2020-12-02',
      Array.from({ length: 7 }, (_, i) => ({ id: `story-${i}`, topic: 'Cash', topicSlug: 'cash' })),
    );
    await store.applyDigest({ key: KEY, sequencer: S1 }, many);

    // Act
    const newest = await store.newestStories('cash', 3);

    // Assess
    expect(newest.map((s) => s.storyId)).toEqual([
      '2020-12-02-story-0',
      '2020-12-02-story-1',
      '2020-12-02-story-2',
    ]);
  });
});
