/**
 * @feedwright/site: stories in, the site's files out: RSS 2.0, Atom 1.0 and JSON Feed 1.1 per topic
 * and for all stories, a page per story, index.html and feeds.opml. Pure functions, no I/O: the
 * `feedwright build` command writes the files to disk, the render function to the site bucket.
 */
export { renderMonthArchive } from './archive.ts';
export { renderTopicMonthPage, renderTopicPage } from './archive-pages.ts';
export {
  type ArchiveRef,
  archivePath,
  digestMonthOf,
  ISSUES_INDEX_PATH,
  issueArchivePath,
  issueMonthPath,
  issuePath,
  type Month,
  monthOf,
  SITEMAP_PAGES_PATH,
  SITEMAP_PATH,
  sitemapMonthPath,
  topicMonthPath,
  topicPagePath,
} from './archive-paths.ts';
export {
  arrangeIssues,
  issueListingFiles,
  NO_ISSUE_NAV,
  type ShownIssue,
} from './build-archive.ts';
export { type BuildSiteOptions, buildSite } from './build-site.ts';
export { DEFAULT_SITE_CONFIG, resolveSiteConfig, type SiteConfig, SiteConfigError } from './config.ts';
export { defaultIconFiles } from './identity.ts';
export {
  FRONT_PAGE_STORIES,
  type FrontIssue,
  type FrontPage,
  frontIssues,
  renderIndex,
  type TopicCount,
  topicCount,
} from './index-page.ts';
export { renderIssueMonthArchive } from './issue-feed.ts';
export { renderIssueMonthPage, renderIssuePage } from './issue-pages.ts';
export { assignIssueIds, type Issue, type IssueSource, issueIdBase } from './issues.ts';
export { renderOpml } from './opml.ts';
export { renderRedirectPage, type StoryRedirect } from './redirect-page.ts';
export {
  contentSecurityPolicyFor,
  FEEDS_CORS,
  responseHeadersFor,
  SEARCH_CONTENT_SECURITY_POLICY,
  SEARCH_POLICY_PATH_PATTERNS,
  SECURITY_HEADERS,
  SITE_CONTENT_SECURITY_POLICY,
} from './response-headers.ts';
export {
  isSearchPath,
  renderSearchPage,
  renderSearchScript,
  SEARCH_INDEX_PREFIX,
  SEARCH_PAGE_PATH,
  SEARCH_QUERY_PARAM,
  SEARCH_SCRIPT_PATH,
  type SearchPageOptions,
  type SearchRecord,
  searchRecords,
} from './search.ts';
export { CACHE_CONTROL_LISTING, CONTENT_TYPES, type SiteFile } from './site-file.ts';
export { renderSitemapIndex, renderSitemapMonth, renderSitemapPages } from './sitemap.ts';
export type { StoryNav } from './story-nav.ts';
export { renderStoryPage, storyPageText } from './story-page.ts';
export { cleanText, escapeMarkup } from './text.ts';
export { renderTopicFeeds } from './topic-feeds.ts';
export { ALL_STORIES, sortNewestFirst, type TopicListing, type TopicRef } from './topics.ts';
export { encodePath, FEED_FORMATS, type FeedFormat, feedPath, storyPath } from './urls.ts';
export { isSubscriptionFeedPath, SUBSCRIPTION_FEED_PATH, websubLinkHeader } from './websub.ts';
