import type { Story } from '@feedwright/digest';

/** A hand-made story; only what a test names differs from the defaults. */
function story(overrides: Partial<Story> & { readonly storyId: string }): Story {
  return {
    position: 0,
    topic: 'Personal data',
    topicSlug: 'personal-data',
    title: `Title of ${overrides.storyId}`,
    paragraphs: [`Body of ${overrides.storyId}.`],
    related: [],
    imageCaption: null,
    publishedAt: '2020-12-01T09:19:00Z',
    ...overrides,
  };
}

/** Stories of one digest, one second apart in text order, as the parser times them. */
export function digestStories(
  date: string,
  specs: readonly (Partial<Story> & { readonly id: string })[],
): Story[] {
  const base = Date.parse(`${date}T09:00:00Z`);
  return specs.map(({ id, ...rest }, position) =>
    story({
      storyId: `${date}-${id}`,
      position,
      publishedAt: new Date(base - position * 1000).toISOString().replace('.000Z', 'Z'),
      ...rest,
    }),
  );
}
