import { atomHistoryLines, FH_NAMESPACE } from './feed-history.ts';
import type { FeedEntry, FeedModel } from './feed-model.ts';
import type { FeedParts } from './feed-parts.ts';
import { escapeAttribute, escapeCleanText } from './text.ts';

/**
 * Atom 1.0 (RFC 4287): feed and entry ids, authors on the feed and every entry, `xml:lang`, alternate
 * and self links, `category` with `term`, `label` and `scheme`. Titles and summaries are `type="text"`
 * (so markup in a headline stays text); content is `type="html"`, escaped.
 */
export function atom1Parts(feed: FeedModel): FeedParts {
  const x = escapeCleanText;
  const a = escapeAttribute;
  const head = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom"${feed.history?.current === undefined ? '' : ` xmlns:fh="${FH_NAMESPACE}"`} xml:lang="${a(feed.language)}">`,
    `  <id>${x(feed.id)}</id>`,
    `  <title type="text">${x(feed.title)}</title>`,
    `  <subtitle type="text">${x(feed.description)}</subtitle>`,
    // Atom requires <updated>; an empty feed has no newest story to take it from, and the clock would change
    // the bytes on every render. The Unix epoch would be flagged as an implausible date (before 1990).
    `  <updated>${feed.updated ?? feed.epoch}</updated>`,
    `  <author><name>${x(feed.author)}</name></author>`,
    `  <link rel="alternate" type="text/html" href="${a(feed.homeUrl)}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${a(feed.selfUrls.atom)}"/>`,
    ...(feed.hubUrl === null ? [] : [`  <link rel="hub" href="${a(feed.hubUrl)}"/>`]),
    ...atomHistoryLines(feed.history, '  <link'),
    '  <generator>feedwright</generator>',
    `  <icon>${x(feed.identity.icon)}</icon>`,
    ...(feed.identity.logo === null ? [] : [`  <logo>${x(feed.identity.logo)}</logo>`]),
    '',
  ].join('\n');
  return {
    head,
    entries: feed.entries.map((entry) => atomEntry(entry, feed.author, feed.categoryScheme)),
    separator: '',
    tail: '</feed>\n',
  };
}

function atomEntry(entry: FeedEntry, author: string, scheme: string): string {
  const x = escapeCleanText;
  const a = escapeAttribute;
  const lines = [
    '  <entry>',
    `    <id>${x(entry.id.value)}</id>`,
    `    <title type="text">${x(entry.title)}</title>`,
    `    <link rel="alternate" type="text/html" href="${a(entry.url)}"/>`,
    `    <published>${entry.published}</published>`,
    // The publication time, or the time of the upload that last corrected the text.
    `    <updated>${entry.updated}</updated>`,
    `    <author><name>${x(author)}</name></author>`,
    `    <category term="${a(entry.category.term)}" label="${a(entry.category.label)}" scheme="${a(scheme)}"/>`,
  ];
  // A headline-only entry (a quick hit) summarises itself with its headline: RFC 4287 allows an entry with
  // just an alternate link, but readers then show nothing, and the W3C validator warns (MissingTextualContent).
  const summary = entry.summary ?? (entry.contentHtml === null ? entry.title : null);
  if (summary !== null) lines.push(`    <summary type="text">${x(summary)}</summary>`);
  if (entry.contentHtml !== null) lines.push(`    <content type="html">${x(entry.contentHtml)}</content>`);
  lines.push('  </entry>', '');
  return lines.join('\n');
}
