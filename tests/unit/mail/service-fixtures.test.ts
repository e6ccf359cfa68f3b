import { readFileSync } from 'node:fs';
import { decodeDigest, parseDigest } from '@feedwright/digest';
import { parseMailDigest } from '@feedwright/mail';
import { describe, expect, it } from 'vitest';
import { eml, TEXT_DIR } from './mail-fixtures.ts';

/** What a digest says, without ids and times (which follow from it): the fields compared exactly. */
function content(digest: ReturnType<typeof parseDigest>) {
  return {
    title: digest.title,
    summary: digest.summary,
    publishedAt: digest.publishedAt,
    stories: digest.stories.map(({ topic, title, paragraphs, related, imageCaption }) => ({
      topic,
      title,
      paragraphs,
      related,
      imageCaption,
    })),
  };
}

describe('Function: parseMailDigest, on newsletters as e-mail services send them', () => {
  it.each([
    ['service-mailchimp-cx-daily-2022-07-01-quick-hits', 'cx-daily-2022-07-01-quick-hits', 'UTC'],
    ['service-substack-cx-daily-2020-12-01', 'cx-daily-2020-12-01', 'UTC'],
    ['service-substack-html-cx-daily-2020-12-01', 'cx-daily-2020-12-01', 'UTC'],
    ['service-buttondown-cx-daily-2023-08-21-lists', 'cx-daily-2023-08-21-lists', 'UTC'],
    ['service-ghost-cx-daily-2022-10-17-cjk', 'cx-daily-2022-10-17-cjk', 'UTC'],
    [
      'service-campaign-monitor-cx-daily-2022-03-14-new-york',
      'cx-daily-2022-03-14-new-york',
      'America/New_York',
    ],
  ])('reads %s exactly as %s.txt', async (mailName, textName, timezone) => {
    // Prepare
    const expected = parseDigest(decodeDigest(readFileSync(`${TEXT_DIR}${textName}.txt`)), { timezone });

    // Act
    const { digest } = await parseMailDigest(eml(mailName), { timezone });

    // Assess
    expect(content(digest)).toEqual(content(expected));
    expect(digest.stories.map((story) => story.storyId)).toEqual(
      expected.stories.map((story) => story.storyId),
    );
  });
});
