import { ALL_TOPICS_SLUG } from '@feedwright/digest';
import { digestMonthOf, monthOf } from '@feedwright/site';
import {
  compareSequencers,
  type DigestEventStamp,
  type IssueSiteView,
  issueChangeOf,
  redirectChangeOf,
  type StorySiteView,
  storyChangeOf,
} from '@feedwright/storage';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * A unit of render work. Each is rendered from the table's current state, so redoing one is always safe;
 * a failed unit fails exactly the stream records that touched it.
 */
export type RenderUnit =
  | { readonly kind: 'story'; readonly storyId: string }
  | { readonly kind: 'topic'; readonly slug: string }
  | { readonly kind: 'listings' }
  /** Archive only: the issue pages and month page of one UTC month, and its issues' story pages. */
  | { readonly kind: 'issues'; readonly month: string }
  /** Archive only: issues/index.html and the issue feed. */
  | { readonly kind: 'issue-listings' }
  /** Archive only: the sitemap parts of the plan's `sitemapMonths`, and sitemap.xml. */
  | { readonly kind: 'sitemap' };

/** What a batch of stream records asks render to do. */
export interface RenderPlan {
  /** Stories whose page must be written (live) or removed (withdrawn). */
  readonly storyIds: ReadonlySet<string>;
  /** Topics whose feeds must be rendered again, `all` included whenever any story changed. */
  readonly topics: ReadonlySet<string>;
  /** index.html and feeds.opml. */
  readonly listings: boolean;
  /**
   * The archive months ('yyyy-mm', UTC) each topic slug (`all` included) must render again: the month a
   * changed story was in and the one it is in now. Only these months' archive documents and month pages
   * change: a new story never rewrites an older month, a back-filled one only its own.
   */
  readonly topicMonths: ReadonlyMap<string, ReadonlySet<string>>;
  /** The months whose sitemap part lists a changed story's page or a changed issue. */
  readonly sitemapMonths: ReadonlySet<string>;
  /**
   * The UTC months whose issues must be rendered again (archive only): the month of a changed issue
   * record, and the month of a changed story's digest (its time plus its position in seconds).
   */
  readonly issueMonths: ReadonlySet<string>;
  /**
   * Old story ids whose redirect record was written: their page becomes a redirect page (or goes), by
   * their `story` unit. @default empty
   */
  readonly redirectIds?: ReadonlySet<string>;
  /** The units each record touched, by the record's `SequenceNumber`. */
  readonly unitsByRecord: ReadonlyMap<string, readonly string[]>;
  /**
   * The digest events whose last write (their issue record) is in this batch, by digest key (the newest
   * event of each): once the batch is rendered, these are live.
   */
  readonly digests: ReadonlyMap<string, DigestEventStamp>;
}

/** The id of a unit, as `RenderPlan.unitsByRecord` and render results name it. */
export function unitId(unit: RenderUnit): string {
  switch (unit.kind) {
    case 'story':
      return `story:${unit.storyId}`;
    case 'topic':
      return `topic:${unit.slug}`;
    case 'issues':
      return `issues:${unit.month}`;
    default:
      return unit.kind;
  }
}

/**
 * Reads a batch of stream records into the work it asks for. Records of other item kinds (manifests, the
 * topic registry) are ignored, and so are writes that change nothing a reader sees (a re-upload moving
 * the digest's sequencer stamp on): those cost no render at all.
 */
export function planRender(records: readonly DynamoDBRecord[]): RenderPlan {
  const storyIds = new Set<string>();
  const topics = new Set<string>();
  const topicMonths = new Map<string, Set<string>>();
  const sitemapMonths = new Set<string>();
  const issueMonths = new Set<string>();
  const redirectIds = new Set<string>();
  const unitsByRecord = new Map<string, string[]>();
  const digests = new Map<string, DigestEventStamp>();
  const touch = (sequenceNumber: string | undefined, units: readonly RenderUnit[]): void => {
    if (sequenceNumber === undefined) return;
    unitsByRecord.set(sequenceNumber, [
      ...new Set([...(unitsByRecord.get(sequenceNumber) ?? []), ...units.map(unitId)]),
    ]);
  };
  for (const record of records) {
    const redirect = redirectChangeOf(record);
    if (redirect !== undefined) {
      redirectIds.add(redirect.from);
      touch(redirect.sequenceNumber, [{ kind: 'story', storyId: redirect.from }]);
      continue;
    }
    const issue = issueChangeOf(record);
    if (issue !== undefined) {
      const event = issue.event;
      const known = event === undefined ? undefined : digests.get(event.digestKey);
      if (
        event !== undefined &&
        (known === undefined || compareSequencers(event.sequencer, known.sequencer) > 0)
      ) {
        digests.set(event.digestKey, event);
      }
      if (sameIssue(issue.before, issue.after)) continue;
      issueMonths.add(issue.month);
      sitemapMonths.add(issue.month);
      touch(issue.sequenceNumber, [
        { kind: 'issues', month: issue.month },
        { kind: 'issue-listings' },
        { kind: 'sitemap' },
      ]);
      continue;
    }
    const change = storyChangeOf(record);
    if (change === undefined) continue;
    const { storyId, before, after, sequenceNumber } = change;
    if (sameView(before, after)) continue;

    const units: RenderUnit[] = [
      { kind: 'story', storyId },
      { kind: 'topic', slug: ALL_TOPICS_SLUG },
      { kind: 'listings' },
      { kind: 'issue-listings' },
      { kind: 'sitemap' },
    ];
    storyIds.add(storyId);
    for (const view of [before, after]) {
      if (view === null) continue;
      units.push({ kind: 'topic', slug: view.topicSlug });
      topics.add(view.topicSlug);
      const month = monthOf(view.publishedAt, `story '${storyId}'`);
      sitemapMonths.add(month);
      for (const slug of [ALL_TOPICS_SLUG, view.topicSlug]) {
        const months = topicMonths.get(slug) ?? new Set<string>();
        months.add(month);
        topicMonths.set(slug, months);
      }
      const issueMonth = digestMonthOf(view, `story '${storyId}'`);
      issueMonths.add(issueMonth);
      // The issue's month part lists the issue only while it holds a live story.
      sitemapMonths.add(issueMonth);
      units.push({ kind: 'issues', month: issueMonth });
    }
    topics.add(ALL_TOPICS_SLUG);
    touch(sequenceNumber, units);
  }
  return {
    storyIds,
    topics,
    listings: storyIds.size > 0,
    topicMonths,
    sitemapMonths,
    issueMonths,
    redirectIds,
    unitsByRecord,
    digests,
  };
}

function sameIssue(a: IssueSiteView | null, b: IssueSiteView | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameView(a: StorySiteView | null, b: StorySiteView | null): boolean {
  return a === null || b === null
    ? a === b
    : a.topicSlug === b.topicSlug && a.contentHash === b.contentHash && a.publishedAt === b.publishedAt;
}
