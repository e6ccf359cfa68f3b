import { ALL_TOPICS_SLUG } from '@feedwright/digest';
import { monthOf } from '@feedwright/site';
import { type StorySiteView, storyChangeOf } from '@feedwright/storage';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * A unit of render work. Each is rendered from the table's current state, so redoing one is always safe;
 * a failed unit fails exactly the stream records that touched it.
 */
export type RenderUnit =
  | { readonly kind: 'story'; readonly storyId: string }
  | { readonly kind: 'topic'; readonly slug: string }
  | { readonly kind: 'listings' };

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
  /** The months whose sitemap part lists a changed story's page. */
  readonly sitemapMonths: ReadonlySet<string>;
  /** The units each record touched, by the record's `SequenceNumber`. */
  readonly unitsByRecord: ReadonlyMap<string, readonly string[]>;
}

/** The id of a unit, as `RenderPlan.unitsByRecord` and render results name it. */
export function unitId(unit: RenderUnit): string {
  return unit.kind === 'story'
    ? `story:${unit.storyId}`
    : unit.kind === 'topic'
      ? `topic:${unit.slug}`
      : 'listings';
}

/**
 * Reads a batch of stream records into the work it asks for. Records of other item kinds (manifests, the
 * topic registry) are ignored, and so are story writes that change nothing a reader sees (a re-upload
 * moving the digest's sequencer stamp on): those cost no render at all.
 */
export function planRender(records: readonly DynamoDBRecord[]): RenderPlan {
  const storyIds = new Set<string>();
  const topics = new Set<string>();
  const topicMonths = new Map<string, Set<string>>();
  const sitemapMonths = new Set<string>();
  const unitsByRecord = new Map<string, string[]>();
  for (const record of records) {
    const change = storyChangeOf(record);
    if (change === undefined) continue;
    const { storyId, before, after, sequenceNumber } = change;
    if (sameView(before, after)) continue;

    const units: RenderUnit[] = [
      { kind: 'story', storyId },
      { kind: 'topic', slug: ALL_TOPICS_SLUG },
      { kind: 'listings' },
    ];
    for (const view of [before, after])
      if (view !== null) units.push({ kind: 'topic', slug: view.topicSlug });

    storyIds.add(storyId);
    for (const unit of units) if (unit.kind === 'topic') topics.add(unit.slug);
    for (const view of [before, after]) {
      if (view === null) continue;
      const month = monthOf(view.publishedAt, `story '${storyId}'`);
      sitemapMonths.add(month);
      for (const slug of [ALL_TOPICS_SLUG, view.topicSlug]) {
        const months = topicMonths.get(slug) ?? new Set<string>();
        months.add(month);
        topicMonths.set(slug, months);
      }
    }
    if (sequenceNumber !== undefined) {
      unitsByRecord.set(sequenceNumber, [
        ...new Set([...(unitsByRecord.get(sequenceNumber) ?? []), ...units.map(unitId)]),
      ]);
    }
  }
  return { storyIds, topics, listings: storyIds.size > 0, topicMonths, sitemapMonths, unitsByRecord };
}

function sameView(a: StorySiteView | null, b: StorySiteView | null): boolean {
  return a === null || b === null
    ? a === b
    : a.topicSlug === b.topicSlug && a.contentHash === b.contentHash && a.publishedAt === b.publishedAt;
}
