import type { Story } from '@feedwright/digest';
import {
  CACHE_CONTROL_LISTING,
  renderSearchPage,
  renderSearchScript,
  SEARCH_INDEX_PREFIX,
  type SearchPageOptions,
  type SearchRecord,
  type SiteConfig,
  searchRecords,
} from '@feedwright/site';
import type { SiteObject } from '@feedwright/storage';
import * as pagefind from 'pagefind';

/** Pagefind could not build the index; the message carries what it said. */
export class SearchIndexError extends Error {
  override readonly name = 'SearchIndexError';
}

/**
 * The entry file of the index: it names the index chunks of the build, so it is written after them and
 * a reader never loads an entry whose chunks are not there yet.
 */
export const SEARCH_ENTRY_PATH = `${SEARCH_INDEX_PREFIX}pagefind-entry.json`;

/**
 * Cache-Control of the index files whose name carries a hash of their content (chunks, fragments,
 * metadata): a name never gets other bytes, so they are kept a year.
 */
const CACHE_CONTROL_HASHED = 'public, max-age=31536000, immutable';

/** Files of Pagefind's bundle that the search page never loads (its own UIs): left out of the site. */
const UNUSED = /^pagefind-(?:ui|modular-ui|component-ui|highlight)\.(?:js|css)$/;
/** Chunk, fragment and metadata files: `<lang>_<hash>.pf_*` in a folder, or `pagefind.<lang>_<hash>.pf_meta`. */
const HASHED = /_[0-9a-f]{7,}\.pf_[a-z]+$/;

/** One file of Pagefind's bundle: its name in the bundle and its bytes. */
export interface PagefindFile {
  readonly path: string;
  readonly content: Uint8Array;
}

/**
 * Starts Pagefind's service (a process of its own, started on first use) ahead of the records, so that
 * they do not wait for it. Resolves when it answers; its failures surface when the records are indexed.
 */
export async function startPagefind(language: string): Promise<void> {
  const created = await pagefind.createIndex({ forceLanguage: language }).catch(() => undefined);
  await created?.index?.deleteIndex().catch(() => undefined);
}

/**
 * Pagefind's bundle for `records`, every file of it (its own UIs too). In the order given: Pagefind numbers
 * the pages as they come, so the order is the bytes.
 * @throws SearchIndexError when Pagefind reports an error.
 */
export async function indexRecords(
  records: readonly SearchRecord[],
  language: string,
): Promise<PagefindFile[]> {
  const created = await pagefind.createIndex({ forceLanguage: language });
  const index = created.index;
  if (index === undefined) throw new SearchIndexError(`Pagefind: ${created.errors.join('; ')}`);
  try {
    // All are sent at once: the service reads its messages from one pipe and handles them one after
    // another in the order written, so the order holds without waiting for each reply (a round trip
    // per story).
    const added = await Promise.all(
      records.map((record) => index.addCustomRecord({ ...record, meta: { ...record.meta } })),
    );
    for (const [position, result] of added.entries()) {
      if (result.errors.length > 0) {
        throw new SearchIndexError(
          `Pagefind refused ${records[position]?.url ?? '?'}: ${result.errors.join('; ')}`,
        );
      }
    }
    const built = await index.getFiles();
    if (built.errors.length > 0) throw new SearchIndexError(`Pagefind: ${built.errors.join('; ')}`);
    return built.files.map((file) => ({ path: file.path, content: file.content }));
  } finally {
    await index.deleteIndex();
  }
}

/**
 * The search files of the site from its stories: the search page, its script and Pagefind's index of
 * every story (headline, body, caption, related headlines; topic and date shown with each result). The one
 * function behind `feedwright build`, the local stack and the search-index Lambda. Deterministic: the same
 * stories, in any order, give the same files, sorted by path.
 * @throws SearchIndexError when Pagefind reports an error.
 */
export async function buildSearchFiles(
  stories: readonly Story[],
  config: SiteConfig,
  options: SearchPageOptions = {},
): Promise<SiteObject[]> {
  return searchFilesOf(await indexRecords(searchRecords(stories, config), config.language), config, options);
}

/** The site's search files from Pagefind's bundle: its index files, the search page and its script. */
export function searchFilesOf(
  bundle: readonly PagefindFile[],
  config: SiteConfig,
  options: SearchPageOptions = {},
): SiteObject[] {
  const files: SiteObject[] = bundle
    .filter((file) => !UNUSED.test(file.path))
    .map((file) => indexFile(file.path, file.content));
  files.push(renderSearchPage(config, options), renderSearchScript());
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function indexFile(name: string, content: Uint8Array): SiteObject {
  const path = `${SEARCH_INDEX_PREFIX}${name}`;
  return {
    path,
    body: content,
    contentType: contentTypeOf(name),
    cacheControl: HASHED.test(name) ? CACHE_CONTROL_HASHED : CACHE_CONTROL_LISTING,
  };
}

function contentTypeOf(name: string): string {
  if (name.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (name.endsWith('.css')) return 'text/css; charset=utf-8';
  if (name.endsWith('.json')) return 'application/json; charset=utf-8';
  // The WebAssembly and the index chunks are Pagefind's own gzip-framed formats, read by its script.
  return 'application/octet-stream';
}
