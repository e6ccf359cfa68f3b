import type { Story } from '@feedwright/digest';
import {
  ALL_STORIES,
  type ArchiveRef,
  arrangeIssues,
  assignIssueIds,
  digestMonthOf,
  FRONT_PAGE_STORIES,
  frontIssues,
  ISSUES_INDEX_PATH,
  type Issue,
  issueArchivePath,
  issueListingFiles,
  issueMonthPath,
  issuePath,
  type Month,
  NO_ISSUE_NAV,
  renderIndex,
  renderIssueMonthArchive,
  renderIssueMonthPage,
  renderIssuePage,
  renderStoryPage,
  type ShownIssue,
  type SiteFile,
} from '@feedwright/site';
import type { IssueRecord, IssueRegistry, ObjectVersion } from '@feedwright/storage';
import { type ArchiveContext, indexedAdjacentMonths, type MonthIssues } from './archive-context.ts';
import { Listed } from './listed.ts';

/**
 * The issues of one UTC month ('yyyy-mm') as the site shows them: ONE Query of the issue registry, ids
 * decided by `assignIssueIds`, the same rule `feedwright build` applies to its digests, so the `-2`
 * suffix of colliding ids and the re-upload of a digest under another key come out the same.
 *
 * Two digests can collide only when they share a date line, hence (but for a date line whose day
 * straddles a UTC month boundary) the same month: assigning per month is what makes it one Query.
 */
export async function issuesOfMonth(registry: IssueRegistry, month: string): Promise<Issue[]> {
  return issuesOfRecords(await registry.issuesOfMonth(month));
}

/** The issues of one month's records, as {@link issuesOfMonth} gives them. */
export function issuesOfRecords(records: readonly IssueRecord[]): Issue[] {
  return assignIssueIds(records.map(issueSourceOf));
}

function issueSourceOf(record: IssueRecord) {
  return {
    title: record.title,
    summary: record.summary,
    date: record.date,
    publishedAt: record.publishedAt,
    stories: record.storyIds.map((storyId) => ({ storyId })),
  };
}

/**
 * A month's issues and the live stories they hold: ONE Query of the registry and one batch read of the
 * stories (strongly consistent), shared by the units of a batch. Ownership and visibility are decided
 * within the month, by `arrangeIssues`, the rule `feedwright build` applies.
 */
function monthIssues(month: Month, context: ArchiveContext): Promise<MonthIssues> {
  let found = context.issueMonths.get(month);
  if (found === undefined) {
    found = (async () => {
      const records = await monthRecords(month, context);
      const issues = assignIssueIds(records.map(issueSourceOf));
      // Every digest's stories, not only the issues' (a digest that lost its issue to another still
      // holds stories, whose pages must stop linking the issue).
      const ids = [...new Set(records.flatMap((record) => record.storyIds))];
      const stories = ids.length === 0 ? new Map<string, Story>() : await context.getStories(ids);
      const { shown, nav } = arrangeIssues(stories, issues);
      return { ids: new Set(issues.map((issue) => issue.issueId)), shown, nav, stories };
    })();
    context.issueMonths.set(month, found);
  }
  return found;
}

/** The issue records of a month: ONE Query of the registry, shared by the batch. */
function monthRecords(month: Month, context: ArchiveContext): Promise<readonly IssueRecord[]> {
  let found = context.issueRecords.get(month);
  if (found === undefined) {
    found = context.issues.issuesOfMonth(month);
    context.issueRecords.set(month, found);
  }
  return found;
}

/** Story ids a batch read asks for at most (DynamoDB's BatchGetItem takes 100 keys). */
const STORY_READ = 100;

/**
 * Whether a month shows an issue, without reading all its stories: it does exactly when one story an
 * issue lists is live (the newest issue listing a live story owns it, see `arrangeIssues`). The month's
 * records (ONE Query), then its issues' stories newest issue first, a batch read at a time until one is
 * live: usually one read of a digest's stories, where `monthIssues` reads every story of the month. Used
 * to find a neighbour month or the listing's "earlier" month, which need no more than that.
 */
function showsIssue(month: Month, context: ArchiveContext): Promise<boolean> {
  const full = context.issueMonths.get(month);
  if (full !== undefined) return full.then(({ shown }) => shown.length > 0);
  let found = context.issueShown.get(month);
  if (found === undefined) {
    found = (async () => {
      const issues = assignIssueIds((await monthRecords(month, context)).map(issueSourceOf));
      const newestFirst = issues.sort((a, b) =>
        a.publishedAt === b.publishedAt ? 0 : a.publishedAt < b.publishedAt ? 1 : -1,
      );
      const ids = [...new Set(newestFirst.flatMap((issue) => issue.storyIds))];
      for (let start = 0; start < ids.length; start += STORY_READ) {
        if ((await context.getStories(ids.slice(start, start + STORY_READ))).size > 0) return true;
      }
      return false;
    })();
    context.issueShown.set(month, found);
  }
  return found;
}

/**
 * The newest shown issues of a month, oldest first as `MonthIssues.shown` orders them: at least `count`
 * when the month shows that many, and every issue as new as the oldest of those (a tie in time is
 * ordered differently by the listing and the feed). An issue's own stories depend only on the issues
 * newer than it (the newest issue listing a live story owns it, see `arrangeIssues`), so they are read
 * for the newest issues only, twice as many at each step: the issue listing's last month costs the
 * issues it shows, not the whole month.
 */
async function newestShown(
  month: Month,
  count: number,
  context: ArchiveContext,
): Promise<readonly ShownIssue[]> {
  const full = context.issueMonths.get(month);
  if (full !== undefined) return (await full).shown;
  const issues = assignIssueIds((await monthRecords(month, context)).map(issueSourceOf));
  const at = (issue: Issue) => Date.parse(issue.publishedAt);
  const newestFirst = issues.sort((a, b) => at(b) - at(a) || (a.issueId < b.issueId ? 1 : -1));
  const live = new Map<string, Story>();
  let read = 0;
  for (let size = Math.max(1, count); ; size *= 2) {
    let end = Math.min(size, newestFirst.length);
    while (end < newestFirst.length && at(newestFirst[end] as Issue) === at(newestFirst[end - 1] as Issue))
      end += 1;
    const ids = [...new Set(newestFirst.slice(read, end).flatMap((issue) => issue.storyIds))];
    if (ids.length > 0) for (const [id, story] of await context.getStories(ids)) live.set(id, story);
    read = end;
    const { shown } = arrangeIssues(live, newestFirst.slice(0, end));
    if (shown.length >= count || end === newestFirst.length) return shown;
  }
}

/**
 * A live story's page with its issue navigation: the bytes its digest month's issue unit (and
 * `feedwright build`) writes for it, from the same read of the month's issues, shared by the batch.
 */
export async function storyPageOf(story: Story, context: ArchiveContext): Promise<SiteFile> {
  const { nav } = await monthIssues(digestMonth(story), context);
  return renderStoryPage(story, context.config, nav.get(story.storyId) ?? NO_ISSUE_NAV);
}

/** The UTC month of a story's digest, where its issue is filed. */
const digestMonth = (story: Story): Month => digestMonthOf(story, `story '${story.storyId}'`);

/**
 * The months with a story, from `month` towards older (`older`) or newer ones, nearest first: the
 * `all` index's months (one-item Queries), widened by the touched stories' digest months.
 */
async function* monthsFrom(month: Month, direction: 'older' | 'newer', context: ArchiveContext) {
  const touched = [...context.current.values()].map(digestMonth);
  const beyond = (candidate: Month, from: Month) =>
    direction === 'older' ? candidate < from : candidate > from;
  let from = month;
  for (;;) {
    const indexed = (await indexedAdjacentMonths(ALL_STORIES.slug, from, context))[direction];
    const candidates = [...(indexed === null ? [] : [indexed]), ...touched.filter((m) => beyond(m, from))];
    if (candidates.length === 0) return;
    from = candidates.reduce((a, b) => (beyond(a, b) ? b : a));
    yield from;
  }
}

/** The nearest month in `direction` with a shown issue, or null. */
async function nearestIssueMonth(
  month: Month,
  direction: 'older' | 'newer',
  context: ArchiveContext,
): Promise<Month | null> {
  for await (const candidate of monthsFrom(month, direction, context)) {
    if (await showsIssue(candidate, context)) return candidate;
  }
  return null;
}

/**
 * The issue unit of one UTC month: each shown issue's page, the pages of the stories they own (with
 * their issue and neighbours) and of the batch's touched stories that no issue owns yet, the month page;
 * pages of issues no longer shown removed. The month's issue and story pages are LISTed before the
 * reads, so each write is on the condition that a newer render did not change it since, and only
 * changed bodies are written. Rewrites no other month (but the neighbours' month pages when this month
 * gains its first issue or loses its last).
 */
export async function renderIssueMonth(month: Month, context: ArchiveContext): Promise<void> {
  const issuePrefix = `issues/${month}-`;
  const [listed, monthPage] = await Promise.all([
    Listed.of([issuePrefix, `stories/${month}-`], context),
    context.site.head(issueMonthPath(month)),
  ]);
  const { ids, shown, nav, stories } = await monthIssues(month, context);
  for (const { issue, stories: own } of shown) {
    await listed.write(renderIssuePage(issue, own, context.config), context);
  }
  // Every story page of the month's digests (and of touched stories whose issue is not recorded yet),
  // with its issue's navigation or none: only those whose bytes changed are written.
  const pages = new Map(stories);
  for (const story of context.current.values()) {
    if (!pages.has(story.storyId) && digestMonth(story) === month) pages.set(story.storyId, story);
  }
  for (const story of pages.values()) {
    const page = renderStoryPage(story, context.config, nav.get(story.storyId) ?? NO_ISSUE_NAV);
    await listed.write(page, context);
  }
  const shownPaths = new Set(shown.map(({ issue }) => issuePath(issue.issueId)));
  for (const path of listed.keys(issuePrefix)) {
    if (shownPaths.has(path) || !(await isStaleIssuePage(path, month, ids, context))) continue;
    await context.remove(path);
  }
  // A hidden issue dated outside the month (a non-UTC date line at the month's turn) is not listed.
  for (const issueId of ids) {
    const path = issuePath(issueId);
    if (!shownPaths.has(path) && !path.startsWith(issuePrefix)) await context.remove(path);
  }
  if (await writeIssueMonthPage(month, monthPage, context)) {
    // The month gained its first issue or lost its last: its neighbours' month links change, and a
    // neighbour's own page may appear here (the table is ahead of the stream), relinking its neighbours.
    await relinkNeighbours(
      month,
      async (neighbour) =>
        writeIssueMonthPage(neighbour, await context.site.head(issueMonthPath(neighbour)), context),
      context,
    );
  }
  if (await writeIssueArchive(month, context)) {
    // The month's number of archive parts changed (none is a number too): the neighbours' links to it.
    await relinkNeighbours(month, (neighbour) => writeIssueArchive(neighbour, context), context);
  }
}

/**
 * Rewrites the nearest months with an issue on either side of `month` with `write`, and, wave by wave,
 * the neighbours of every month whose rewrite changed what its own neighbours link (`write` resolves true).
 */
async function relinkNeighbours(
  month: Month,
  write: (neighbour: Month) => Promise<boolean>,
  context: ArchiveContext,
): Promise<void> {
  const rendered = new Set([month]);
  let wave = [month];
  while (wave.length > 0) {
    const next: Month[] = [];
    for (const moved of wave) {
      for (const direction of ['older', 'newer'] as const) {
        const neighbour = await nearestIssueMonth(moved, direction, context);
        if (neighbour === null || rendered.has(neighbour)) continue;
        rendered.add(neighbour);
        if (await write(neighbour)) next.push(neighbour);
      }
    }
    wave = next;
  }
}

/** The issue feed's newest archive document of a month (its last part), or null when it shows no issue. */
async function newestIssueArchiveRef(
  month: Month | null,
  context: ArchiveContext,
): Promise<ArchiveRef | null> {
  if (month === null) return null;
  const { shown } = await monthIssues(month, context);
  if (shown.length === 0) return null;
  // The parts depend only on the month's issues: the links are left out.
  const { parts } = renderIssueMonthArchive(month, shown, { older: null, newer: null }, context.config);
  return { month, part: parts };
}

/**
 * issues/archive/<yyyy-mm>[-n].{xml,json}, the issue feed's archive of one month, from the month's issues
 * and its neighbours' (for the links): written when changed; parts it no longer needs removed, every
 * part when it shows no issue. Resolves whether its number of parts changed (what the newer month links).
 */
async function writeIssueArchive(month: Month, context: ArchiveContext): Promise<boolean> {
  const prefix = issueArchivePath({ month, part: 1 }, 'atom').replace(/\.xml$/, '');
  const listed = await Listed.of([prefix], context);
  const before = listed.keys(prefix).filter((path) => path.endsWith('.xml')).length;
  const { shown } = await monthIssues(month, context);
  if (shown.length === 0) {
    for (const path of listed.keys(prefix)) await context.remove(path);
    return before > 0;
  }
  const [olderMonth, newer] = await Promise.all([
    nearestIssueMonth(month, 'older', context),
    nearestIssueMonth(month, 'newer', context),
  ]);
  const older = await newestIssueArchiveRef(olderMonth, context);
  const archive = renderIssueMonthArchive(month, shown, { older, newer }, context.config);
  // Put, not compared with the listing: a part's Cache-Control changes alone when a newer part or month comes.
  for (const file of archive.files) await context.put(file);
  const wanted = new Set(archive.files.map((file) => file.path));
  for (const path of listed.keys(prefix)) if (!wanted.has(path)) await context.remove(path);
  return before !== archive.parts;
}

/**
 * Whether a listed page of month `month` belongs to no issue: not one of the month's (a hidden one is
 * stale too), nor, for a date on the month's first or last day, one of the neighbour month's.
 */
async function isStaleIssuePage(
  path: string,
  month: Month,
  ids: ReadonlySet<string>,
  context: ArchiveContext,
): Promise<boolean> {
  const issueId = path.slice('issues/'.length, -'.html'.length);
  if (ids.has(issueId)) return true;
  const day = Number(issueId.slice(8, 10));
  const edge = day === 1 ? -1 : day >= 28 ? 1 : 0;
  if (edge === 0) return true;
  const date = new Date(`${month}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + edge);
  const neighbour = date.toISOString().slice(0, 7);
  return !(await monthIssues(neighbour, context)).ids.has(issueId);
}

/**
 * issues/<yyyy-mm>.html, linking the nearest months with an issue; removed when the month shows none.
 * Resolves whether the page appeared or went (`expected` is what was there): the neighbours' links to
 * the month change then.
 */
async function writeIssueMonthPage(
  month: Month,
  expected: ObjectVersion,
  context: ArchiveContext,
): Promise<boolean> {
  const { shown } = await monthIssues(month, context);
  if (shown.length === 0) {
    await context.remove(issueMonthPath(month));
    return expected !== null;
  }
  const [older, newer] = await Promise.all([
    nearestIssueMonth(month, 'older', context),
    nearestIssueMonth(month, 'newer', context),
  ]);
  const newestFirst = [...shown].reverse().map(({ issue }) => issue);
  await context.put(renderIssueMonthPage(month, newestFirst, { older, newer }, context.config), expected);
  return expected === null;
}

/**
 * issues/index.html and the issue feed: the newest shown issues (up to the feed length), read month by
 * month from the newest one with a story, and the newest month older than all of them.
 */
export async function renderIssueListings(context: ArchiveContext): Promise<void> {
  const paths = [ISSUES_INDEX_PATH, 'issues/rss.xml', 'issues/atom.xml', 'issues/feed.json', 'index.html'];
  const expected = new Map(
    await Promise.all(paths.map(async (path) => [path, await context.site.head(path)] as const)),
  );
  const newest = await context.newestStory();
  const newestFirst: ShownIssue[] = [];
  const months: Month[] = [];
  if (newest !== undefined) {
    // The issue of the newest story may be filed a month later (a digest at the very start of a month).
    const start = digestMonth(newest);
    const later = await nearestIssueMonth(start, 'newer', context);
    const walk = async function* () {
      if (later !== null) yield later;
      yield start;
      yield* monthsFrom(start, 'older', context);
    };
    for await (const month of walk()) {
      // One month past the feed length: the listing links it as "earlier", and needs to know no more.
      if (newestFirst.length >= context.config.itemsPerFeed) {
        if (!(await showsIssue(month, context))) continue;
        months.push(month);
        break;
      }
      const shown = await newestShown(month, context.config.itemsPerFeed - newestFirst.length, context);
      if (shown.length === 0) continue;
      months.push(month);
      newestFirst.push(...[...shown].reverse());
    }
  }
  // The front page: the newest issues from the same walk, the topics' bounded counts, the newest stories.
  const [topics, newestStories] = await Promise.all([
    context.topicCounts(),
    context.newestStories(FRONT_PAGE_STORIES),
  ]);
  const front = renderIndex(
    { issues: frontIssues(newestFirst, context.config), newest: newestStories, topics },
    context.config,
  );
  const newestArchive = await newestIssueArchiveRef(months[0] ?? null, context);
  for (const file of [...issueListingFiles(newestFirst, months, context.config, newestArchive), front]) {
    await context.put(file, expected.get(file.path));
  }
}

/** The shown issues of a month, for its sitemap part. */
export async function shownIssuesOf(month: Month, context: ArchiveContext): Promise<Issue[]> {
  return (await monthIssues(month, context)).shown.map(({ issue }) => issue);
}
