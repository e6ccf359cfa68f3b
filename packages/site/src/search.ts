import { createHash } from 'node:crypto';
import type { Story } from '@feedwright/digest';
import { digestInstantOf, ISSUES_INDEX_PATH, topicPagePath } from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { readableDate } from './dates.ts';
import { htmlPage, SEARCH_PAGE_PATH, SEARCH_QUERY_PARAM } from './page-shell.ts';
import { CACHE_CONTROL_LISTING, CONTENT_TYPES, type SiteFile } from './site-file.ts';
import { cleanText, escapeAttribute } from './text.ts';
import { sortNewestFirst, storyTitle, topicName } from './topics.ts';
import { encodePath, SiteUrls, storyPath } from './urls.ts';

// Defined with the page shell, whose header holds every page's search box.
export { SEARCH_PAGE_PATH, SEARCH_QUERY_PARAM } from './page-shell.ts';
/** The search page's script: reads the query, asks Pagefind, shows the results. */
export const SEARCH_SCRIPT_PATH = 'search.js';
/** Where the search index lives (Pagefind's bundle: its script, WebAssembly and index chunks). */
export const SEARCH_INDEX_PREFIX = 'pagefind/';

/**
 * Whether a site path belongs to search (the page, its script, the index): the search indexer writes and
 * removes these, and render and reconcile leave them alone.
 */
export function isSearchPath(path: string): boolean {
  return path === SEARCH_PAGE_PATH || path === SEARCH_SCRIPT_PATH || path.startsWith(SEARCH_INDEX_PREFIX);
}

/** What the search index holds of one story: Pagefind's custom record. */
export interface SearchRecord {
  /** The story page, relative to the site root (and so to the search page): `stories/<id>.html`, encoded. */
  readonly url: string;
  /** The words searched: headline, body, caption and related headlines, as plain text. */
  readonly content: string;
  /** Language tag of the text (the site's). */
  readonly language: string;
  /** Shown with each result: the headline, the topic, the digest's date as pages show it. */
  readonly meta: { readonly title: string; readonly topic: string; readonly date: string };
}

/**
 * The search records of the stories, one per story id (the newest copy), sorted by URL: the same stories
 * in any order give the same records, so the same index bytes.
 */
export function searchRecords(stories: readonly Story[], config: SiteConfig): SearchRecord[] {
  const seen = new Set<string>();
  const records: SearchRecord[] = [];
  for (const story of sortNewestFirst(stories)) {
    if (seen.has(story.storyId)) continue;
    seen.add(story.storyId);
    records.push(searchRecord(story, config));
  }
  return records.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

function searchRecord(story: Story, config: SiteConfig): SearchRecord {
  const title = storyTitle(story);
  const text = [title, ...story.paragraphs, story.imageCaption ?? '', ...story.related]
    .map((part) => cleanText(part).trim())
    .filter((part) => part !== '');
  return {
    url: encodePath(storyPath(story.storyId)),
    content: text.join('\n'),
    language: config.language,
    meta: {
      title,
      topic: topicName({ slug: story.topicSlug, name: story.topic }),
      date: readableDate(digestInstantOf(story, `story '${story.storyId}'`)),
    },
  };
}

/** Options of {@link renderSearchPage}. */
export interface SearchPageOptions {
  /**
   * The site has its archive: the page without JavaScript links the topic and issue archives.
   * @default true
   */
  readonly archive?: boolean;
}

/**
 * search.html: a search form (GET, to itself) and the results its script fills in. Without JavaScript the
 * form still submits, and the page says that search needs JavaScript and links the archives instead.
 */
export function renderSearchPage(config: SiteConfig, options: SearchPageOptions = {}): SiteFile {
  const archive = options.archive ?? true;
  const browse = archive
    ? `browse <a href="${escapeAttribute(encodePath(topicPagePath('all')))}">every story by month</a> or <a href="${escapeAttribute(ISSUES_INDEX_PATH)}">every issue</a>`
    : 'browse the topics on <a href="index.html">the front page</a>';
  const body = [
    '<main>',
    '<h1>Search</h1>',
    `<form id="search-form" action="${SEARCH_PAGE_PATH}" method="get" role="search">`,
    `<label for="search-input">Search the stories</label>`,
    `<input id="search-input" type="search" name="${SEARCH_QUERY_PARAM}" autocomplete="off">`,
    '<button type="submit">Search</button>',
    '</form>',
    `<p id="search-no-script">Search needs JavaScript, which is off in this browser: ${browse} instead.</p>`,
    '<p id="search-status" role="status"></p>',
    '<ol id="search-results"></ol>',
    '</main>',
  ].join('\n');
  return {
    path: SEARCH_PAGE_PATH,
    body: htmlPage({
      config,
      path: SEARCH_PAGE_PATH,
      archive,
      // The page has its own search form, which its script reads and fills in.
      searchBox: false,
      title: `Search · ${config.siteTitle}`,
      description: null,
      canonical: new SiteUrls(config).url(SEARCH_PAGE_PATH),
      alternates: [],
      body,
      script: { src: SEARCH_SCRIPT_PATH, integrity: SEARCH_SCRIPT_INTEGRITY },
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL_LISTING,
  };
}

/**
 * The search page's script. Every text of a result (headline, topic, date, excerpt) goes in as text, never
 * as markup: Pagefind's excerpt is the story's text with `<mark>` around the words found, and the story's
 * text is the digest's, so only those `<mark>`s become elements.
 */
const SEARCH_SCRIPT = `const form = document.getElementById('search-form');
const input = document.getElementById('search-input');
const status = document.getElementById('search-status');
const results = document.getElementById('search-results');
document.getElementById('search-no-script')?.remove();
const query = new URLSearchParams(location.search).get('${SEARCH_QUERY_PARAM}') ?? '';
input.value = query;
const MAX_RESULTS = 50;

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

function excerptOf(excerpt) {
  const paragraph = document.createElement('p');
  const marked = /<mark>([\\s\\S]*?)<\\/mark>/g;
  let at = 0;
  for (let found = marked.exec(excerpt); found !== null; found = marked.exec(excerpt)) {
    paragraph.append(excerpt.slice(at, found.index), text('mark', found[1]));
    at = marked.lastIndex;
  }
  paragraph.append(excerpt.slice(at));
  return paragraph;
}

function resultOf(data) {
  const item = document.createElement('li');
  const link = text('a', data.meta.title || data.url);
  link.href = data.url;
  const heading = document.createElement('h2');
  heading.append(link);
  item.append(heading, text('p', [data.meta.topic, data.meta.date].filter(Boolean).join(' · '), 'meta'), excerptOf(data.excerpt));
  return item;
}

async function search(words) {
  results.replaceChildren();
  if (words.trim() === '') return;
  status.textContent = 'Searching…';
  try {
    const pagefind = await import('./${SEARCH_INDEX_PREFIX}pagefind.js');
    const found = await pagefind.search(words);
    const shown = await Promise.all(found.results.slice(0, MAX_RESULTS).map((result) => result.data()));
    const count = found.results.length;
    status.textContent = count === 0 ? 'No story matches these words.' : count === 1 ? '1 story found.' : count > MAX_RESULTS ? count + ' stories found; the ' + MAX_RESULTS + ' best are shown.' : count + ' stories found.';
    results.replaceChildren(...shown.map(resultOf));
  } catch (error) {
    status.textContent = 'Search is not available right now.';
    console.error(error);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set('${SEARCH_QUERY_PARAM}', input.value);
  history.pushState(null, '', url);
  void search(input.value);
});
window.addEventListener('popstate', () => {
  input.value = new URLSearchParams(location.search).get('${SEARCH_QUERY_PARAM}') ?? '';
  void search(input.value);
});
void search(query);
`;

/** The script's Subresource Integrity hash: the page runs these bytes or nothing. */
const SEARCH_SCRIPT_INTEGRITY = `sha384-${createHash('sha384').update(SEARCH_SCRIPT).digest('base64')}`;

/** search.js, the search page's script (see {@link renderSearchPage}). */
export function renderSearchScript(): SiteFile {
  return {
    path: SEARCH_SCRIPT_PATH,
    body: SEARCH_SCRIPT,
    contentType: CONTENT_TYPES.javascript,
    cacheControl: CACHE_CONTROL_LISTING,
  };
}
