/**
 * `@feedwright/search`: the site's search over every story, with Pagefind. One function builds the search
 * files (page, script, index) from stories — `buildSearchFiles` — for `feedwright build`, the local stack and
 * the search-index Lambda; `refreshSearchIndex` reads the live stories and publishes the files to the site
 * bucket, writing only what changed and removing index files no longer named.
 */
export { buildSearchFiles, SEARCH_ENTRY_PATH } from './build-index.ts';
export {
  createSearchIndexHandler,
  type SearchIndexDependencies,
} from './lambda/search-index-handler.ts';
export {
  publishSearchFiles,
  refreshSearchIndex,
  type SearchIndexResult,
  type SearchIndexServices,
  type SearchPublishResult,
} from './publish.ts';
