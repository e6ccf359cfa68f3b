import type { SiteConfig } from './config.ts';
import { htmlPage } from './page-shell.ts';
import { CACHE_CONTROL_STORY, CONTENT_TYPES, type SiteFile } from './site-file.ts';
import { escapeAttribute, escapeMarkup } from './text.ts';
import { encodePath, SiteUrls, storyPath } from './urls.ts';

/** A story's old address and the live story it now leads to (see `resolveRedirect` in the storage package). */
export interface StoryRedirect {
  /** The id the story had: its old page's address. */
  readonly from: string;
  /** The id of the live story the old address leads to. */
  readonly to: string;
}

/**
 * stories/<from>.html for a story whose headline was corrected (a new id): a small page that sends the
 * browser on to the story's page at once with `<meta http-equiv="refresh">` (no script, so the pages'
 * policy holds), names that page canonical, asks search engines not to index it, and links it plainly
 * for whatever does not follow the refresh. It names only the new address, so a later correction of
 * the story's text leaves it as it is.
 */
export function renderRedirectPage(redirect: StoryRedirect, config: SiteConfig): SiteFile {
  const urls = new SiteUrls(config);
  // Relative, as every link within the site is, so the tree also reads from disk.
  const relative = encodePath(storyPath(redirect.to)).slice('stories/'.length);
  const body = [
    '<main>',
    '<h1>This story has moved</h1>',
    `<p>Its headline was corrected, and it now lives at <a href="${escapeAttribute(relative)}">${escapeMarkup(urls.story(redirect.to))}</a>.</p>`,
    '</main>',
  ].join('\n');
  return {
    path: storyPath(redirect.from),
    body: htmlPage({
      config,
      path: storyPath(redirect.from),
      title: `This story has moved · ${config.siteTitle}`,
      description: null,
      canonical: urls.story(redirect.to),
      alternates: [],
      // The smallest page: the header links home only, whether or not the site has its archive.
      archive: false,
      searchBox: false,
      body,
      refresh: relative,
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL_STORY,
  };
}
