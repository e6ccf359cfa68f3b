import { createHash } from 'node:crypto';
import { InvalidStoryError, instantOf, slugify } from '@feedwright/digest';

import { visibleText } from './text.ts';

/** One digest as the site shows it: an issue of the newsletter. */
export interface Issue {
  /** Stable id: see {@link issueIdBase} and {@link assignIssueIds}. */
  readonly issueId: string;
  readonly title: string;
  readonly summary: string;
  /** ISO 8601 instant of the digest. */
  readonly publishedAt: string;
  /** Its stories' ids in digest order. */
  readonly storyIds: readonly string[];
}

/** What an issue is made from: a parsed digest (the parser's `Digest` fits). */
export interface IssueSource {
  readonly title: string;
  readonly summary: string;
  readonly publishedAt: string;
  /** The digest's local calendar date, as its date line gives it. */
  readonly date: string;
  readonly stories: readonly { readonly storyId: string }[];
}

const TITLE_PART_MAX = 40;

/** First 8 hex digits of the SHA-256 of `text`, as story ids use for letters with no ASCII form. */
const shortHash = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
const ISSUE_ID = /^[a-z0-9][a-z0-9-]{0,80}$/;

/**
 * The id an issue gets unless another digest already holds it: `<date>-<title slug>`, ASCII only (the
 * title part cut at a hyphen to 40 characters, plus an 8-hex hash of the title when it has letters with
 * no ASCII form).
 * @example issueIdBase('2020-12-01', 'China’s data law, explained') === '2020-12-01-china-s-data-law-explained'
 */
export function issueIdBase(date: string, title: string): string {
  const full = slugify(title);
  // Letters with no ASCII form (CJK…) would be lost: a short hash of the title keeps such issues apart.
  const hash = /[^a-z0-9-]/.test(full) ? shortHash(title.normalize('NFC').trim()) : '';
  const slug = full
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  let part = slug;
  if (part.length > TITLE_PART_MAX) {
    const cut = part.lastIndexOf('-', TITLE_PART_MAX);
    part = (cut > 0 ? part.slice(0, cut) : part.slice(0, TITLE_PART_MAX)).replace(/-$/, '');
  }
  const datePart = date.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const tail = [part, hash].filter((piece) => piece !== '').join('-');
  return tail === '' ? `${datePart}-issue` : `${datePart}-${tail}`;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Issues of a set of digests. Digests that share a story id are the same issue uploaded again (under
 * another key, or corrected): one issue, the later digest's (by time, then content) text. Distinct
 * digests whose base ids collide (same date and title slug) are told apart by a suffix, `-2`, `-3`…, in
 * the order of their time, then of their first story id, so the result never depends on input order.
 * @throws InvalidStoryError when a digest's time is not an instant.
 */
export function assignIssueIds(digests: readonly IssueSource[]): Issue[] {
  const keyed = digests.map((digest) => ({
    digest,
    at: instantOf(digest.publishedAt, `digest '${digest.title}'`),
    base: issueIdBase(digest.date, visibleText(digest.title, 'issue')),
    key: JSON.stringify([digest.title, digest.summary, digest.stories.map((story) => story.storyId)]),
  }));
  // Newest (then content) first, so the first digest of a cluster is the one whose text wins.
  keyed.sort((a, b) => b.at - a.at || compare(b.key, a.key));
  const clusters: { readonly winner: (typeof keyed)[number]; readonly ids: Set<string> }[] = [];
  const clusterOf = new Map<string, (typeof clusters)[number]>();
  for (const entry of keyed) {
    const ids = entry.digest.stories.map((story) => story.storyId);
    const found = ids.map((id) => clusterOf.get(id)).find((cluster) => cluster !== undefined);
    const cluster = found ?? { winner: entry, ids: new Set<string>() };
    if (found === undefined) clusters.push(cluster);
    for (const id of ids) {
      cluster.ids.add(id);
      if (!clusterOf.has(id)) clusterOf.set(id, cluster);
    }
  }
  const byBase = new Map<string, (typeof clusters)[number][]>();
  for (const cluster of clusters) {
    const list = byBase.get(cluster.winner.base) ?? [];
    list.push(cluster);
    byBase.set(cluster.winner.base, list);
  }
  const issues: Issue[] = [];
  for (const [base, list] of byBase) {
    const firstId = (cluster: (typeof clusters)[number]): string => [...cluster.ids].sort(compare)[0] ?? '';
    list.sort((a, b) => a.winner.at - b.winner.at || compare(firstId(a), firstId(b)));
    list.forEach((cluster, index) => {
      const { digest } = cluster.winner;
      issues.push({
        issueId: index === 0 ? base : `${base}-${index + 1}`,
        title: digest.title,
        summary: digest.summary,
        publishedAt: digest.publishedAt,
        storyIds: digest.stories.map((story) => story.storyId),
      });
    });
  }
  return issues.sort((a, b) => compare(a.issueId, b.issueId));
}

/** Throws a InvalidStoryError if an issue's id could not be a file name or its time is not an instant. */
export function assertIssueRenderable(issue: Issue): void {
  if (!ISSUE_ID.test(issue.issueId)) {
    throw new InvalidStoryError(
      `issue id '${issue.issueId}' is not URL-safe ([a-z0-9-], at most 81 characters)`,
    );
  }
  instantOf(issue.publishedAt, `issue '${issue.issueId}'`);
}

/** An issue's title as shown: cleaned, or its id when nothing visible is left. */
export const issueTitle = (issue: Issue): string => visibleText(issue.title, issue.issueId);
