import { buildSite, resolveSiteConfig, type SiteFile } from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { htmlElements, siteProblems, textOf } from '../../support/validators.ts';
import { aStory } from './stories.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com' });

const byPath = (files: readonly SiteFile[], path: string): string => {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`no ${path}`);
  return file.body;
};

describe('Function: buildSite, a corrected story', () => {
  it('shows the correction time in Atom <updated>, JSON Feed date_modified and an Updated line', async () => {
    // Prepare
    const story = aStory({ updatedAt: '2020-12-02T08:30:00.000Z' });

    // Act
    const files = buildSite([story], config);

    // Assess
    const atom = byPath(files, `feeds/${story.topicSlug}/atom.xml`);
    expect(atom).toContain(`<published>${story.publishedAt}</published>`);
    expect(atom).toContain('<updated>2020-12-02T08:30:00Z</updated>');
    const item = JSON.parse(byPath(files, `feeds/${story.topicSlug}/feed.json`)).items[0];
    expect(item).toMatchObject({ date_published: story.publishedAt, date_modified: '2020-12-02T08:30:00Z' });
    const page = byPath(files, `stories/${story.storyId}.html`);
    const updated = htmlElements(page).find((element) => element.attrs.some((a) => a.value === 'updated'));
    expect(updated === undefined ? '' : textOf(updated)).toBe('Updated 2 December 2020, 08:30 UTC');
    expect(await siteProblems(files)).toEqual([]);
  });

  it('gives a story never corrected no date_modified, no Updated line, and <updated> = <published>', () => {
    // Prepare
    const story = aStory();

    // Act
    const files = buildSite([story], config);

    // Assess
    expect(byPath(files, `feeds/${story.topicSlug}/atom.xml`)).toContain(
      `<updated>${story.publishedAt}</updated>`,
    );
    expect(byPath(files, `feeds/${story.topicSlug}/feed.json`)).not.toContain('date_modified');
    expect(byPath(files, `stories/${story.storyId}.html`)).not.toContain('Updated');
  });
});
