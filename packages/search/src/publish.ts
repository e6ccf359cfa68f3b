import type { Story } from '@feedwright/digest';
import { SEARCH_INDEX_PREFIX, type SearchPageOptions, type SiteConfig } from '@feedwright/site';
import { mapLimit, md5, type SiteObject, type SiteStore } from '@feedwright/storage';
import { buildSearchFiles, SEARCH_ENTRY_PATH } from './build-index.ts';

/** What one publication of the search files wrote, removed and left alone. */
export interface SearchPublishResult {
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  readonly unchanged: number;
}

/** Parallel writes and deletes of index files. */
const CONCURRENCY = 8;

/**
 * Makes the site's search files `files`: writes those that differ (most index files are named by their
 * content, so a rebuild after a few new stories writes a few files), the entry file last, so that a reader
 * never gets an entry naming chunks not yet written; then removes the index files no longer named.
 */
export async function publishSearchFiles(
  files: readonly SiteObject[],
  site: SiteStore,
): Promise<SearchPublishResult> {
  const listed = new Map((await site.list(SEARCH_INDEX_PREFIX)).map((object) => [object.key, object.eTag]));
  const written: string[] = [];
  let unchanged = 0;
  const put = async (file: SiteObject): Promise<void> => {
    const eTag = listed.get(file.path);
    // The listing's ETag is the body's MD5: an unchanged chunk costs no request at all.
    if ((eTag !== undefined && eTag === md5(file.body)) || (await site.putIfChanged(file)) === 'unchanged') {
      unchanged += 1;
    } else {
      written.push(file.path);
    }
  };
  await mapLimit(
    files.filter((file) => file.path !== SEARCH_ENTRY_PATH),
    CONCURRENCY,
    put,
  );
  for (const entry of files.filter((file) => file.path === SEARCH_ENTRY_PATH)) await put(entry);

  const wanted = new Set(files.map((file) => file.path));
  const stale = [...listed.keys()].filter((key) => !wanted.has(key));
  const deleted: string[] = [];
  await mapLimit(stale, CONCURRENCY, async (key) => {
    if ((await site.delete(key)) === 'deleted') deleted.push(key);
  });
  return { written: written.sort(), deleted: deleted.sort(), unchanged };
}

/** What the search indexer reads and writes. */
export interface SearchIndexServices {
  /** Every live story: the story store's one paginated Query of the `all` index. */
  readonly stories: { liveStories(): Promise<ReadonlyArray<{ readonly story: Story }>> };
  readonly site: SiteStore;
  readonly config: SiteConfig;
  /** See {@link SearchPageOptions.archive}. @default true */
  readonly archive?: boolean;
}

/** What one rebuild of the search index did. */
export interface SearchIndexResult extends SearchPublishResult {
  /** Stories in the index. */
  readonly stories: number;
}

/**
 * Rebuilds the search index from every live story and publishes it (see {@link publishSearchFiles}): what
 * the local stack and the search-index Lambda run after stories change.
 */
export async function refreshSearchIndex(services: SearchIndexServices): Promise<SearchIndexResult> {
  const stories = (await services.stories.liveStories()).map((entry) => entry.story);
  const files = await buildSearchFiles(stories, services.config, {
    ...(services.archive === undefined ? {} : { archive: services.archive }),
  });
  const published = await publishSearchFiles(files, services.site);
  return { stories: stories.length, ...published };
}
