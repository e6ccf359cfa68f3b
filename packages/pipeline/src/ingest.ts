import {
  acceptDigest,
  DEFAULT_MAX_DIGEST_BYTES,
  type Digest,
  DigestError,
  tooLargeError,
} from '@feedwright/digest';
import type { SenderPolicy } from '@feedwright/mail';
import {
  type ApplyResult,
  type DigestSource,
  type IssueRegistry,
  NO_STORY_COUNTS,
  type RedirectStore,
  type StoryStore,
} from '@feedwright/storage';
import { digestKeyProblem, type KeyLimits, reportKeyFor } from '@feedwright/storage/schema';
import type { PipelineLogger } from './logger.ts';
import type { IngestReport } from './report.ts';
import { type DigestEvent, isMailKey } from './s3-events.ts';

/** What ingest needs: the incoming bucket, the story store, and the digest settings. */
export interface IngestServices {
  readonly source: DigestSource;
  readonly stories: StoryStore;
  /**
   * Where each applied digest's issue (title, summary, date, story ids) is recorded, and a deleted
   * digest's issue withdrawn, for the site's issue pages and feed.
   * @default undefined - no issues are recorded
   */
  readonly issues?: IssueRegistry;
  /**
   * Where an upload's renamed stories (a corrected headline: a new id) are recorded, so that the old
   * address leads to the story (see `RedirectStore`).
   * @default undefined - no redirects are recorded
   */
  readonly redirects?: RedirectStore;
  /** @default DEFAULT_MAX_DIGEST_BYTES (5 MiB) */
  readonly maxDigestBytes?: number;
  /** IANA zone the digests' wall times are read in. @default 'UTC' */
  readonly timezone?: string;
  /**
   * Who may publish by mail (`mail/` objects): the allow-list, and whether SES's verdicts are
   * required. Without one, every mailed digest is refused.
   * @default undefined - mail is refused
   */
  readonly mail?: SenderPolicy;
  /**
   * The keys the incoming bucket can hold: a digest whose key, or its report's key, would pass them
   * (or that has a `.` or `..` part) is refused (see `digestKeyProblem`).
   * @default S3_KEY_LIMITS
   */
  readonly keyLimits?: KeyLimits;
  readonly logger?: PipelineLogger;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The report of one event, and whether it was written to the bucket. */
export interface IngestResult {
  readonly report: IngestReport;
  /** `false` for skipped events: their report must not overwrite the live upload's. */
  readonly persisted: boolean;
}

/**
 * Ingests one digest event. A created event is size-checked from the event (before reading), and the
 * exact version it names is read and accepted by `acceptDigest` (decoded, parsed, checked against the
 * story limits; a `mail/` object is read as e-mail first, see `acceptMailDigest`), and its stories
 * made the digest's stories. A removal event (which on a versioned bucket may be the delete of one old version, or of a delete
 * marker: an undelete) withdraws the digest only if the key has no current object; otherwise the current
 * version is applied again, so undelete and rollback both work. The report goes to `reports/<key>.json`
 * in the same bucket; a retry of an applied event writes it if it is missing.
 *
 * Rejections (bad input) resolve with a `rejected` report and leave the table and the object alone.
 * Failures of the store or the bucket reject the promise, so that Lambda retries the event; a retry
 * resumes where the failed attempt stopped (see `TableStoryStore`).
 */
export async function ingestDigestEvent(event: DigestEvent, services: IngestServices): Promise<IngestResult> {
  const keyProblem = digestKeyProblem(event.key, services.keyLimits);
  const outcome =
    keyProblem !== undefined
      ? refusedKey(event, services, keyProblem)
      : event.kind === 'removed'
        ? await removed(event, services)
        : await applyVersion(event, services, event.versionId, event.size);
  const { ifMissing, settle, ...rest } = outcome;
  const reportKey = reportKeyFor(event.key, services.keyLimits);
  // A duplicate of the applied event: its first delivery may have stopped right after the commit, before
  // the report (an unsettled manifest: the report there, if any, is an older upload's).
  const repair =
    ifMissing !== undefined && (settle || !(await services.source.hasReport(event.bucket, reportKey)));
  const chosen = repair && ifMissing ? ifMissing : rest;
  const report: IngestReport = {
    ...chosen,
    ...(event.eTag === undefined ? {} : { eTag: event.eTag }),
    ...(event.versionId === undefined ? {} : { versionId: event.versionId }),
    processedAt: (services.now?.() ?? new Date()).toISOString(),
  };
  const persisted = report.status !== 'skipped';
  if (persisted) await services.source.putReport(event.bucket, reportKey, report);
  // The last write: until it, reconcile takes the digest for unfinished (see `StoryStore.settleDigest`).
  if (settle) await services.stories.settleDigest(changeOf(event));
  return { report, persisted };
}

type Outcome = Omit<IngestReport, 'processedAt'> & {
  /**
   * For a duplicate of the applied event: its report, written when the first delivery did not settle
   * the digest, or when the bucket has none.
   */
  readonly ifMissing?: Omit<IngestReport, 'processedAt'>;
  /** This event is the applied one and is not settled yet: settle it once its report is written. */
  readonly settle?: boolean;
};

function changeOf(event: DigestEvent): { key: string; sequencer: string; at?: string } {
  return {
    key: event.key,
    sequencer: event.sequencer,
    ...(event.eventTime === undefined ? {} : { at: event.eventTime }),
  };
}

/** A removal: withdraw if the key has no current object, else apply the current version again. */
async function removed(event: DigestEvent, services: IngestServices): Promise<Outcome> {
  const current = await services.source.headSize(event.bucket, event.key);
  if (current !== undefined) return applyVersion(event, services, undefined, current);
  const change = changeOf(event);
  const result = await services.stories.withdrawDigest(change);
  // A duplicate too: its first delivery may have stopped between the stories and the issue.
  if (result.outcome === 'applied' || result.outcome === 'duplicate') {
    await services.issues?.withdrawIssue(change);
  }
  const withdrawn: Outcome = {
    status: 'withdrawn',
    key: event.key,
    sequencer: event.sequencer,
    stories: result.counts,
    warnings: [],
  };
  return outcomeOf(event, result, withdrawn);
}

/** The outcome of an event the store applied, found a duplicate of, or skipped. */
function outcomeOf(event: DigestEvent, result: ApplyResult, done: Outcome): Outcome {
  if (result.outcome === 'applied') return { ...done, settle: true };
  return result.outcome === 'duplicate'
    ? { ...skipped(event, result), ifMissing: done, settle: result.settled !== true }
    : skipped(event, result);
}

/** Reads one version of the object (the current one when `versionId` is absent) and applies it. */
async function applyVersion(
  event: DigestEvent,
  services: IngestServices,
  versionId: string | undefined,
  knownSize: number | undefined,
): Promise<Outcome> {
  const maxBytes = services.maxDigestBytes ?? DEFAULT_MAX_DIGEST_BYTES;
  const size = knownSize ?? (await services.source.headSize(event.bucket, event.key, versionId));
  if (size === undefined) return gone(event);
  if (size > maxBytes) return reject(event, services, tooLargeError(size, maxBytes));

  const read = await services.source.getBytes(event.bucket, event.key, {
    maxBytes,
    ...(versionId === undefined ? {} : { versionId }),
  });
  if (read.kind === 'missing') return gone(event);
  if (read.kind === 'too-large') return reject(event, services, tooLargeError(read.size, maxBytes));

  let digest: Digest;
  try {
    const options = { maxBytes, timezone: services.timezone ?? 'UTC' };
    digest = isMailKey(event.key)
      ? await acceptMail(read.bytes, options, services.mail)
      : acceptDigest(read.bytes, options);
  } catch (error) {
    if (error instanceof DigestError && error.code === 'SENDER_REFUSED' && isMailKey(event.key)) {
      return refuseSender(event, services, error);
    }
    if (error instanceof DigestError) return reject(event, services, error);
    throw error;
  }

  const change = { ...changeOf(event), ...(read.eTag === undefined ? {} : { eTag: read.eTag }) };
  const result = await services.stories.applyDigest(change, digest.stories);
  // After the stories, so a listed issue never names a story not yet written; a duplicate repairs a crash in between.
  if (result.outcome === 'applied' || result.outcome === 'duplicate') {
    await services.issues?.recordIssue(change, digest);
    // Before the settle too, so a crash in between is repaired by the retry or by reconcile.
    if (result.renamed !== undefined) await services.redirects?.recordRedirects(result.renamed);
  }
  const applied: Outcome = {
    status: 'ok',
    key: event.key,
    sequencer: event.sequencer,
    stories: result.counts,
    ...(result.held === undefined ? {} : { held: result.held }),
    ...(result.renamed === undefined ? {} : { renamed: result.renamed }),
    warnings: digest.warnings,
    digest: { title: digest.title, date: digest.date, publishedAt: digest.publishedAt },
  };
  return outcomeOf(event, result, applied);
}

/**
 * A `mail/` object: read as a mailed message (the sender checked first, then its text part), then
 * the same parser and limits as a file (`acceptMailDigest`).
 */
async function acceptMail(
  bytes: Uint8Array,
  options: { readonly maxBytes: number; readonly timezone: string },
  policy: SenderPolicy | undefined,
): Promise<Digest> {
  if (policy === undefined) {
    throw new DigestError(
      'SENDER_REFUSED',
      'mailed digests are not accepted here: no allowed senders are configured (deploy with -c mailDomain=… -c allowedSenders=…)',
    );
  }
  // Loaded here, not with the module: MIME, HTML and every charset's tables are for `mail/` keys
  // only, and a function that never meets one never loads them (docs/performance.md).
  const { acceptMailDigest } = await import('./mail-reading.ts');
  return (await acceptMailDigest(bytes, { ...options, policy })).digest;
}

/**
 * A mailed digest whose sender the policy refuses. A `mail/` object never changes, so when its
 * stories are live the policy was tightened since it was published: what the policy now refuses
 * is withdrawn, not left live as a rejected re-upload of a file would be.
 */
async function refuseSender(
  event: DigestEvent,
  services: IngestServices,
  error: DigestError,
): Promise<Outcome> {
  const rejected = await reject(event, services, error);
  if (rejected.status !== 'rejected') return rejected;
  if ((await services.stories.digestStoryIds(event.key)).length === 0) return rejected;
  const change = changeOf(event);
  const result = await services.stories.withdrawDigest(change);
  if (result.outcome === 'applied' || result.outcome === 'duplicate')
    await services.issues?.withdrawIssue(change);
  return result.outcome === 'applied' ? { ...rejected, stories: result.counts, settle: true } : rejected;
}

async function reject(event: DigestEvent, services: IngestServices, error: DigestError): Promise<Outcome> {
  // A rejection writes nothing to the table, but its report could still overwrite a newer upload's.
  const order = await services.stories.orderOf({ key: event.key, sequencer: event.sequencer });
  if (order === 'older') {
    return skippedReport(
      event,
      'a newer upload of this key was processed already; this older event was ignored',
    );
  }
  services.logger?.warn('digest rejected', { key: event.key, code: error.code, reason: error.message });
  return {
    status: 'rejected',
    key: event.key,
    sequencer: event.sequencer,
    stories: NO_STORY_COUNTS,
    warnings: [],
    reason: error.message,
    code: error.code,
  };
}

/**
 * A key no digest may have (a `.` or `..` part, or too long for its report): refused before the
 * object is read, whether it was written or deleted, so nothing is applied or withdrawn under it.
 */
function refusedKey(event: DigestEvent, services: IngestServices, problem: string): Outcome {
  services.logger?.warn('digest key refused', { key: event.key, reason: problem });
  return {
    status: 'rejected',
    key: event.key,
    sequencer: event.sequencer,
    stories: NO_STORY_COUNTS,
    warnings: [],
    reason: problem,
    code: 'BAD_KEY',
  };
}

function gone(event: DigestEvent): Outcome {
  return skippedReport(event, 'the object is gone (deleted since this event); its delete event withdraws it');
}

const SKIP_REASONS: Record<Exclude<ApplyResult['outcome'], 'applied'>, string> = {
  duplicate: 'this event was processed already (a duplicate delivery); nothing changed',
  older: 'a newer upload of this key was processed already; this older event was ignored',
  superseded: 'a newer upload of this key took over while this one was being applied',
};

function skipped(event: DigestEvent, result: ApplyResult): Outcome {
  const outcome = result.outcome === 'applied' ? 'duplicate' : result.outcome;
  return { ...skippedReport(event, SKIP_REASONS[outcome]), stories: result.counts };
}

function skippedReport(event: DigestEvent, reason: string): Outcome {
  return {
    status: 'skipped',
    key: event.key,
    sequencer: event.sequencer,
    stories: NO_STORY_COUNTS,
    warnings: [],
    reason,
  };
}
