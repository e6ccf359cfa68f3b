import type { Story } from '@feedwright/digest';
import type { Month, ShownIssue, SiteConfig, SiteFile, StoryNav, TopicCount } from '@feedwright/site';
import type {
  IssueRecord,
  IssueRegistry,
  ObjectVersion,
  SiteStore,
  StoryArchiveReader,
} from '@feedwright/storage';

/**
 * What the archive units of one render batch share: the month reader, the stories the batch touched
 * (current, strongly consistent state) and the month Queries already made.
 */
export interface ArchiveContext {
  readonly archive: StoryArchiveReader;
  readonly issues: IssueRegistry;
  /** Live stories by id, strongly consistent (the story store's `getStories`). */
  readonly getStories: (storyIds: readonly string[]) => Promise<Map<string, Story>>;
  /** The newest live story of all (from the index, or one the batch touched), if any. */
  readonly newestStory: () => Promise<Story | undefined>;
  /** The newest `limit` live stories of all (index Query patched with the touched stories). */
  readonly newestStories: (limit: number) => Promise<Story[]>;
  /** Every topic with a live story and its count, bounded by the feed length (the front page's). */
  readonly topicCounts: () => Promise<TopicCount[]>;
  readonly site: SiteStore;
  readonly config: SiteConfig;
  /** Ids of the stories the batch touched; `current` holds those still live. */
  readonly touchedIds: ReadonlySet<string>;
  readonly current: ReadonlyMap<string, Story>;
  /** Month Queries of this batch, by `<slug>/<month>`. */
  readonly months: Map<string, Promise<Story[]>>;
  /** Neighbour-month Queries of this batch, by `<slug>/<month>` (see `indexedAdjacentMonths`). */
  readonly adjacent: Map<string, Promise<AdjacentMonths>>;
  /** Issue months read by this batch (see `monthIssues`). */
  readonly issueMonths: Map<Month, Promise<MonthIssues>>;
  /** Issue records of a month read by this batch (one Query each), shared by `issueMonths` and `issueShown`. */
  readonly issueRecords: Map<Month, Promise<readonly IssueRecord[]>>;
  /** Whether a month shows an issue, as far as this batch asked without reading the whole month. */
  readonly issueShown: Map<Month, Promise<boolean>>;
  /** Writes a file (on the condition `expected`, when given) and counts it. */
  readonly put: (file: SiteFile, expected?: ObjectVersion) => Promise<void>;
  /** Deletes a path if it is there and counts it; resolves whether it was there. */
  readonly remove: (path: string) => Promise<boolean>;
}

/** One month's issues as the site shows them. */
export interface MonthIssues {
  /** Every issue id of the month, shown or not. */
  readonly ids: ReadonlySet<string>;
  /** The issues with a live story of their own, oldest first, with those stories in digest order. */
  readonly shown: readonly ShownIssue[];
  /** Each owned story's navigation (its issue and neighbours there). */
  readonly nav: ReadonlyMap<string, StoryNav>;
  /**
   * Every live story the month's digests hold, owned by a shown issue or not (a story only a digest
   * that is not its issue's text holds belongs to no issue, and its page links none).
   */
  readonly stories: ReadonlyMap<string, Story>;
}

/** The nearest months before and after a month with a live story of a topic, or null. */
export interface AdjacentMonths {
  readonly older: Month | null;
  readonly newer: Month | null;
}

/** `adjacentMonths` of the story index (two one-item Queries), asked once per batch. */
export function indexedAdjacentMonths(
  slug: string,
  month: Month,
  context: ArchiveContext,
): Promise<AdjacentMonths> {
  const key = `${slug}/${month}`;
  let found = context.adjacent.get(key);
  if (found === undefined) {
    found = context.archive.adjacentMonths(slug, month);
    context.adjacent.set(key, found);
  }
  return found;
}
