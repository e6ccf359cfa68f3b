import { DEFAULT_MAX_DIGEST_BYTES, DigestError } from '@feedwright/digest';
import type { SenderPolicy } from '@feedwright/mail';
import {
  buildSite,
  digestMonthOf,
  isSearchPath,
  renderRedirectPage,
  type SiteConfig,
  type SiteFile,
} from '@feedwright/site';
import {
  type CdnInvalidator,
  type DigestSource,
  type IssueRecord,
  type IssueRegistry,
  type LiveStory,
  type ManifestItem,
  md5,
  nextSequencer,
  type RedirectStore,
  resolveRedirect,
  type SiteStore,
  type StoryStore,
} from '@feedwright/storage';
import { BUCKET_PREFIXES, type KeyLimits, RECONCILE_REPORT_KEY } from '@feedwright/storage/schema';
import type { PipelineLogger } from './logger.ts';
import { issuesOfRecords } from './render-issues.ts';
import type { IngestReport } from './report.ts';
import type { DigestEvent } from './s3-events.ts';

/**
 * The story store reads reconcile needs on top of ingest's: manifests by key, every live story, and the
 * redirect records (which a re-applied digest may add to).
 */
export interface ReconcileStore extends StoryStore, RedirectStore {
  manifests(keys: readonly string[]): Promise<Map<string, ManifestItem>>;
  liveStories(): Promise<LiveStory[]>;
}

/** What reconcile needs: the incoming bucket, the table, the site bucket and the site settings. */
export interface ReconcileServices {
  readonly source: DigestSource;
  readonly incomingBucket: string;
  readonly stories: ReconcileStore;
  /** Where a re-applied digest's issue is recorded (or withdrawn), as ingest does. @default undefined - none */
  readonly issues?: IssueRegistry;
  readonly site: SiteStore;
  readonly config: SiteConfig;
  /** @default DEFAULT_MAX_DIGEST_BYTES */
  readonly maxDigestBytes?: number;
  /** @default 'UTC' */
  readonly timezone?: string;
  /** Who may publish by mail, as for ingest: `mail/` objects are re-applied under the same rule. */
  readonly mail?: SenderPolicy;
  /** The keys the incoming bucket can hold, as for ingest. @default S3_KEY_LIMITS */
  readonly keyLimits?: KeyLimits;
  readonly logger?: PipelineLogger;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** The CDN in front of the site: the paths reconcile wrote or deleted are invalidated in one call. */
  readonly cdn?: CdnInvalidator;
  /**
   * The site has the archive (render's `archive` switch, on unless turned off): the bucket is made equal
   * to `buildSite(stories, config, { issues })`, the issues read from `issues` month by month as render
   * reads them, so reconcile never deletes what render wrote.
   * @default true
   */
  readonly archive?: boolean;
}

/** What one reconcile found and did. */
export interface ReconcileResult {
  /** Current digests in the incoming bucket. */
  readonly digests: number;
  /**
   * Digests whose current version was applied again (new, changed, pending or wrongly withdrawn), or
   * finished (applied, but a crash came before its issue record or report).
   */
  readonly reapplied: readonly string[];
  /** Digest keys with no current object whose stories were withdrawn (or whose withdrawal was finished). */
  readonly withdrawn: readonly string[];
  /**
   * Site objects written (missing or stale), deleted (extra, and written by the pipeline), and left
   * alone (the operator's own objects count here too).
   */
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  readonly unchanged: number;
  /**
   * The run wrote the first site of a stack that has no digest yet (its front page, empty feeds…) into a
   * bucket that held none of those objects, and changed nothing else: a new stack's start, not a
   * repair. Nothing had been lost, so the repairs counted for the alarm leave these writes out.
   */
  readonly firstSite: boolean;
}

/**
 * What a reconcile run leaves at `RECONCILE_REPORT_KEY` in the incoming bucket for `feedwright status`:
 * the counts, and the first {@link NAMED_REPAIRS} names of each kind of repair.
 */
export interface ReconcileReport {
  /** When the run started and finished (ISO 8601). */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly digests: number;
  readonly unchanged: number;
  readonly counts: {
    readonly reapplied: number;
    readonly withdrawn: number;
    readonly written: number;
    readonly deleted: number;
  };
  readonly reapplied: readonly string[];
  readonly withdrawn: readonly string[];
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  /** See {@link ReconcileResult.firstSite}; absent in the reports of earlier versions. */
  readonly firstSite?: boolean;
}

/** A log line and a report name at most this many repaired digests and objects of each kind. */
const NAMED_REPAIRS = 50;

/**
 * Repairs any divergence between the incoming bucket, the table and the site bucket, whatever lost
 * events, retries or crashes caused it:
 * 1. every current digest whose manifest does not record its current version (by ETag), or is pending
 *    or withdrawn, has its current version applied again; the stories of keys with no current object
 *    are withdrawn. Both go through ingest, with a sequencer one above the manifest's, so a real event
 *    still in flight (always newer) wins after it. A digest whose manifest is applied but not settled
 *    (a crash after the commit, before the issue record or the report) has that event delivered again,
 *    as a duplicate, which writes them; deleted digests are found by their reports and live issues.
 * 2. the site bucket is made to equal what the live stories render to (`buildSite`): missing and
 *    stale objects written, extra ones deleted if the pipeline wrote them (they carry its content hash:
 *    an operator's `robots.txt` or `.well-known/…` stays), but the search page and index, which the
 *    search indexer keeps (see `isSearchPath`).
 * Cheap when nothing differs: one listing of each bucket (and of the reports), one batch read of the
 * manifests, one paginated Query of the live stories, and MD5s compared with the listed ETags; nothing
 * is written.
 */
export async function reconcile(services: ReconcileServices): Promise<ReconcileResult> {
  const { source, incomingBucket: bucket, stories } = services;
  // Mailed digests (`mail/`) hold stories as uploaded ones do: without them here, reconcile would
  // take their stories for orphans and withdraw them.
  const listed = [
    ...(await source.listObjects(bucket, BUCKET_PREFIXES.digests)),
    ...(await source.listObjects(bucket, BUCKET_PREFIXES.mail)),
  ];
  const objects = new Map(
    listed.filter((object) => !object.key.endsWith('/')).map((object) => [object.key, object.eTag]),
  );
  let live = await stories.liveStories();
  let records = await issueRecordsOf(live, services.issues);
  const holders = new Set(live.flatMap((entry) => entry.holders));
  // A deleted digest is found by its report or its issue: a crash after its delete's commit may have
  // left the report of its last upload, or its issue live.
  const reported = (await source.listObjects(bucket, BUCKET_PREFIXES.reports)).flatMap((object) => {
    const key = digestKeyOfReport(object.key);
    return key === undefined ? [] : [key];
  });
  const issued = [...records.values()].flat().map((record) => record.digestKey);
  const keys = [...new Set([...objects.keys(), ...holders, ...reported, ...issued])].sort();
  const manifests = await stories.manifests(keys);
  const eventTime = (services.now?.() ?? new Date()).toISOString();
  const startedAt = eventTime;

  const reapplied: string[] = [];
  const withdrawn: string[] = [];
  for (const key of keys) {
    const manifest = manifests.get(key);
    const present = objects.has(key);
    const eTag = objects.get(key);
    const current = present
      ? manifest !== undefined &&
        manifest.state === 'applied' &&
        !manifest.deleted &&
        eTag !== undefined &&
        manifest.eTag === eTag
      : !holders.has(key) && (manifest === undefined || manifest.deleted);
    // A live mailed digest whose sender the policy now refuses (a tightened allow-list) is applied
    // again, which withdraws it; one that is not live stays as it is.
    const refused = present && current && manifest !== undefined && (await isRefusedMail(services, key));
    if (current && !refused && (manifest === undefined || manifest.settled === true)) continue;
    const event: DigestEvent = {
      kind: present ? 'created' : 'removed',
      bucket,
      key,
      // An applied event that was not settled (its issue record or report may be missing) is delivered
      // again as itself, a duplicate, which writes what it lacks; anything else is applied anew.
      sequencer:
        current && !refused && manifest !== undefined
          ? manifest.sequencer
          : nextSequencer(manifest?.sequencer),
      eventName: present ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
      eventTime,
      // As S3's event would: the report names the version it is about, which `publish` waits for.
      ...(eTag === undefined ? {} : { eTag }),
    };
    // Loaded for a digest to apply or withdraw only: most runs find none, and need no digest parser.
    const { ingestDigestEvent } = await import('./ingest.ts');
    const { report } = await ingestDigestEvent(event, {
      source,
      stories,
      redirects: stories,
      ...(services.issues === undefined ? {} : { issues: services.issues }),
      ...(services.maxDigestBytes === undefined ? {} : { maxDigestBytes: services.maxDigestBytes }),
      ...(services.timezone === undefined ? {} : { timezone: services.timezone }),
      ...(services.mail === undefined ? {} : { mail: services.mail }),
      ...(services.keyLimits === undefined ? {} : { keyLimits: services.keyLimits }),
      ...(services.logger === undefined ? {} : { logger: services.logger }),
      ...(services.now === undefined ? {} : { now: services.now }),
    });
    if (refused) {
      withdrawn.push(key);
      continue;
    }
    if (present && isRejectedWithoutChange(report, manifest)) continue;
    (present ? reapplied : withdrawn).push(key);
  }

  if (reapplied.length + withdrawn.length > 0) {
    live = await stories.liveStories();
    records = await issueRecordsOf(live, services.issues);
  }
  const site = await reconcileSite(services, live, records);
  const changed = [...site.written, ...site.deleted];
  if (services.cdn !== undefined && changed.length > 0) await services.cdn.invalidate(changed);
  const { present: alreadyThere, ...siteResult } = site;
  // No digest, and none of the site's objects there before: a new stack's front page and empty feeds,
  // written for the first time. Nothing was lost, so it is not a repair.
  const firstSite =
    objects.size === 0 &&
    reapplied.length + withdrawn.length + site.deleted.length + alreadyThere === 0 &&
    site.written.length > 0;
  const result: ReconcileResult = { digests: objects.size, reapplied, withdrawn, ...siteResult, firstSite };
  const report = reconcileReport(result, startedAt, (services.now?.() ?? new Date()).toISOString());
  // A repair means something upstream went wrong: the line names what was repaired, for the alarm's reader.
  services.logger?.info('reconciled', {
    digests: report.digests,
    counts: report.counts,
    reapplied: report.reapplied,
    withdrawnDigests: report.withdrawn,
    written: report.written,
    deleted: report.deleted,
    firstSite: report.firstSite,
  });
  await services.source.putReport(bucket, RECONCILE_REPORT_KEY, report);
  return result;
}

function reconcileReport(result: ReconcileResult, startedAt: string, finishedAt: string): ReconcileReport {
  const named = (list: readonly string[]): string[] => list.slice(0, NAMED_REPAIRS);
  return {
    startedAt,
    finishedAt,
    digests: result.digests,
    unchanged: result.unchanged,
    counts: {
      reapplied: result.reapplied.length,
      withdrawn: result.withdrawn.length,
      written: result.written.length,
      deleted: result.deleted.length,
    },
    reapplied: named(result.reapplied),
    withdrawn: named(result.withdrawn),
    written: named(result.written),
    deleted: named(result.deleted),
    firstSite: result.firstSite,
  };
}

/**
 * Whether `key` is a mailed digest whose sender the policy refuses now (its headers read again):
 * one GET per live mailed digest and reconcile, the price of a policy change taking effect.
 */
async function isRefusedMail(services: ReconcileServices, key: string): Promise<boolean> {
  if (services.mail === undefined || !key.startsWith(BUCKET_PREFIXES.mail)) return false;
  const read = await services.source.getBytes(services.incomingBucket, key, {
    maxBytes: services.maxDigestBytes ?? DEFAULT_MAX_DIGEST_BYTES,
  });
  if (read.kind !== 'found') return false;
  try {
    // Mail parsing loads with the first live mailed digest, as in ingest.
    const { senderRefusalOf } = await import('./mail-reading.ts');
    return (await senderRefusalOf(read.bytes, services.mail)) !== undefined;
  } catch (error) {
    // A message that cannot be read is ingest's to reject; it was applied once, so leave it.
    if (error instanceof DigestError) return false;
    throw error;
  }
}

/** `reports/digests/a.txt.json` → `digests/a.txt`; `undefined` for a report of no digest prefix. */
function digestKeyOfReport(reportKey: string): string | undefined {
  if (!reportKey.startsWith(BUCKET_PREFIXES.reports) || !reportKey.endsWith('.json')) return undefined;
  const key = reportKey.slice(BUCKET_PREFIXES.reports.length, -'.json'.length);
  return key.startsWith(BUCKET_PREFIXES.digests) || key.startsWith(BUCKET_PREFIXES.mail) ? key : undefined;
}

/** A rejected current version leaves the table as it was; it is not counted as re-applied. */
function isRejectedWithoutChange(report: IngestReport, manifest: ManifestItem | undefined): boolean {
  return report.status === 'rejected' && manifest !== undefined;
}

/** The site bucket made equal to `buildSite` of the live stories (with the archive when switched on). */
async function reconcileSite(
  services: ReconcileServices,
  live: readonly LiveStory[],
  records: ReadonlyMap<string, readonly IssueRecord[]>,
): Promise<Pick<ReconcileResult, 'written' | 'deleted' | 'unchanged'> & { readonly present: number }> {
  const stories = live.map((entry) => entry.story);
  const issues = [...records.values()].flatMap((month) => issuesOfRecords(month));
  const wanted = [
    ...buildSite(stories, services.config, services.archive === false ? {} : { issues }),
    ...redirectPages(await services.stories.redirects(), live, services.config),
  ];
  const listed = new Map((await services.site.list()).map((object) => [object.key, object.eTag]));
  const written: string[] = [];
  let unchanged = 0;
  // How many of the site's objects were there already, whatever their bytes.
  let present = 0;
  for (const file of wanted) {
    const eTag = listed.get(file.path);
    if (eTag !== undefined) present += 1;
    // The listing's ETag is the body's MD5; headers are checked by putIfChanged only when the body differs.
    if (eTag !== undefined && eTag === md5(file.body)) {
      unchanged += 1;
      continue;
    }
    const result = await services.site.putIfChanged(file);
    if (result === 'written') written.push(file.path);
    else unchanged += 1;
  }
  const paths = new Set(wanted.map((file) => file.path));
  const deleted: string[] = [];
  for (const path of listed.keys()) {
    // The search page and index are the search indexer's: it rebuilds them after the stories change.
    if (paths.has(path) || isSearchPath(path)) continue;
    const result = await services.site.delete(path);
    if (result === 'deleted') deleted.push(path);
    else if (result === 'foreign') unchanged += 1;
  }
  return { written, deleted, unchanged, present };
}

/**
 * The redirect pages the table's redirect records call for: `stories/<from>.html` of each old id that is
 * not live and leads to a live story (`resolveRedirect`). What the site holds beyond `buildSite`.
 */
export function redirectPages(
  redirects: ReadonlyMap<string, string>,
  live: readonly LiveStory[],
  config: SiteConfig,
): SiteFile[] {
  const liveIds = new Set(live.map((entry) => entry.story.storyId));
  return [...redirects.keys()].sort().flatMap((from) => {
    const to = resolveRedirect(from, redirects, (id) => liveIds.has(id));
    return to === undefined ? [] : [renderRedirectPage({ from, to }, config)];
  });
}

/**
 * The issue records of the months the live stories' digests are filed in, by month (sorted): one Query
 * a month.
 */
async function issueRecordsOf(
  live: readonly LiveStory[],
  registry: IssueRegistry | undefined,
): Promise<Map<string, IssueRecord[]>> {
  if (registry === undefined) return new Map();
  const months = [
    ...new Set(live.map(({ story }) => digestMonthOf(story, `story '${story.storyId}'`))),
  ].sort();
  return new Map(
    await Promise.all(months.map(async (month) => [month, await registry.issuesOfMonth(month)] as const)),
  );
}

export { nextSequencer };
