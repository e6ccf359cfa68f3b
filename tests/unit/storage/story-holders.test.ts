import { TableStoryStore } from '@feedwright/storage';
import { MemoryItemTable } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';
import { FailingTable } from './failing-table.ts';
import { digestStories } from './stories.ts';

const S1 = '0055AED6DCD90281E5';
const S2 = '0055AED6DCD90281F0';
const S3 = '0055AED6DCD9028200';

/** The same two stories; `edition` sets the body text and `hour` the digest's date line. */
function edition(text: string, hour = '09'): ReturnType<typeof digestStories> {
  return digestStories('2020-12-01', [
    { id: 'law', paragraphs: [`${text} law`] },
    { id: 'banks', topic: 'Metals', topicSlug: 'metals', paragraphs: [`${text} banks`] },
  ]).map((story) => ({ ...story, publishedAt: story.publishedAt.replace('T09:', `T${hour}:`) }));
}

const LAW = '2020-12-01-law';

describe('Class: TableStoryStore, a story held by several digests', () => {
  it('shows the text of the digest with the newest date line, whichever was uploaded last', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());
    await store.applyDigest({ key: 'digests/late.txt', sequencer: S1 }, edition('Late', '18'));

    // Act
    await store.applyDigest({ key: 'digests/early.txt', sequencer: S1 }, edition('Early', '09'));

    // Assess
    expect((await store.getStory(LAW))?.paragraphs).toEqual(['Late law']);
  });

  it('breaks a tie of date lines by the digest name that sorts first', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());
    await store.applyDigest({ key: 'digests/a.txt', sequencer: S1 }, edition('From a'));

    // Act
    await store.applyDigest({ key: 'digests/b.txt', sequencer: S1 }, edition('From b'));

    // Assess
    expect((await store.getStory(LAW))?.paragraphs).toEqual(['From a law']);
  });

  it('falls back to the next holder when the shown digest lets go of the story', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());
    await store.applyDigest({ key: 'digests/b.txt', sequencer: S1 }, edition('From b'));
    await store.applyDigest({ key: 'digests/a.txt', sequencer: S1 }, edition('From a'));

    // Act
    await store.withdrawDigest({ key: 'digests/a.txt', sequencer: S2, at: '2020-12-02T10:00:00.000Z' });

    // Assess
    const law = await store.getStory(LAW);
    expect(law?.paragraphs).toEqual(['From b law']);
    expect(law?.updatedAt).toBe('2020-12-02T10:00:00.000Z');
    expect((await store.newestStories('metals', 5)).map((story) => story.paragraphs)).toEqual([
      ['From b banks'],
    ]);
  });

  it('falls back when the shown digest is corrected to drop the story', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());
    await store.applyDigest({ key: 'digests/b.txt', sequencer: S1 }, edition('From b'));
    await store.applyDigest({ key: 'digests/a.txt', sequencer: S1 }, edition('From a'));
    const [, banksOnly] = edition('Corrected a');

    // Act
    await store.applyDigest({ key: 'digests/a.txt', sequencer: S2 }, banksOnly ? [banksOnly] : []);

    // Assess
    expect((await store.getStory(LAW))?.paragraphs).toEqual(['From b law']);
    expect((await store.getStory('2020-12-01-banks'))?.paragraphs).toEqual(['Corrected a banks']);
  });
});

describe('Class: TableStoryStore, corrections', () => {
  it('gives a corrected story the time of the upload that changed it, keeping its publication time', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());
    await store.applyDigest(
      { key: 'digests/a.txt', sequencer: S1, at: '2020-12-01T09:30:00.000Z' },
      edition('First'),
    );

    // Act
    await store.applyDigest(
      { key: 'digests/a.txt', sequencer: S2, at: '2020-12-01T11:00:00.000Z' },
      edition('Fixed'),
    );
    await store.applyDigest(
      { key: 'digests/a.txt', sequencer: S3, at: '2020-12-01T12:00:00.000Z' },
      edition('Fixed'),
    );

    // Assess
    const law = await store.getStory(LAW);
    expect(law?.paragraphs).toEqual(['Fixed law']);
    expect(law?.publishedAt).toBe('2020-12-01T09:00:00Z');
    expect(law?.updatedAt).toBe('2020-12-01T11:00:00.000Z');
  });

  it('gives a story published once no updated time', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());

    // Act
    await store.applyDigest(
      { key: 'digests/a.txt', sequencer: S1, at: '2020-12-01T09:30:00.000Z' },
      edition('First'),
    );

    // Assess
    expect((await store.getStory(LAW))?.updatedAt).toBeUndefined();
  });
});

describe('Class: TableStoryStore, a resumed claim', () => {
  it('records the hash of what the retry applied, so the first content uploaded again is applied', async () => {
    // Prepare: upload 2 claims with text Y and is killed after its claim; its retry reads text Z.
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);
    await store.applyDigest({ key: 'digests/a.txt', sequencer: S1 }, edition('X'));
    const crashing = new TableStoryStore(
      new FailingTable(table, (write) => write > 1, 'the process was killed (injected)'),
      { concurrency: 1 },
    );
    await expect(crashing.applyDigest({ key: 'digests/a.txt', sequencer: S2 }, edition('Y'))).rejects.toThrow(
      /killed/,
    );
    await store.applyDigest({ key: 'digests/a.txt', sequencer: S2 }, edition('Z'));

    // Act: upload 3 has text Y again.
    const result = await store.applyDigest({ key: 'digests/a.txt', sequencer: S3 }, edition('Y'));

    // Assess
    expect(result.counts.updated).toBe(2);
    expect((await store.getStory(LAW))?.paragraphs).toEqual(['Y law']);
  });
});
