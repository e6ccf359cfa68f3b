import type { Story } from '@feedwright/digest';
import type { RenderPlan } from '@feedwright/pipeline';
import {
  assignIssueIds,
  buildSite,
  digestMonthOf,
  monthOf,
  resolveSiteConfig,
  type SiteConfig,
} from '@feedwright/site';
import { TableIssueRegistry, TableStoryStore } from '@feedwright/storage';
import { MemoryItemTable, type MemorySiteStore } from '@feedwright/testing';
import { expect } from 'vitest';
import { digestStories } from '../storage/stories.ts';

/** The site settings the render tests with the archive use unless they say otherwise. */
export const archiveConfig: SiteConfig = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });

/** Digests of three months, as both render tests with the archive publish them. */
export const november = digestStories('2020-11-20', [
  { id: 'nickel', topic: 'Metals', topicSlug: 'metals' },
  { id: 'fund', topic: 'Investment', topicSlug: 'investment' },
]);
export const december = digestStories('2020-12-01', [
  { id: 'law', topic: 'Personal data', topicSlug: 'personal-data' },
  { id: 'banks', topic: 'Metals', topicSlug: 'metals' },
]);
export const january = digestStories('2021-01-03', [{ id: 'zinc', topic: 'Metals', topicSlug: 'metals' }]);

/** A digest as the issue registry records it. */
export interface TestDigest {
  readonly title: string;
  readonly summary: string;
  readonly date: string;
  readonly publishedAt: string;
  readonly stories: readonly Story[];
}

export const digestOf = (stories: readonly Story[], title = 'The daily'): TestDigest => ({
  title,
  summary: `What ${title} says.`,
  date: stories[0]?.publishedAt.slice(0, 10) ?? '2020-01-01',
  publishedAt: stories[0]?.publishedAt ?? '2020-01-01T09:00:00Z',
  stories,
});

/**
 * The table of the render tests with the archive (stories and issue records in one memory table) and
 * the digests live in it, published and withdrawn as ingest does it, each with the next sequencer.
 */
export class PublishedDigests {
  readonly stories: TableStoryStore;
  readonly issues: TableIssueRegistry;
  readonly live = new Map<string, TestDigest>();
  #sequence = 0;

  constructor() {
    const table = new MemoryItemTable();
    this.stories = new TableStoryStore(table);
    this.issues = new TableIssueRegistry(table);
  }

  /** The next change of `key`, as an S3 event's sequencer orders them. */
  nextChange(key: string): { readonly key: string; readonly sequencer: string } {
    this.#sequence += 1;
    return { key, sequencer: String(this.#sequence).padStart(4, '0') };
  }

  /** Uploads a digest under `key` (stories, then its issue record, as ingest does). */
  async publish(key: string, digest: TestDigest): Promise<void> {
    const change = this.nextChange(key);
    await this.stories.applyDigest(change, digest.stories);
    await this.issues.recordIssue(change, digest);
    this.live.set(key, digest);
  }

  /** Deletes the digest under `key`. */
  async withdraw(key: string): Promise<void> {
    const change = this.nextChange(key);
    await this.stories.withdrawDigest(change);
    await this.issues.withdrawIssue(change);
    this.live.delete(key);
  }

  /** The live digests. */
  all(): TestDigest[] {
    return [...this.live.values()];
  }
}

/** The plan a batch changing these stories (and issue records of `issueMonths`) yields. */
export function planFor(stories: readonly Story[], issueMonths: readonly string[] = []): RenderPlan {
  const topicMonths = new Map<string, Set<string>>();
  for (const story of stories) {
    const month = monthOf(story.publishedAt, story.storyId);
    for (const slug of ['all', story.topicSlug])
      topicMonths.set(slug, new Set([...(topicMonths.get(slug) ?? []), month]));
  }
  return {
    storyIds: new Set(stories.map((story) => story.storyId)),
    topics: new Set(['all', ...stories.map((story) => story.topicSlug)]),
    listings: true,
    topicMonths,
    sitemapMonths: new Set([
      ...stories.map((story) => monthOf(story.publishedAt, story.storyId)),
      ...issueMonths,
    ]),
    issueMonths: new Set([...stories.map((story) => digestMonthOf(story, story.storyId)), ...issueMonths]),
    unitsByRecord: new Map(),
    digests: new Map(),
  };
}

/** Fails with the first path whose bytes or headers differ from `feedwright build` of `digests`. */
export function expectSameAsBuild(
  site: MemorySiteStore,
  digests: readonly TestDigest[],
  siteConfig = archiveConfig,
  /** Live stories whose digest has no issue recorded yet, and issues recorded before their stories. */
  ahead: { readonly stories?: readonly Story[]; readonly issues?: readonly TestDigest[] } = {},
): void {
  const stories = [...digests.flatMap((digest) => digest.stories), ...(ahead.stories ?? [])];
  const expected = buildSite(stories, siteConfig, {
    issues: assignIssueIds([...digests, ...(ahead.issues ?? [])]),
  });
  expect([...site.files.keys()].sort()).toEqual(expected.map((file) => file.path));
  for (const file of expected) {
    const stored = site.files.get(file.path);
    expect({ path: file.path, body: stored?.body, cacheControl: stored?.cacheControl }).toEqual({
      path: file.path,
      body: file.body,
      cacheControl: file.cacheControl,
    });
  }
}
