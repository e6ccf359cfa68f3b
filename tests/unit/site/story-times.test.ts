import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDigest } from '@feedwright/digest';
import { assignIssueIds, buildSite, resolveSiteConfig } from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/cli.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });
// Dated 'Dec 01, 2020 09:19 AM', with more than a minute's worth of stories.
const digest = parseDigest(
  readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'digests', 'cx-daily-2020-12-01.txt'), 'utf8'),
);

/** Every `<time>` of a page: its datetime attribute and the text people read. */
const timesOf = (html: string): Array<{ datetime: string; text: string }> =>
  [...html.matchAll(/<time datetime="([^"]*)">([^<]*)<\/time>/g)].map((match) => ({
    datetime: match[1] ?? '',
    text: match[2] ?? '',
  }));

describe('Story times on pages', () => {
  it('show the time the digest states, although feeds date each story its position in seconds earlier', () => {
    // Prepare
    const last = digest.stories.at(-1);
    expect(last?.publishedAt).not.toBe(digest.publishedAt);

    // Act
    const files = buildSite(digest.stories, config, { issues: assignIssueIds([digest]) });

    // Assess
    const pages = files.filter(
      (file) =>
        file.path === 'index.html' || file.path.startsWith('stories/') || file.path.startsWith('topics/'),
    );
    const times = pages.flatMap((file) => timesOf(file.body).map((time) => ({ path: file.path, ...time })));
    expect(times.length).toBeGreaterThan(digest.stories.length);
    expect(
      times.filter((time) => time.datetime !== '2020-12-01T09:19:00Z' || !time.text.includes('09:19')),
    ).toEqual([]);
  });
});
