import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Digest, decodeDigest, parseDigest } from '@feedwright/digest';
import { assignIssueIds, buildSite, resolveSiteConfig, type SiteFile } from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { digestOnDay } from '../../support/archive.ts';
import { REPO_ROOT } from '../../support/cli.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });
const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'digests');
const corpus = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.txt'))
  .sort()
  .map((name) => decodeDigest(readFileSync(join(FIXTURES, name))));

/** The corpus moved over `days` consecutive days from 2023-01-01. */
const digestsOver = (days: readonly number[]): Digest[] =>
  days.map((day) => parseDigest(digestOnDay(corpus[day % corpus.length] as string, day)));

const build = (digests: readonly Digest[]): Map<string, SiteFile> =>
  new Map(
    buildSite(
      digests.flatMap((digest) => digest.stories),
      config,
      { issues: assignIssueIds(digests) },
    ).map((file) => [file.path, file]),
  );

/** Paths added, changed or removed between two builds. */
function changed(before: Map<string, SiteFile>, after: Map<string, SiteFile>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path)?.body !== after.get(path)?.body).sort();
}

/** A path that belongs to a month: archive documents, month pages, sitemap parts. */
const monthOfPath = (path: string): string | undefined =>
  /(\d{4}-\d{2})(?:-\d+)?\.(?:xml|json|html)$/.exec(path)?.[1];

describe('The archive’s cost: what one more digest rewrites', () => {
  // 90 days: January to March 2023.
  const days = Array.from({ length: 90 }, (_, day) => day);
  const base = build(digestsOver(days));

  it('adding the newest digest rewrites no older month', () => {
    // Act
    const after = build(digestsOver([...days, 90]));
    const paths = changed(base, after);

    // Assess: April 2023 is the new digest's month; nothing dated before it changes.
    const months = new Set(paths.map(monthOfPath).filter((month) => month !== undefined));
    const touchedOld = paths.filter((path) => {
      const month = monthOfPath(path);
      return month !== undefined && month < '2023-03' && !path.startsWith('issues/2023-');
    });
    expect(touchedOld).toEqual([]);
    expect([...months].every((month) => month >= '2023-03')).toBe(true);
    expect(paths).toContain('feeds/all/atom.xml');
    expect(paths).toContain('sitemaps/2023-04.xml');
    expect(paths.some((path) => path.startsWith('stories/2023-01'))).toBe(false);
    // At a month's turn the previous month's newest document gains its next-archive link, once.
    expect(
      paths.filter((path) => monthOfPath(path) === '2023-03').every((path) => !path.startsWith('stories/')),
    ).toBe(true);
  });

  it('back-filling a digest dated long ago rewrites that month, its story pages and the listings only', () => {
    // Act: a digest of 15 February 2023 that was missing.
    const without = build(digestsOver(days.filter((day) => day !== 45)));
    const paths = changed(without, base);

    // Assess
    const months = new Set(paths.map(monthOfPath).filter((month) => month !== undefined));
    expect([...months]).toEqual(['2023-02']);
    const others = paths.filter((path) => monthOfPath(path) === undefined);
    expect(others.filter((path) => path.startsWith('stories/2023-02-15-')).length).toBeGreaterThan(0);
    // Older than all stories' newest 50: the all-stories feed stays; a rare topic's feed may take it in.
    expect(others).not.toContain('feeds/all/atom.xml');
    for (const path of others) {
      expect(path).toMatch(
        /^(?:stories\/2023-02-15-.*|issues\/2023-02-15-.*|feeds\/[^/]+\/(?:rss\.xml|atom\.xml|feed\.json)|topics\/[^/]+\/index\.html|issues\/(?:index\.html|rss\.xml|atom\.xml|feed\.json)|index\.html|feeds\.opml|sitemap\.xml|sitemaps\/pages\.xml|stories\/2023-02-1[46]-.*)$/,
      );
    }
  });
});
