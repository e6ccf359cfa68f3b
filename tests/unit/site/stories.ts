import type { Story } from '@feedwright/digest';

/**
 * Builds a fresh Story for each call (no shared fixture for tests to mutate). Defaults describe an
 * ordinary story with two paragraphs, a caption and a related headline.
 */
export function aStory(overrides: Partial<Story> = {}): Story {
  return {
    storyId: '2020-12-01-investment-china-expands-pilot-programs',
    position: 0,
    topic: 'Investment',
    topicSlug: 'investment',
    title: 'China is about to expand pilot programs for outbound investment',
    paragraphs: [
      'China is moving closer to granting domestic investors wider access to foreign opportunities.',
      'The planned expansion aims to help domestic investors better allocate assets across the world.',
    ],
    related: ['Regulator singles out Tencent in diatribe on data privacy failings'],
    imageCaption: 'The State Administration of Foreign Exchange headquarters in Beijing on March 28.',
    publishedAt: '2020-12-01T09:19:00Z',
    ...overrides,
  };
}

/** A "Quick hits" story: a headline and nothing else. */
export function aQuickHit(overrides: Partial<Story> = {}): Story {
  return aStory({
    storyId: '2020-12-01-quick-hits-globalization-is-not-in-decline',
    position: 5,
    topic: 'Quick hits',
    topicSlug: 'quick-hits',
    title: 'Globalization is not in decline, Chatham House head says',
    paragraphs: [],
    related: [],
    imageCaption: null,
    publishedAt: '2020-12-01T09:18:55Z',
    ...overrides,
  });
}

/**
 * A story whose body holds lists: bullets of two glyphs after a colon line, then numbered items
 * (starting at 3, one out of turn), between paragraphs, as `parseDigest` keeps them: markers included.
 */
export function aStoryWithLists(overrides: Partial<Story> = {}): Story {
  return aStory({
    storyId: '2020-12-01-investment-new-rules-for-funds',
    title: 'New rules for funds',
    paragraphs: [
      'The regulator listed what changes:',
      '• Higher capital',
      '– Fewer products',
      'And it set out the steps.',
      '3. File by May',
      '4) Report monthly',
      '7. Close by June',
      'The rules take effect next year.',
    ],
    ...overrides,
  });
}

/** `count` stories of one topic, one second apart, newest first. */
export function someStories(count: number, overrides: Partial<Story> = {}): Story[] {
  return Array.from({ length: count }, (_, index) =>
    aStory({
      storyId: `2020-12-01-investment-story-${String(index).padStart(3, '0')}`,
      position: index,
      title: `Story number ${index}`,
      publishedAt: new Date(Date.UTC(2020, 11, 1, 9, 19, 0) - index * 1000).toISOString(),
      ...overrides,
    }),
  );
}

/** Text that must stay text everywhere: markup, a CDATA terminator, entities and illegal characters. */
export const HOSTILE =
  '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> ]]> </title> AT&T &amp; \u0001\u0008\u000B\uFFFE\uFFFF\uD800 end';
/** HOSTILE as it should read once parsed back: the illegal characters gone, everything else verbatim. */
export const HOSTILE_AS_TEXT =
  '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> ]]> </title> AT&T &amp;  end';
