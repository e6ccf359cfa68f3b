import type { Story } from '@feedwright/digest';
import { monthRange, TableStoryStore } from '@feedwright/storage';
import { MemoryItemTable } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';

const storyAt = (storyId: string, publishedAt: string): Story => ({
  storyId,
  position: 0,
  topic: 'Tech',
  topicSlug: 'tech',
  title: storyId,
  paragraphs: [],
  related: [],
  imageCaption: null,
  publishedAt,
});

describe('monthRange', () => {
  it('spans a month’s index sort keys, December into the next year', () => {
    expect(monthRange('2020-12')).toEqual({ from: '2020-12-', to: '2021-01-' });
    expect(monthRange('2021-09')).toEqual({ from: '2021-09-', to: '2021-10-' });
    expect(() => monthRange('2021-9')).toThrow("'2021-9' is not a month (yyyy-mm)");
  });
});

describe('TableStoryStore on the in-memory table: month queries', () => {
  it('gives the same months and stories as on DynamoDB', async () => {
    // Prepare
    const store = new TableStoryStore(new MemoryItemTable());
    await store.applyDigest({ key: 'digests/a.txt', sequencer: '0000000000000001' }, [
      storyAt('oct', '2020-10-31T23:59:59Z'),
      storyAt('dec-a', '2020-12-01T00:00:00Z'),
      storyAt('dec-b', '2020-12-31T23:59:59Z'),
      storyAt('jan', '2021-01-01T00:00:00Z'),
    ]);

    // Act
    const december = await store.storiesOfMonth('tech', '2020-12');
    const around = await store.adjacentMonths('tech', '2020-12');

    // Assess
    expect(december.map((story) => story.storyId)).toEqual(['dec-b', 'dec-a']);
    expect(around).toEqual({ older: '2020-10', newer: '2021-01' });
  });
});
