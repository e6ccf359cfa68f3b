/**
 * `feedwright status`: what an operator looks at first. The last digests with their outcome (ingest's
 * reports) and freshness (render's live reports), the failure queues' depths (AWS), and the last
 * reconcile (its report). Everything is read through the ports below, so that tests drive it with fakes
 * and the local stack alike.
 */

import { escapeControls } from '@feedwright/local-stack';
import type { IngestReport, ReconcileReport } from '@feedwright/pipeline';
import { BUCKET_PREFIXES, liveReportKeyFor, RECONCILE_REPORT_KEY } from '@feedwright/storage/schema';

/** One object under `reports/` in the incoming bucket. */
export interface ListedReport {
  readonly key: string;
  readonly lastModified: Date;
}

/** The incoming bucket's reports. */
export interface ReportReader {
  /** Every object under `prefix`. */
  list(prefix: string): Promise<ListedReport[]>;
  /** The object parsed as JSON, or undefined when there is none (or it is not JSON). */
  readJson(key: string): Promise<unknown>;
}

/** A failure queue to report on. */
export interface WatchedQueue {
  readonly name: string;
  readonly url: string;
}

/** Messages waiting on a queue, and those being re-run right now. */
export interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
}

/** Reads a queue's depth (SQS's approximate counts). */
export interface QueueGauge {
  depth(url: string): Promise<QueueDepth>;
}

/** One digest as `status` shows it. */
export interface DigestStatus {
  readonly key: string;
  /** ingest's outcome: `ok`, `rejected`, `withdrawn`. */
  readonly status: string;
  readonly processedAt?: string;
  readonly stories?: number;
  readonly reason?: string;
  /**
   * `live`: render made this upload live; `reconciled`: render did not say so (its stream records were
   * lost, or it failed every retry), but a reconcile that started after ingest processed the upload,
   * or re-applied it, made the site match the table; `pending`: neither yet; `none`: nothing to make live.
   */
  readonly live: 'live' | 'reconciled' | 'pending' | 'none';
  readonly freshnessMs?: number;
  /** When the reconcile that made it live finished (with `live: 'reconciled'`). */
  readonly reconciledAt?: string;
}

/** Everything `status` shows. */
export interface StatusReport {
  readonly digests: readonly DigestStatus[];
  /** Per watched queue; absent when there are none to watch (the local stack). */
  readonly queues?: readonly (WatchedQueue & QueueDepth)[];
  /** The last reconcile, or null when no run has left a report. */
  readonly reconcile: ReconcileReport | null;
}

/** What {@link collectStatus} reads. */
export interface StatusSources {
  readonly reports: ReportReader;
  readonly queues?: { readonly watched: readonly WatchedQueue[]; readonly gauge: QueueGauge };
  /** How many digests, newest report first. @default 10 */
  readonly limit?: number;
}

const REPORT_SUFFIX = '.json';
const DIGEST_REPORT_PREFIXES = [BUCKET_PREFIXES.digests, BUCKET_PREFIXES.mail].map(
  (prefix) => `${BUCKET_PREFIXES.reports}${prefix}`,
);

/** Gathers the status from the reports (and the queues, when given). */
export async function collectStatus(sources: StatusSources): Promise<StatusReport> {
  const limit = sources.limit ?? 10;
  const listed = (await sources.reports.list(BUCKET_PREFIXES.reports)).filter(
    (object) =>
      DIGEST_REPORT_PREFIXES.some((prefix) => object.key.startsWith(prefix)) &&
      object.key.endsWith(REPORT_SUFFIX),
  );
  const newest = listed
    .sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime() || (a.key < b.key ? -1 : 1))
    .slice(0, limit);
  const read = await sources.reports.readJson(RECONCILE_REPORT_KEY);
  const reconcile = isReconcileReport(read) ? read : null;
  const digests = await Promise.all(
    newest.map((object) => digestStatus(sources.reports, object.key, reconcile)),
  );
  const watch = sources.queues;
  const queues =
    watch === undefined
      ? undefined
      : await Promise.all(
          watch.watched.map(async (queue) => ({ ...queue, ...(await watch.gauge.depth(queue.url)) })),
        );
  return {
    digests: digests.filter((digest) => digest !== undefined),
    ...(queues === undefined ? {} : { queues }),
    reconcile,
  };
}

async function digestStatus(
  reader: ReportReader,
  reportKey: string,
  reconcile: ReconcileReport | null,
): Promise<DigestStatus | undefined> {
  const digestKey = reportKey.slice(BUCKET_PREFIXES.reports.length, -REPORT_SUFFIX.length);
  const report = await reader.readJson(reportKey);
  if (!isIngestReport(report)) return undefined;
  const makesLive = report.status === 'ok' || report.status === 'withdrawn';
  const live = makesLive ? await reader.readJson(liveReportKeyFor(digestKey)) : undefined;
  // The live report is of this upload only when it names the same S3 event.
  const isThisUpload = isRecord(live) && live.sequencer === report.sequencer;
  const freshnessMs = isThisUpload && typeof live.freshnessMs === 'number' ? live.freshnessMs : undefined;
  return {
    key: digestKey,
    status: report.status,
    ...(report.processedAt === undefined ? {} : { processedAt: report.processedAt }),
    ...(report.status === 'ok' ? { stories: report.stories.total } : {}),
    ...(report.status === 'withdrawn' ? { stories: report.stories.withdrawn } : {}),
    ...(report.reason === undefined
      ? {}
      : { reason: report.code ? `${report.code}: ${report.reason}` : report.reason }),
    ...liveness(digestKey, makesLive, isThisUpload, report.processedAt, reconcile),
    ...(freshnessMs === undefined ? {} : { freshnessMs }),
  };
}

/**
 * Whether an upload is live. A reconcile first re-applies the digests that need it, then builds the
 * site from what the table holds: one that started after ingest processed the upload, or that
 * re-applied it itself (and names it), has made it live, whatever became of its render.
 */
function liveness(
  digestKey: string,
  makesLive: boolean,
  isThisUpload: boolean,
  processedAt: string | undefined,
  reconcile: ReconcileReport | null,
): Pick<DigestStatus, 'live' | 'reconciledAt'> {
  if (!makesLive) return { live: 'none' };
  if (isThisUpload) return { live: 'live' };
  const processed = processedAt === undefined ? Number.NaN : Date.parse(processedAt);
  // The report is read from the bucket and checked for its counts only: a list may be missing.
  const reconciled =
    reconcile !== null &&
    (processed < Date.parse(reconcile.startedAt) ||
      ((reconcile.reapplied as readonly string[] | undefined)?.includes(digestKey) === true &&
        processed <= Date.parse(reconcile.finishedAt)));
  return reconciled ? { live: 'reconciled', reconciledAt: reconcile.finishedAt } : { live: 'pending' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIngestReport(value: unknown): value is IngestReport {
  return (
    isRecord(value) &&
    typeof value.status === 'string' &&
    typeof value.sequencer === 'string' &&
    isRecord(value.stories)
  );
}

function isReconcileReport(value: unknown): value is ReconcileReport {
  return isRecord(value) && typeof value.finishedAt === 'string' && isRecord(value.counts);
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function digestLine(digest: DigestStatus): string {
  const when = digest.processedAt ?? '(no time)';
  const what =
    digest.status === 'ok'
      ? `published, ${digest.stories ?? 0} ${digest.stories === 1 ? 'story' : 'stories'}`
      : digest.status === 'withdrawn'
        ? `withdrawn, ${digest.stories ?? 0} ${digest.stories === 1 ? 'story' : 'stories'} removed`
        : digest.status === 'rejected'
          ? `REJECTED: ${escapeControls(digest.reason ?? 'no reason given')}`
          : escapeControls(digest.status);
  const live =
    digest.live === 'live'
      ? digest.freshnessMs === undefined
        ? 'live'
        : `live ${seconds(digest.freshnessMs)} after upload`
      : digest.live === 'reconciled'
        ? `live (by the reconcile that finished ${digest.reconciledAt ?? 'last'})`
        : digest.live === 'pending'
          ? 'NOT LIVE YET'
          : '';
  return `  ${when}  ${escapeControls(digest.key)}  ${what}${live === '' ? '' : `; ${live}`}`;
}

function namesOf(names: readonly string[], count: number): string {
  if (count === 0) return '';
  const shown = names
    .slice(0, 5)
    .map((name) => escapeControls(name))
    .join(', ');
  return ` (${shown}${count > 5 ? `, … ${count - 5} more` : ''})`;
}

/** The report as the lines `feedwright status` prints. */
export function formatStatus(report: StatusReport): string[] {
  const lines: string[] = [];
  lines.push(
    report.digests.length === 0
      ? 'Digests: none reported yet.'
      : `Last ${report.digests.length} digest${report.digests.length === 1 ? '' : 's'} (newest first):`,
  );
  for (const digest of report.digests) lines.push(digestLine(digest));
  if (report.queues === undefined) {
    lines.push('Failure queues: none here (the local stack logs failed work instead).');
  } else {
    lines.push('Failure queues:');
    for (const queue of report.queues) {
      const state = queue.visible === 0 ? 'empty' : `${queue.visible} waiting (run feedwright redrive)`;
      lines.push(`  ${queue.name}: ${state}${queue.inFlight > 0 ? `, ${queue.inFlight} in flight` : ''}`);
    }
  }
  const last = report.reconcile;
  if (last === null) {
    lines.push('Last reconcile: none reported yet.');
  } else {
    const { counts } = last;
    // A new stack's first site is no repair (reports of earlier versions have no firstSite).
    const firstSite = last.firstSite === true;
    const repaired = firstSite ? 0 : counts.reapplied + counts.withdrawn + counts.written + counts.deleted;
    const outcome = firstSite
      ? `wrote the first site (${counts.written} objects: no digest yet)`
      : repaired === 0
        ? 'nothing to repair'
        : `REPAIRED ${repaired}:`;
    lines.push(`Last reconcile: ${last.finishedAt}, ${last.digests} digests, ${outcome}`);
    if (repaired > 0) {
      lines.push(`  digests re-applied: ${counts.reapplied}${namesOf(last.reapplied, counts.reapplied)}`);
      lines.push(`  digests withdrawn: ${counts.withdrawn}${namesOf(last.withdrawn, counts.withdrawn)}`);
      lines.push(`  site objects written: ${counts.written}${namesOf(last.written, counts.written)}`);
      lines.push(`  site objects deleted: ${counts.deleted}${namesOf(last.deleted, counts.deleted)}`);
    }
  }
  return lines;
}
