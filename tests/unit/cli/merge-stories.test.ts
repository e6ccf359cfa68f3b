import type { Digest, Story } from '@feedwright/digest';
import { describe, expect, it } from 'vitest';
import { mergeStories } from '../../../packages/cli/src/build/digests.ts';

function digest(publishedAt: string, text: string): Digest {
  const story: Story = {
    storyId: '2020-12-01-law-story',
    position: 0,
    topic: 'Law',
    topicSlug: 'law',
    title: 'Law story',
    paragraphs: [text],
    related: [],
    imageCaption: null,
    publishedAt,
  };
  return {
    title: 'T',
    summary: 'S',
    publishedAt,
    date: '2020-12-01',
    timezone: 'UTC',
    stories: [story],
    warnings: [],
  };
}

describe('Function: mergeStories', () => {
  it('takes a shared story from the digest with the newest date line, whatever the order', () => {
    // Prepare
    const late = { name: 'in/z.txt', digest: digest('2020-12-01T18:00:00Z', 'late') };
    const early = { name: 'in/a.txt', digest: digest('2020-12-01T09:00:00Z', 'early') };

    // Act
    const merged = [mergeStories([late, early]), mergeStories([early, late])];

    // Assess
    expect(merged.map((stories) => stories[0]?.paragraphs)).toEqual([['late'], ['late']]);
  });

  it('breaks a tie of date lines by the file name that sorts first, not by the folder or the order', () => {
    // Prepare
    const b = { name: '/x/a/b.txt', digest: digest('2020-12-01T09:00:00Z', 'from b') };
    const a = { name: '/x/z/a.txt', digest: digest('2020-12-01T09:00:00Z', 'from a') };

    // Act
    const merged = [mergeStories([b, a]), mergeStories([a, b])];

    // Assess
    expect(merged.map((stories) => stories[0]?.paragraphs)).toEqual([['from a'], ['from a']]);
  });
});
