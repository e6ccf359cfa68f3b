import { instantOf, type Story } from '@feedwright/digest';
import type { SiteConfig } from './config.ts';
import { rfc822, rfc3339 } from './dates.ts';
import { type FeedIdentity, feedIdentity } from './identity.ts';
import { storySummaryAndBody } from './story-html.ts';
import { ALL_STORIES, storyTitle, type TopicRef, topicName } from './topics.ts';
import type { FeedFormat, SiteUrls, StableId } from './urls.ts';

/**
 * One entry of a feed, format-neutral, with every text already cleaned of illegal characters (but not
 * escaped: each format escapes for its own syntax, with `escapeCleanText`). Built once per story,
 * shared by the three formats.
 */
export interface FeedEntry {
  readonly id: StableId;
  readonly url: string;
  readonly title: string;
  readonly published: string;
  readonly publishedRfc822: string;
  /** When the text last changed: `published`, or the correction's time (never before `published`). */
  readonly updated: string;
  readonly updatedRfc822: string;
  /** True when a correction changed the story after it was published. */
  readonly corrected: boolean;
  /** First paragraph, plain text; null for a headline-only entry. */
  readonly summary: string | null;
  /** The whole story as HTML; null for a headline-only entry. */
  readonly contentHtml: string | null;
  readonly category: { readonly term: string; readonly label: string };
}

/** One feed, format-neutral: what rss2.ts, atom1.ts and json-feed.ts each serialise. Texts are clean. */
export interface FeedModel {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly homeUrl: string;
  readonly selfUrls: Readonly<Record<FeedFormat, string>>;
  readonly language: string;
  readonly author: string;
  /** The publication's icon and logo, as every format names them. */
  readonly identity: FeedIdentity;
  /** IRI of the category scheme: topic slugs are the folders under feeds/. */
  readonly categoryScheme: string;
  /** Time of the most recently changed entry; null for an empty feed (each format says what it does then). */
  readonly updated: string | null;
  /**
   * RFC 3339 start of the `tagDate` (the date the site's ids begin): a fixed, plausible time for a format
   * that must date even an empty feed.
   */
  readonly epoch: string;
  readonly updatedRfc822: string | null;
  /** Publication time of the newest entry (RSS `pubDate`); null for an empty feed. */
  readonly publishedRfc822: string | null;
  readonly entries: readonly FeedEntry[];
  /** The WebSub hub this feed advertises; null when none is configured or the feed is not subscribable. */
  readonly hubUrl: string | null;
  /** RFC 5005 links (and JSON Feed `next_url`); absent on a feed with no archive. */
  readonly history?: FeedHistory;
}

/** An archive document's URLs in the two archived formats. */
export interface ArchiveUrls {
  readonly atom: string;
  readonly json: string;
}

/**
 * RFC 5005 archived feeds: a subscription feed names its newest archive document (`prevArchive`); an
 * archive document names the subscription feed (`current`) and its older and newer neighbours.
 */
export interface FeedHistory {
  /** Set on an archive document only: the subscription feed it belongs to (Atom `rel="current"`). */
  readonly current?: ArchiveUrls;
  /** The next older archive document (Atom `prev-archive`, JSON Feed `next_url`). */
  readonly prevArchive?: ArchiveUrls;
  /** The next newer archive document (Atom `next-archive`). */
  readonly nextArchive?: ArchiveUrls;
}

/** The feed entry of a story. */
export function feedEntry(story: Story, urls: SiteUrls): FeedEntry {
  const at = instantOf(story.publishedAt, `story '${story.storyId}'`);
  const changed = updatedInstant(story, at);
  const { summary, bodyHtml } = storySummaryAndBody(story);
  return {
    id: urls.storyId(story.storyId),
    url: urls.story(story.storyId),
    title: storyTitle(story),
    published: rfc3339(at),
    publishedRfc822: rfc822(at),
    updated: rfc3339(changed),
    updatedRfc822: rfc822(changed),
    corrected: changed > at,
    summary,
    contentHtml: bodyHtml,
    category: { term: story.topicSlug, label: topicName({ slug: story.topicSlug, name: story.topic }) },
  };
}

/**
 * When a story's text last changed: its `updatedAt` (set by the pipeline when a correction changed it),
 * or its publication. A correction never dates a story before its publication.
 */
export function updatedInstant(story: Story, publishedMs: number): number {
  if (story.updatedAt === undefined) return publishedMs;
  return Math.max(publishedMs, instantOf(story.updatedAt, `story '${story.storyId}' (updatedAt)`));
}

/** The entry cut to its headline: used when even the newest story alone is over the byte budget. */
export function headlineOnly(entry: FeedEntry): FeedEntry {
  return { ...entry, summary: null, contentHtml: null };
}

/**
 * The feed of a topic over entries already sorted newest first; dates come from the newest entry,
 * never from the clock, so the same stories always give the same bytes.
 */
export function feedModel(
  topic: TopicRef,
  entries: readonly FeedEntry[],
  config: SiteConfig,
  urls: SiteUrls,
): FeedModel {
  // The feed changed last when its most recently changed entry did (a correction may be older news).
  const newest = entries.reduce<FeedEntry | undefined>(
    (latest, entry) => (latest === undefined || entry.updated > latest.updated ? entry : latest),
    entries[0],
  );
  const name = topicName(topic);
  const isAll = topic.slug === ALL_STORIES.slug;
  return {
    id: urls.feedId(topic.slug),
    title: `${config.siteTitle}: ${name}`,
    description: isAll ? config.description : `The newest stories about ${name} from ${config.siteTitle}.`,
    homeUrl: urls.topicHome(topic.slug),
    selfUrls: {
      rss: urls.feed(topic.slug, 'rss'),
      atom: urls.feed(topic.slug, 'atom'),
      json: urls.feed(topic.slug, 'json'),
    },
    language: config.language,
    author: config.author,
    identity: feedIdentity(config),
    categoryScheme: urls.url('feeds/'),
    updated: newest?.updated ?? null,
    epoch: tagDateStart(config.tagDate),
    updatedRfc822: newest?.updatedRfc822 ?? null,
    publishedRfc822: entries[0]?.publishedRfc822 ?? null,
    entries,
    // Topic, all-stories and issue feeds are what readers subscribe to; archive documents (archive.ts)
    // set hubUrl null.
    hubUrl: config.hubUrl,
  };
}

/** '2020' → '2020-01-01T00:00:00Z', '2020-12' → '2020-12-01T00:00:00Z' (tagDate is checked by the config). */
function tagDateStart(tagDate: string): string {
  const [year, month = '01', day = '01'] = tagDate.split('-');
  return `${year}-${month}-${day}T00:00:00Z`;
}
