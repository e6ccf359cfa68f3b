import { atomHistoryLines } from './feed-history.ts';
import type { FeedEntry, FeedModel } from './feed-model.ts';
import type { FeedParts } from './feed-parts.ts';
import { escapeAttribute, escapeCleanText, escapeRssText } from './text.ts';

/**
 * RSS 2.0 with the Atom (self link), content (`content:encoded`) and Dublin Core (`dc:creator`)
 * namespaces. Written directly rather than through `feed@6`, whose serialiser breaks on hostile text
 * (see docs/decisions.md). No CDATA anywhere: text is entity-escaped, HTML fields are escaped HTML.
 */
export function rss2Parts(feed: FeedModel): FeedParts {
  const x = escapeRssText;
  const head = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${x(feed.title)}</title>`,
    `    <link>${x(feed.homeUrl)}</link>`,
    `    <description>${x(feed.description)}</description>`,
    `    <language>${x(feed.language)}</language>`,
    ...(feed.identity.rssImage === null
      ? []
      : [
          '    <image>',
          `      <url>${x(feed.identity.rssImage)}</url>`,
          `      <title>${x(feed.title)}</title>`,
          `      <link>${x(feed.homeUrl)}</link>`,
          '    </image>',
        ]),
    ...(feed.updatedRfc822 === null || feed.publishedRfc822 === null
      ? []
      : [
          // pubDate: the newest story's publication; lastBuildDate: the latest change, a correction too.
          `    <pubDate>${feed.publishedRfc822}</pubDate>`,
          `    <lastBuildDate>${feed.updatedRfc822}</lastBuildDate>`,
        ]),
    '    <docs>https://www.rssboard.org/rss-specification</docs>',
    '    <generator>feedwright</generator>',
    `    <atom:link href="${escapeAttribute(feed.selfUrls.rss)}" rel="self" type="application/rss+xml"/>`,
    ...(feed.hubUrl === null ? [] : [`    <atom:link href="${escapeAttribute(feed.hubUrl)}" rel="hub"/>`]),
    ...atomHistoryLines(feed.history, '    <atom:link'),
    '',
  ].join('\n');
  return {
    head,
    entries: feed.entries.map((entry) => rssItem(entry, feed.author)),
    separator: '',
    tail: '  </channel>\n</rss>\n',
  };
}

function rssItem(entry: FeedEntry, author: string): string {
  const x = escapeRssText;
  const lines = [
    '    <item>',
    `      <title>${x(entry.title)}</title>`,
    `      <link>${x(entry.url)}</link>`,
    `      <guid isPermaLink="${entry.id.isPermalink}">${x(entry.id.value)}</guid>`,
    `      <pubDate>${entry.publishedRfc822}</pubDate>`,
    // RSS <author> must be an e-mail address; a name alone goes in dc:creator.
    `      <dc:creator>${x(author)}</dc:creator>`,
    `      <category>${x(entry.category.label)}</category>`,
  ];
  // <description> is HTML by convention: escape the text as HTML, then the HTML as XML. The RSS profile
  // (and the W3C validator) wants a description before content:encoded: a story with a caption and no
  // paragraph describes itself with its content.
  if (entry.summary !== null)
    lines.push(`      <description>${x(escapeCleanText(entry.summary))}</description>`);
  else if (entry.contentHtml !== null) lines.push(`      <description>${x(entry.contentHtml)}</description>`);
  if (entry.contentHtml !== null)
    lines.push(`      <content:encoded>${x(entry.contentHtml)}</content:encoded>`);
  lines.push('    </item>', '');
  return lines.join('\n');
}
