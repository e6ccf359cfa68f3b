import { assertRenderable, InvalidStoryError, type Story } from '@feedwright/digest';
import { type ArchiveRef, archivePath, CACHE_CONTROL_ARCHIVE, type Month, monthOf } from './archive-paths.ts';
import { atom1Parts } from './atom1.ts';
import type { SiteConfig } from './config.ts';
import {
  type ArchiveUrls,
  type FeedEntry,
  type FeedHistory,
  type FeedModel,
  feedEntry,
  feedModel,
  headlineOnly,
} from './feed-model.ts';
import { assemble } from './feed-parts.ts';
import { jsonFeedParts } from './json-feed.ts';
import { CACHE_CONTROL_LISTING, CONTENT_TYPES, type SiteFile } from './site-file.ts';
import { utf8Length } from './text.ts';
import { sortNewestFirst, type TopicRef } from './topics.ts';
import { encodePath, SiteUrls } from './urls.ts';

/** The months around one month of a topic's archive, as the chain of documents links them. */
export interface MonthNeighbours {
  /** The newest archive document of the next older month that has stories, or null. */
  readonly older: ArchiveRef | null;
  /** The next newer month that has stories, or null when this is the newest month. */
  readonly newer: Month | null;
}

/** A month's archive documents, and the newest of them (what a newer neighbour links back to). */
export interface MonthArchive {
  readonly files: SiteFile[];
  /** How many parts the month needed to stay within the byte budget. */
  readonly parts: number;
  readonly newest: ArchiveRef;
}

/** The URLs of an archive document in its two formats. */
export function archiveUrls(slug: string, ref: ArchiveRef, urls: SiteUrls): ArchiveUrls {
  return { atom: urls.url(archivePath(slug, ref, 'atom')), json: urls.url(archivePath(slug, ref, 'json')) };
}

/**
 * `feeds/<slug>/archive/<yyyy-mm>.{xml,json}`: RFC 5005 archive documents (Atom, with `<fh:archive/>`,
 * `rel="current"`, `prev-archive` and `next-archive`) and JSON Feed pages (chained by `next_url`) holding
 * every story of one topic in one UTC month, newest first.
 *
 * A month that does not fit the feed byte budget is split into parts, filled from the oldest story on:
 * part 1 is `<yyyy-mm>.xml`, part 2 `<yyyy-mm>-2.xml`, and so on; new stories only ever change the
 * last part. A story too large for a document on its own is kept as its headline (its page has it all).
 * Deterministic: depends on the month's stories and its neighbours only.
 * @throws InvalidStoryError for a story that cannot be rendered or is not of that month.
 */
export function renderMonthArchive(
  topic: TopicRef,
  month: Month,
  stories: readonly Story[],
  neighbours: MonthNeighbours,
  config: SiteConfig,
): MonthArchive {
  const urls = new SiteUrls(config);
  const oldestFirst = sortNewestFirst(stories).reverse();
  const entries = oldestFirst.map((story) => {
    assertRenderable(story);
    if (monthOf(story.publishedAt, `story '${story.storyId}'`) !== month) {
      throw new InvalidStoryError(`story '${story.storyId}' is not of the archive month ${month}`);
    }
    return feedEntry(story, urls);
  });
  return renderArchiveMonth(
    {
      month,
      oldestFirst: entries,
      modelOf: (selected) => feedModel(topic, selected, config, urls),
      current: { atom: urls.feed(topic.slug, 'atom'), json: urls.feed(topic.slug, 'json') },
      rssUrl: urls.feed(topic.slug, 'rss'),
      pathOf: (ref, format) => archivePath(topic.slug, ref, format),
    },
    neighbours,
    config,
  );
}

/** One month of a feed's archive, whatever the feed: its entries and how its documents are named. */
export interface ArchiveMonthSource {
  readonly month: Month;
  /** The month's entries, oldest first. */
  readonly oldestFirst: readonly FeedEntry[];
  /** The feed's model over some entries (newest first): its title, ids and dates. */
  readonly modelOf: (newestFirst: readonly FeedEntry[]) => FeedModel;
  /** The subscription feed the documents belong to (Atom `rel="current"`, JSON Feed `feed_url`). */
  readonly current: ArchiveUrls;
  readonly rssUrl: string;
  /** Site path of a document. */
  readonly pathOf: (ref: ArchiveRef, format: 'atom' | 'json') => string;
}

/**
 * A month's RFC 5005 archive documents and JSON Feed pages, split into parts within the byte budget
 * (see `renderMonthArchive`), for any feed: a topic's, or the issue feed.
 */
export function renderArchiveMonth(
  source: ArchiveMonthSource,
  neighbours: MonthNeighbours,
  config: SiteConfig,
): MonthArchive {
  const { month, current } = source;
  const urlsOf = (ref: ArchiveRef): ArchiveUrls => ({
    atom: `${config.baseUrl}${encodePath(source.pathOf(ref, 'atom'))}`,
    json: `${config.baseUrl}${encodePath(source.pathOf(ref, 'json'))}`,
  });
  const budget = config.maxFeedBytes - overheadBytes(source, urlsOf);
  const partEntries = splitToBudget(source, budget);
  const count = partEntries.length;
  const files: SiteFile[] = [];
  partEntries.forEach((part, index) => {
    const ref: ArchiveRef = { month, part: index + 1 };
    const self = urlsOf(ref);
    const prev: ArchiveRef | null = index > 0 ? { month, part: index } : neighbours.older;
    const next: ArchiveRef | null =
      index + 1 < count
        ? { month, part: index + 2 }
        : neighbours.newer === null
          ? null
          : { month: neighbours.newer, part: 1 };
    const history: FeedHistory = {
      current,
      ...(prev === null ? {} : { prevArchive: urlsOf(prev) }),
      ...(next === null ? {} : { nextArchive: urlsOf(next) }),
    };
    const model = {
      ...source.modelOf([...part].reverse()),
      // The JSON page keeps the feed's identity (feed_url); the Atom document names itself (RFC 5005).
      selfUrls: { rss: source.rssUrl, atom: self.atom, json: current.json },
      history,
      // An archive document is history, not a feed to subscribe to: no WebSub hub.
      hubUrl: null,
    };
    // The open (newest) document changes with every new story; the others only on a correction.
    const cacheControl = next === null ? CACHE_CONTROL_LISTING : CACHE_CONTROL_ARCHIVE;
    const atom = atom1Parts(model);
    const json = jsonFeedParts(model);
    files.push(
      {
        path: source.pathOf(ref, 'atom'),
        body: assemble(atom, atom.entries.length),
        contentType: CONTENT_TYPES.atom,
        cacheControl,
      },
      {
        path: source.pathOf(ref, 'json'),
        body: assemble(json, json.entries.length),
        contentType: CONTENT_TYPES.json,
        cacheControl,
      },
    );
  });
  return { files, parts: count, newest: { month, part: Math.max(1, count) } };
}

/** Head and tail bytes of the larger format, with links as long as any part's can be. */
function overheadBytes(source: ArchiveMonthSource, urlsOf: (ref: ArchiveRef) => ArchiveUrls): number {
  const longest = urlsOf({ month: '0000-00', part: 99_999 });
  const model = {
    ...source.modelOf([]),
    selfUrls: { rss: longest.atom, atom: longest.atom, json: source.current.json },
    history: { current: source.current, prevArchive: longest, nextArchive: longest },
    hubUrl: null,
  };
  const size = (parts: { head: string; tail: string }): number =>
    utf8Length(parts.head) + utf8Length(parts.tail);
  return Math.max(size(atom1Parts(model)), size(jsonFeedParts(model)));
}

/** Oldest-first entries cut into runs whose entries fit `budget` in both formats. */
function splitToBudget(source: ArchiveMonthSource, budget: number): FeedEntry[][] {
  const entries = source.oldestFirst;
  const sizesOf = (list: readonly FeedEntry[]): number[][] => {
    const model = source.modelOf(list);
    const atom = atom1Parts(model).entries;
    const json = jsonFeedParts(model);
    const separator = utf8Length(json.separator);
    return list.map((_, i) => [utf8Length(atom[i] ?? ''), utf8Length(json.entries[i] ?? '') + separator]);
  };
  const sizes = sizesOf(entries);
  const parts: FeedEntry[][] = [];
  let current: FeedEntry[] = [];
  let atomTotal = 0;
  let jsonTotal = 0;
  entries.forEach((original, index) => {
    let entry = original;
    let [atomSize = 0, jsonSize = 0] = sizes[index] ?? [];
    if (atomSize > budget || jsonSize > budget) {
      entry = headlineOnly(original);
      [atomSize = 0, jsonSize = 0] = sizesOf([entry])[0] ?? [];
    }
    if (current.length > 0 && (atomTotal + atomSize > budget || jsonTotal + jsonSize > budget)) {
      parts.push(current);
      current = [];
      atomTotal = 0;
      jsonTotal = 0;
    }
    current.push(entry);
    atomTotal += atomSize;
    jsonTotal += jsonSize;
  });
  if (current.length > 0) parts.push(current);
  return parts;
}
