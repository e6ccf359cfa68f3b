import { assertRenderable, type Story } from '@feedwright/digest';
import { digestInstantOf, issuePath, topicPagePath } from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { readableDate, rfc3339 } from './dates.ts';
import { updatedInstant } from './feed-model.ts';
import { issueTitle } from './issues.ts';
import { relativeHref } from './page-links.ts';
import { type AlternateLink, htmlPage } from './page-shell.ts';
import { CACHE_CONTROL_STORY, CONTENT_TYPES, type SiteFile } from './site-file.ts';
import { storyBodyHtml, storySummary } from './story-html.ts';
import { type StoryNav, storyNavHtml } from './story-nav.ts';
import { escapeAttribute, escapeMarkup } from './text.ts';
import { storyTitle, type TopicRef, topicName } from './topics.ts';
import {
  encodePath,
  FEED_FORMAT_LABELS,
  FEED_FORMATS,
  FEED_MEDIA_TYPES,
  feedPath,
  SiteUrls,
  storyPath,
  topicAnchor,
} from './urls.ts';

/** Autodiscovery links of one topic's three feeds. */
export function feedAlternates(topic: TopicRef, urls: SiteUrls): AlternateLink[] {
  return FEED_FORMATS.map((format) => ({
    type: FEED_MEDIA_TYPES[format],
    title: `${topicName(topic)} (${FEED_FORMAT_LABELS[format]})`,
    href: urls.feed(topic.slug, format),
  }));
}

/** "RSS · Atom · JSON Feed" links to a topic's feeds, relative to a page `prefix` deep in the tree. */
export function subscribeLinks(slug: string, prefix: string): string {
  return FEED_FORMATS.map(
    (format) =>
      `<a href="${escapeAttribute(`${prefix}${encodePath(feedPath(slug, format))}`)}" type="${FEED_MEDIA_TYPES[format]}">${FEED_FORMAT_LABELS[format]}</a>`,
  ).join(' · ');
}

/**
 * The part of a story's page that carries its text, verbatim: its headline and body. A page holding it
 * shows this version of the story (`feedwright publish` waits for it to be served).
 */
export function storyPageText(story: Story): string {
  const body = storyBodyHtml(story);
  return `<h1>${escapeMarkup(storyTitle(story))}</h1>${body === null ? '' : `\n${body}`}`;
}

/**
 * stories/<storyId>.html: the story readable with no JavaScript, its canonical URL, autodiscovery of its
 * topic's feeds, and what a shared link shows (Open Graph and Twitter card tags, JSON-LD `NewsArticle`).
 * Links within the site are relative, so the tree also reads from disk. With `nav` (the archive), it also
 * links its topic's page, its issue (a quick hit, which has no text of its own, says which issue it is
 * from) and the previous and next story of the issue.
 * @throws InvalidStoryError for a story whose id, slug or time cannot be rendered.
 */
export function renderStoryPage(story: Story, config: SiteConfig, nav?: StoryNav): SiteFile {
  assertRenderable(story);
  const urls = new SiteUrls(config);
  const x = escapeMarkup;
  const topic: TopicRef = {
    slug: story.topicSlug,
    name: topicName({ slug: story.topicSlug, name: story.topic }),
  };
  // The time its digest states: the story's own instant is a few seconds earlier, for feed order.
  const at = digestInstantOf(story, `story '${story.storyId}'`);
  const changed = updatedInstant(story, at);
  const title = storyTitle(story);
  const path = storyPath(story.storyId);
  const topicHref =
    nav === undefined
      ? `../index.html#${escapeAttribute(encodeURIComponent(topicAnchor(topic.slug)))}`
      : relativeHref('../', topicPagePath(topic.slug));
  const summary = storySummary(story);
  const quickHitOf =
    summary === null && nav?.issue != null
      ? `<p class="lede">A quick hit from the issue <a href="${relativeHref('../', issuePath(nav.issue.issueId))}">${x(issueTitle(nav.issue))}</a>.</p>`
      : '';
  const body = [
    '<main>',
    '<article>',
    `<p class="meta"><a href="${topicHref}">${x(topic.name)}</a> · <time datetime="${rfc3339(at)}">${readableDate(at)}</time></p>`,
    changed > at
      ? `<p class="updated">Updated <time datetime="${rfc3339(changed)}">${readableDate(changed)}</time></p>`
      : '',
    storyPageText(story),
    quickHitOf,
    '</article>',
    nav === undefined ? '' : storyNavHtml(topic, nav),
    '</main>',
    `<footer><p class="subscribe">Follow ${x(topic.name)}: ${subscribeLinks(topic.slug, '../')}</p></footer>`,
  ]
    .filter((line) => line !== '')
    .join('\n');
  const canonical = urls.story(story.storyId);
  const published = rfc3339(at);
  const modified = rfc3339(changed);
  return {
    path,
    body: htmlPage({
      config,
      path,
      title: `${title} · ${config.siteTitle}`,
      description: summary ?? title,
      canonical,
      alternates: feedAlternates(topic, urls),
      archive: nav !== undefined,
      article: { publishedTime: published, modifiedTime: modified, section: topic.name },
      jsonLd: newsArticle({
        story,
        title,
        summary,
        canonical,
        published,
        modified,
        section: topic.name,
        config,
      }),
      body,
    }),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL_STORY,
  };
}

/** schema.org `NewsArticle` of a story page, for search engines and link previews. */
function newsArticle(article: {
  story: Story;
  title: string;
  summary: string | null;
  canonical: string;
  published: string;
  modified: string;
  section: string;
  config: SiteConfig;
}): Record<string, unknown> {
  const { config } = article;
  const publisher: Record<string, unknown> = { '@type': 'Organization', name: config.siteTitle };
  const image = config.logo ?? config.icon;
  if (image !== null) publisher.logo = { '@type': 'ImageObject', url: `${config.baseUrl}${image}` };
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    ...(article.summary === null ? {} : { description: article.summary }),
    datePublished: article.published,
    dateModified: article.modified,
    articleSection: article.section,
    inLanguage: config.language,
    url: article.canonical,
    mainEntityOfPage: article.canonical,
    author: { '@type': 'Organization', name: config.author },
    publisher,
  };
}
