import { readFileSync } from 'node:fs';
import { decodeDigest, parseDigest } from '@feedwright/digest';
import { describe, expect, it } from 'vitest';

/** The first ```text block of a Markdown file, as the bytes an editor would upload. */
function firstTextBlock(path: string): Buffer {
  const markdown = readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
  const block = /```text\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (block === undefined) throw new Error(`${path} has no text block`);
  return Buffer.from(block, 'utf8');
}

describe('Docs: the digest samples', () => {
  it('parses the sample of docs/digest-format.md into the stories its table describes', () => {
    // Act
    const digest = parseDigest(decodeDigest(firstTextBlock('docs/digest-format.md')), { timezone: 'UTC' });

    // Assess
    expect(digest.publishedAt).toBe('2020-12-01T09:19:00Z');
    expect(digest.warnings).toEqual([]);
    expect(digest.stories.map((s) => s.storyId)).toEqual([
      '2020-12-01-personal-data-cover-story-the-fight-over-china-s-law-to-protect',
      '2020-12-01-investment-china-is-about-to-expand-pilot-programs-for',
      '2020-12-01-quick-hits-globalization-is-not-in-decline-chatham-house-head',
      '2020-12-01-quick-hits-china-exempts-tesla-model-y-from-purchase-tax',
    ]);
    const [cover, investment] = digest.stories;
    expect(cover?.paragraphs).toContain('• biometric features');
    expect(cover?.related).toEqual([
      'Regulator singles out Tencent in diatribe on tech sector’s data privacy failings',
    ]);
    expect(investment?.imageCaption).toBe(
      'The State Administration of Foreign Exchange headquarters in Beijing on March 28.',
    );
  });

  it('parses the short sample of README.md into one story with its related headline', () => {
    // Act
    const digest = parseDigest(decodeDigest(firstTextBlock('README.md')), { timezone: 'UTC' });

    // Assess
    expect(digest.title).toBe('CX Daily: The Fight Over China’s Law to Protect Personal Data');
    expect(digest.stories).toHaveLength(1);
    expect(digest.stories[0]?.related).toHaveLength(1);
  });
});
