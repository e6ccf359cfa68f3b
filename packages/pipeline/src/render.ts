import type { Story } from '@feedwright/digest';
import { ALL_TOPICS_SLUG } from '@feedwright/digest';
import {
  ALL_STORIES,
  type ArchiveRef,
  archivePath,
  defaultIconFiles,
  FEED_FORMATS,
  FRONT_PAGE_STORIES,
  feedPath,
  isSubscriptionFeedPath,
  renderIndex,
  renderOpml,
  renderRedirectPage,
  renderStoryPage,
  renderTopicFeeds,
  SITEMAP_PAGES_PATH,
  type SiteConfig,
  type SiteFile,
  sortNewestFirst,
  storyPath,
  type TopicCount,
  type TopicRef,
  topicCount,
  topicPagePath,
} from '@feedwright/site';
import {
  type CdnInvalidator,
  type IssueRegistry,
  mapLimit,
  type ObjectVersion,
  type RedirectStore,
  redirectChain,
  resolveRedirect,
  SiteObjectConflictError,
  type SiteStore,
  type StoryArchiveReader,
  type StoryStore,
} from '@feedwright/storage';
import type { ArchiveContext } from './archive-context.ts';
import type { PipelineLogger } from './logger.ts';
import {
  feedArchiveRef,
  renderSitemapIndexFile,
  renderSitemapMonthPart,
  renderTopicMonths,
  sitemapPages,
  topicPage,
} from './render-archive.ts';
import { renderIssueListings, renderIssueMonth, storyPageOf } from './render-issues.ts';
import { type RenderPlan, type RenderUnit, unitId } from './render-plan.ts';

/** What render reads to write the archive: the stories month by month, and the issue registry. */
export interface RenderArchive {
  readonly stories: StoryArchiveReader;
  readonly issues: IssueRegistry;
}

/** What render needs: the story store to read, the site store to write, and how to render. */
export interface RenderServices {
  readonly stories: StoryStore;
  readonly site: SiteStore;
  readonly config: SiteConfig;
  readonly logger?: PipelineLogger;
  /**
   * Units rendered at once (the story pages and the feeds, written first, each this many at once side by
   * side). @default 8
   */
  readonly concurrency?: number;
  /** Renders of one unit when another render keeps changing its objects. @default 3 */
  readonly maxAttempts?: number;
  /**
   * The CDN in front of the site: every path this render wrote or deleted is invalidated in ONE call at
   * the end, so a withdrawn page or a changed feed is not served from cache. None locally (no cache).
   */
  readonly cdn?: CdnInvalidator;
  /**
   * The month reader of the story store and the issue registry. Given, render writes the archive too,
   * what `feedwright build` writes for the same digests: topic and month pages, RFC 5005 archive
   * documents and the feeds' `prev-archive` links for the (topic, month) pairs the plan names; the issue
   * pages, month pages and story pages (with their issue navigation) of the plan's issue months; the
   * issue listings and feed; the sitemap parts of the plan's months.
   * @default undefined (no archive)
   */
  readonly archive?: RenderArchive;
  /**
   * The redirect records. Given, the page of a story that is not live is a redirect page when a redirect
   * from its id leads to a live story (`resolveRedirect`), and a story unit also sets the redirect pages
   * whose chain passes through its story (withdrawn: they go; back: they lead to it again).
   * @default undefined (a story that is not live loses its page)
   */
  readonly redirects?: RedirectStore;
}

/** What one render did to the site bucket. */
export interface RenderResult {
  readonly written: number;
  readonly unchanged: number;
  readonly deleted: number;
  /** Site paths rewritten or deleted (what the CDN was asked to invalidate; new ones are not), sorted. */
  readonly changedPaths: readonly string[];
  /**
   * Site paths of the subscription feeds whose bytes this render wrote (sorted, each once): what a
   * WebSub hub is told about. An unchanged or deleted feed is never in it.
   */
  readonly changedFeeds: readonly string[];
  /** Units that failed, by unit id (see `unitId`), with the error. */
  readonly failed: ReadonlyMap<string, unknown>;
}

interface Tally {
  written: number;
  unchanged: number;
  deleted: number;
  readonly changedPaths: Set<string>;
  readonly writtenFeeds: Set<string>;
}

/**
 * Renders what a plan asks for from the table's current state: story pages written or removed, each
 * touched topic's feeds from ONE Query of its newest stories (a topic with no live story left loses its
 * feeds; `all` is always written, empty or not, as `feedwright build` does), and index.html and
 * feeds.opml from the topic registry plus one Query per topic. Objects are written only when their bytes
 * changed.
 *
 * The index queries are eventually consistent, so a story this very batch changed may not show in them
 * yet: every Query result is patched with the touched stories' strongly consistent current state.
 *
 * Each topic's and listing's objects are HEADed before the Query and written on the condition that they
 * are still what the HEAD saw, so a concurrent render from older data can never overwrite newer output;
 * the loser renders again.
 *
 * Order: what a subscriber sees goes first (the touched stories' pages and every touched topic's feeds,
 * `all` included), then the archive and listings (month documents and pages, topic pages, issue pages
 * and months, issue listings and index.html, feeds.opml, sitemap). The one exception keeps a feed's
 * `prev-archive` link whole: when it would name a month document not yet in the bucket (a new month or
 * part), that topic's months are written before its feeds. A crash between the two leaves feeds newer
 * than the archive until the retry of the batch (the archive units fail their records), never a link to
 * a missing document.
 */
export async function runRenderPlan(plan: RenderPlan, services: RenderServices): Promise<RenderResult> {
  const tally: Tally = {
    written: 0,
    unchanged: 0,
    deleted: 0,
    changedPaths: new Set(),
    writtenFeeds: new Set(),
  };
  const failed = new Map<string, unknown>();
  const archive = services.archive !== undefined;
  const redirectIds = [...(plan.redirectIds ?? [])].filter((id) => !plan.storyIds.has(id));
  if (plan.storyIds.size === 0 && redirectIds.length === 0 && (!archive || plan.issueMonths.size === 0))
    return { written: 0, unchanged: 0, deleted: 0, changedPaths: [], changedFeeds: [], failed };

  // A story not in the map has been withdrawn (or never existed).
  const current =
    plan.storyIds.size === 0 ? new Map() : await services.stories.getStories([...plan.storyIds]);
  const context: UnitContext = { services, plan, current, tally, redirects: lazy(services), ...freshReads() };
  // What a subscriber sees first: the touched stories' pages and the topics' feeds. The archive (month
  // documents and pages, topic pages, issues, listings, sitemap) after, once every feed is out.
  const topics = [...plan.topics].map(
    (slug): Extract<RenderUnit, { kind: 'topic' }> => ({ kind: 'topic', slug }),
  );
  const stories = [...plan.storyIds, ...redirectIds].map(
    (storyId): RenderUnit => ({ kind: 'story', storyId }),
  );
  const fed = new Map<string, TopicFeeds>();
  // Side by side, each `concurrency` at once: a digest of many stories does not hold its feeds back.
  await Promise.all([
    renderUnits(stories, context, failed, (unit, unitContext) =>
      unit.kind === 'topic' ? Promise.resolve() : renderUnit(unit, unitContext),
    ),
    renderUnits(topics, context, failed, async (unit, unitContext) => {
      if (unit.kind === 'topic') fed.set(unit.slug, await writeTopicFeeds(unit.slug, unitContext));
    }),
  ]);
  // A topic whose feeds failed is failed whole: its archive waits for the retry of the batch.
  const archiveUnits: RenderUnit[] = [
    ...(archive ? topics.filter((unit) => fed.has(unit.slug)) : []),
    ...(plan.listings ? [{ kind: 'listings' } as const] : []),
    ...(archive
      ? [
          ...[...plan.issueMonths].sort().map((month): RenderUnit => ({ kind: 'issues', month })),
          { kind: 'issue-listings' } as const,
          ...(plan.sitemapMonths.size > 0 ? [{ kind: 'sitemap' } as const] : []),
        ]
      : []),
  ];
  await renderUnits(archiveUnits, context, failed, async (unit, unitContext, attempt) => {
    if (unit.kind !== 'topic') return renderUnit(unit, unitContext);
    const feeds = fed.get(unit.slug);
    if (feeds === undefined) return;
    // A retry after a conflict renders the months again too: another render changed the topic's objects.
    await writeTopicArchive(unit.slug, attempt === 1 && feeds.monthsDone, unitContext);
  });
  const changedPaths = [...tally.changedPaths].sort();
  if (services.cdn !== undefined && changedPaths.length > 0) {
    try {
      await services.cdn.invalidate(changedPaths);
    } catch (error) {
      // The objects are right; only cached copies may outlive their max-age. Retrying the batch would
      // not help (a re-render finds nothing to change), so this is logged for an operator.
      services.logger?.error('CDN invalidation failed', { paths: changedPaths, error: describe(error) });
    }
  }
  const changedFeeds = [...tally.writtenFeeds].sort();
  return {
    written: tally.written,
    unchanged: tally.unchanged,
    deleted: tally.deleted,
    changedPaths,
    changedFeeds,
    failed,
  };
}

interface UnitContext {
  readonly services: RenderServices;
  readonly plan: RenderPlan;
  readonly current: ReadonlyMap<string, Story>;
  readonly tally: Tally;
  /** The redirect records, read once a batch when a story unit needs them (none without the port). */
  readonly redirects: () => Promise<ReadonlyMap<string, string>>;
  /**
   * Index Queries of this batch by topic, with the limit each asked for: a touched topic's feed and its
   * index listing share one (first attempt only), an untouched topic's listing asks for a few stories.
   */
  readonly queries: Map<string, { readonly limit: number; readonly stories: Promise<Story[]> }>;
  /** Month Queries of this batch (archive only), by `<slug>/<month>`. */
  readonly months: Map<string, Promise<Story[]>>;
  /** Neighbour-month Queries of this batch (archive only). */
  readonly adjacent: ArchiveContext['adjacent'];
  /** Issue months read by this batch (archive only). */
  readonly issueMonths: ArchiveContext['issueMonths'];
  /** Issue records by month, and whether a month shows an issue, read by this batch (archive only). */
  readonly issueRecords: ArchiveContext['issueRecords'];
  readonly issueShown: ArchiveContext['issueShown'];
}

/** The reads a batch shares, empty: a retry after a conflict must read afresh. */
const freshReads = () => ({
  queries: new Map(),
  months: new Map(),
  adjacent: new Map(),
  issueMonths: new Map(),
  issueRecords: new Map(),
  issueShown: new Map(),
});

/** The archive units' view of a batch, or undefined when render writes no archive. */
function archiveContext(context: UnitContext): ArchiveContext | undefined {
  const { services, plan, current, tally } = context;
  if (services.archive === undefined) return undefined;
  return {
    archive: services.archive.stories,
    issues: services.archive.issues,
    getStories: (ids) => services.stories.getStories(ids),
    newestStory: async () => (await newestPatched(ALL_TOPICS_SLUG, 1, context))[0],
    newestStories: (limit) => newestPatched(ALL_TOPICS_SLUG, limit, context),
    topicCounts: () => topicCounts(context),
    site: services.site,
    config: services.config,
    touchedIds: plan.storyIds,
    current,
    months: context.months,
    adjacent: context.adjacent,
    issueMonths: context.issueMonths,
    issueRecords: context.issueRecords,
    issueShown: context.issueShown,
    put: (file, expected) => put(file, expected, services.site, tally),
    remove: (path) => remove(path, services.site, tally),
  };
}

/**
 * Renders `units`, `concurrency` at once, each with its retries; a unit that still fails is recorded in
 * `failed` (and logged), so every unit is tried.
 */
async function renderUnits(
  units: readonly RenderUnit[],
  context: UnitContext,
  failed: Map<string, unknown>,
  render: (unit: RenderUnit, context: UnitContext, attempt: number) => Promise<void>,
): Promise<void> {
  const { services } = context;
  await mapLimit(units, services.concurrency ?? 8, async (unit) => {
    try {
      await withRetries(unit, context, render);
    } catch (error) {
      failed.set(unitId(unit), error);
      services.logger?.error('render unit failed', { unit: unitId(unit), error: describe(error) });
    }
  });
}

async function withRetries(
  unit: RenderUnit,
  context: UnitContext,
  render: (unit: RenderUnit, context: UnitContext, attempt: number) => Promise<void>,
): Promise<void> {
  const attempts = context.services.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt += 1) {
    try {
      // A retry follows a conflict with a newer render: it must query afresh, not reuse this batch's results.
      await render(unit, attempt === 1 ? context : { ...context, ...freshReads() }, attempt);
      return;
    } catch (error) {
      if (!(error instanceof SiteObjectConflictError) || attempt >= attempts) throw error;
      context.services.logger?.info('site object changed under render; rendering again', {
        unit: unitId(unit),
      });
    }
  }
}

async function renderUnit(unit: Exclude<RenderUnit, { kind: 'topic' }>, context: UnitContext): Promise<void> {
  switch (unit.kind) {
    case 'story':
      return renderStory(unit.storyId, context);
    case 'listings':
      return renderListings(context);
    default:
      return renderArchiveUnit(unit, context);
  }
}

/** The units that exist only with the archive: issues of a month, issue listings, sitemap. */
async function renderArchiveUnit(
  unit: Extract<RenderUnit, { kind: 'issues' | 'issue-listings' | 'sitemap' }>,
  context: UnitContext,
): Promise<void> {
  const archive = archiveContext(context);
  if (archive === undefined) return;
  switch (unit.kind) {
    case 'issues':
      return renderIssueMonth(unit.month, archive);
    case 'issue-listings':
      return renderIssueListings(archive);
    case 'sitemap':
      for (const month of [...context.plan.sitemapMonths].sort())
        await renderSitemapMonthPart(month, archive);
      return renderSitemapIndexFile(archive);
  }
}

async function renderStory(storyId: string, context: UnitContext): Promise<void> {
  const { services, current, tally } = context;
  await renderRedirectsThrough(storyId, context);
  const story = current.get(storyId);
  if (story === undefined) return;
  const archive = archiveContext(context);
  // With the archive, the page links its issue: the same bytes its digest month's issue unit writes.
  const file =
    archive === undefined ? renderStoryPage(story, services.config) : await storyPageOf(story, archive);
  // HEADed here rather than inside putIfChanged, so that a page written for the first time (never
  // cached) is told apart from one rewritten (a correction: its cached copy must go).
  await put(file, await services.site.head(file.path), services.site, tally);
}

/**
 * The page of story `storyId` when it is not live: a redirect page when a redirect from it leads to a live
 * story, else none. Then the same for every other old id whose redirect chain passes through it, since
 * its going or coming back changes where they lead. Those whose own unit is in this batch are left to it.
 */
async function renderRedirectsThrough(storyId: string, context: UnitContext): Promise<void> {
  const { services, plan, current, tally } = context;
  const redirects = await context.redirects();
  const dependents = [...redirects.keys()].filter(
    (from) =>
      from !== storyId &&
      !plan.storyIds.has(from) &&
      !(plan.redirectIds?.has(from) ?? false) &&
      redirectChain(from, redirects).includes(storyId),
  );
  const pages = current.has(storyId) ? dependents : [storyId, ...dependents];
  if (pages.length === 0) return;
  const ids = new Set(
    pages.filter((from) => redirects.has(from)).flatMap((from) => [from, ...redirectChain(from, redirects)]),
  );
  // Strongly consistent, as `current` is: the index may not show this batch's changes yet. A page with no
  // redirect (the common withdrawal) needs no read: its story is not live, so the page goes.
  const live = ids.size === 0 ? new Map<string, Story>() : await services.stories.getStories([...ids]);
  for (const from of pages) {
    if (live.has(from)) continue;
    const to = resolveRedirect(from, redirects, (id) => live.has(id));
    const path = storyPath(from);
    if (to === undefined) await remove(path, services.site, tally);
    else
      await put(
        renderRedirectPage({ from, to }, services.config),
        await services.site.head(path),
        services.site,
        tally,
      );
  }
}

/** The batch's one read of the redirect records, made when first asked for. */
function lazy(services: RenderServices): () => Promise<ReadonlyMap<string, string>> {
  let read: Promise<ReadonlyMap<string, string>> | undefined;
  return () => {
    if (services.redirects === undefined) return Promise.resolve(new Map());
    read ??= services.redirects.redirects();
    return read;
  };
}

/** What a topic's feeds step did, which its archive step goes on from. */
interface TopicFeeds {
  /** The plan's months of the topic were rendered already (before the feeds that link them). */
  readonly monthsDone: boolean;
}

/**
 * HEADs `paths` and then reads a topic's newest stories (`queries`: the batch's shared Queries, or fresh
 * ones): the order the write conditions need, so that a newer render's write in between is seen.
 */
async function readTopic(
  slug: string,
  paths: readonly string[],
  context: UnitContext,
): Promise<{ topic: TopicRef; stories: Story[]; expected: Map<string, ObjectVersion> }> {
  const { services } = context;
  const expected = await headAll(paths, services.site);
  // One past the feed length: the same Query gives the front page its bounded count of the topic.
  const stories = (await newestPatched(slug, services.config.itemsPerFeed + 1, context)).slice(
    0,
    services.config.itemsPerFeed,
  );
  const topic: TopicRef = slug === ALL_TOPICS_SLUG ? ALL_STORIES : { slug, name: topicName(slug, stories) };
  return { topic, stories, expected };
}

/**
 * A topic's three feeds, written (or removed, when no live story is left) before its archive. A feed
 * links the newest month's last archive document (`prev-archive`): when that document is there already
 * (same month, same number of parts) the feeds go first and the months after; when the link moves to a
 * document not yet written (a new month, a new part), the topic's months are rendered first, so that no
 * feed ever links a document that is not there.
 */
async function writeTopicFeeds(slug: string, context: UnitContext): Promise<TopicFeeds> {
  const { services, tally } = context;
  const paths = FEED_FORMATS.map((format) => feedPath(slug, format));
  const { topic, stories, expected } = await readTopic(slug, paths, context);
  if (stories.length === 0 && slug !== ALL_TOPICS_SLUG) {
    for (const path of paths) await remove(path, services.site, tally);
    return { monthsDone: false };
  }
  const archive = archiveContext(context);
  const newestArchive = archive === undefined ? null : await feedArchiveRef(topic, stories, archive);
  let monthsDone = false;
  if (
    archive !== undefined &&
    newestArchive !== null &&
    !(await archiveRefExists(slug, newestArchive, archive))
  ) {
    await renderTopicMonths(topic, context.plan.topicMonths.get(slug) ?? [], archive);
    monthsDone = true;
  }
  await Promise.all(
    renderTopicFeeds(topic, stories, services.config, newestArchive).map((file) =>
      put(file, expected.get(file.path), services.site, tally),
    ),
  );
  return { monthsDone };
}

/** Whether both documents (Atom and JSON) of archive ref `ref` of a topic are in the bucket. */
async function archiveRefExists(slug: string, ref: ArchiveRef, archive: ArchiveContext): Promise<boolean> {
  const versions = await Promise.all(
    (['atom', 'json'] as const).map((format) => archive.site.head(archivePath(slug, ref, format))),
  );
  return versions.every((version) => version !== null);
}

/**
 * A topic's archive after its feeds: the plan's months (unless done before the feeds), then its page,
 * HEADed here and rendered from a Query of its own after that HEAD (off the feeds' path, which is what
 * readers wait for).
 */
async function writeTopicArchive(slug: string, monthsDone: boolean, context: UnitContext): Promise<void> {
  const archive = archiveContext(context);
  if (archive === undefined) return;
  const pagePath = topicPagePath(slug);
  const { topic, stories, expected } = await readTopic(slug, [pagePath], { ...context, queries: new Map() });
  if (!monthsDone) await renderTopicMonths(topic, context.plan.topicMonths.get(slug) ?? [], archive);
  if (stories.length === 0 && slug !== ALL_TOPICS_SLUG) {
    await archive.remove(pagePath);
    return;
  }
  await archive.put(await topicPage(topic, stories, archive), expected.get(pagePath));
}

/**
 * feeds.opml, favicon.svg (when the operator gives no icon) and, with the archive, the pages part of the
 * sitemap; without the archive, index.html too (with it, index.html shows the newest issues and is the
 * issue listings' unit's).
 */
async function renderListings(context: UnitContext): Promise<void> {
  const { services, tally } = context;
  const archive = services.archive !== undefined;
  const icons = defaultIconFiles(services.config);
  const paths = [
    'feeds.opml',
    ...icons.map((file) => file.path),
    ...(archive ? [SITEMAP_PAGES_PATH] : ['index.html']),
  ];
  const expected = await headAll(paths, services.site);
  const topics = await topicCounts(context);
  const files = [
    renderOpml(
      topics.map((entry) => entry.topic),
      services.config,
      { archive },
    ),
    ...icons,
  ];
  if (!archive) {
    const newest = await newestPatched(ALL_TOPICS_SLUG, FRONT_PAGE_STORIES, context);
    files.push(renderIndex({ issues: null, newest, topics }, services.config));
  }
  for (const file of files) await put(file, expected.get(file.path), services.site, tally);
  if (!archive) return;
  // The pages part of the sitemap depends on the topics shown.
  const slugs = [ALL_TOPICS_SLUG, ...topics.map((entry) => entry.topic.slug)];
  await put(sitemapPages(slugs, services.config), expected.get(SITEMAP_PAGES_PATH), services.site, tally);
}

/**
 * Every registered topic with a live story, and how many (up to one past the feed length): ONE Query of
 * the topic registry and one bounded Query per topic (a touched topic's is shared with its feeds).
 */
async function topicCounts(context: UnitContext): Promise<TopicCount[]> {
  const { config } = context.services;
  const registered = await context.services.stories.listTopics();
  const counts: TopicCount[] = [];
  for (const { slug, name } of registered) {
    if (slug === ALL_TOPICS_SLUG) continue;
    const newest = await newestPatched(slug, config.itemsPerFeed + 1, context);
    // A topic with no live story has no feeds, so the front page and OPML do not offer them.
    if (newest.length > 0)
      counts.push(topicCount({ slug, name: topicName(slug, newest, name) }, newest.length, config));
  }
  return counts;
}

/**
 * The newest `limit` live stories of a topic (or `all`): ONE index Query, patched with the current state
 * of the stories this batch touched, which the eventually consistent index may not show yet.
 */
async function newestPatched(
  slug: string,
  limit: number,
  { services, plan, current, queries }: UnitContext,
): Promise<Story[]> {
  // Over-fetched by the number of touched stories: each may be one the patch removes.
  const needed = limit + plan.storyIds.size;
  let query = queries.get(slug);
  if (query === undefined || query.limit < needed) {
    query = { limit: needed, stories: services.stories.newestStories(slug, needed) };
    queries.set(slug, query);
  }
  const queried = await query.stories;
  const untouched = queried.filter((story) => !plan.storyIds.has(story.storyId));
  const touched = [...current.values()].filter(
    (story) => slug === ALL_TOPICS_SLUG || story.topicSlug === slug,
  );
  return sortNewestFirst([...untouched, ...touched]).slice(0, limit);
}

/** A topic is named as its newest story names it (as `feedwright build` does). */
function topicName(slug: string, newestFirst: readonly Story[], fallback?: string): string {
  return newestFirst[0]?.topic ?? fallback ?? slug;
}

async function headAll(paths: readonly string[], site: SiteStore): Promise<Map<string, ObjectVersion>> {
  return new Map(await Promise.all(paths.map(async (path) => [path, await site.head(path)] as const)));
}

async function put(
  file: SiteFile,
  expected: ObjectVersion | undefined,
  site: SiteStore,
  tally: Tally,
): Promise<void> {
  const result = await site.putIfChanged(file, expected === undefined ? {} : { expected });
  if (result === 'written') {
    tally.written += 1;
    // A new object has no cached copy to drop (CloudFront caches a 404 for seconds only).
    if (expected !== null) tally.changedPaths.add(file.path);
    if (isSubscriptionFeedPath(file.path)) tally.writtenFeeds.add(file.path);
  } else {
    tally.unchanged += 1;
  }
}

/** Deletes `path` if it is there; resolves whether it was. */
async function remove(path: string, site: SiteStore, tally: Tally): Promise<boolean> {
  if ((await site.delete(path)) !== 'deleted') return false;
  tally.deleted += 1;
  tally.changedPaths.add(path);
  return true;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
