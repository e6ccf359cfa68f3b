import {
  DEFAULT_MAX_DIGEST_BYTES,
  type Digest,
  DigestError,
  decodeDigest,
  parseDigest,
  tooLargeError,
} from '@feedwright/digest';
import { assertRenderable, SiteInputError } from '@feedwright/site';
import type { ApplyResult, DigestSource, StoryStore } from '@feedwright/storage';
import type { PipelineLogger } from './logger.ts';
import { type IngestReport, NO_STORIES, reportKeyFor } from './report.ts';
import type { DigestEvent } from './s3-events.ts';

/** Limits beyond the byte size, so that one digest always fits the table's item limits. */
export const INGEST_LIMITS = {
  /** Stories per digest: the manifest lists their ids in one item (400 KB). A daily digest has ~10–40. */
  maxStories: 1000,
  /** UTF-8 bytes of one story's text: a DynamoDB item holds at most 400 KB, and stories share it with keys. */
  maxStoryBytes: 300 * 1024,
} as const;

/** What ingest needs: the incoming bucket, the story store, and the digest settings. */
export interface IngestServices {
  readonly source: DigestSource;
  readonly stories: StoryStore;
  /** @default DEFAULT_MAX_DIGEST_BYTES (5 MiB) */
  readonly maxDigestBytes?: number;
  /** IANA zone the digests' wall times are read in. @default 'UTC' */
  readonly timezone?: string;
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
 * Ingests one digest event: a created object is size-checked from the event (before reading), read,
 * decoded and parsed, and its stories made the digest's stories; a removed object's stories are
 * withdrawn. The report goes to `reports/<key>.json` in the same bucket.
 *
 * Rejections (bad input) resolve with a `rejected` report and leave the table and the object alone.
 * Failures of the store or the bucket reject the promise, so that Lambda retries the event; a retry
 * resumes where the failed attempt stopped (see `TableStoryStore`).
 */
export async function ingestDigestEvent(event: DigestEvent, services: IngestServices): Promise<IngestResult> {
  const outcome = event.kind === 'removed' ? await withdraw(event, services) : await ingest(event, services);
  const report: IngestReport = {
    ...outcome,
    ...(event.eTag === undefined ? {} : { eTag: event.eTag }),
    ...(event.versionId === undefined ? {} : { versionId: event.versionId }),
    processedAt: (services.now?.() ?? new Date()).toISOString(),
  };
  const persisted = report.status !== 'skipped';
  if (persisted) await services.source.putReport(event.bucket, reportKeyFor(event.key), report);
  return { report, persisted };
}

type Outcome = Omit<IngestReport, 'processedAt'>;

async function withdraw(event: DigestEvent, services: IngestServices): Promise<Outcome> {
  const result = await services.stories.withdrawDigest({ key: event.key, sequencer: event.sequencer });
  if (result.outcome !== 'applied') return skipped(event, result);
  return {
    status: 'withdrawn',
    key: event.key,
    sequencer: event.sequencer,
    stories: result.counts,
    warnings: [],
  };
}

async function ingest(event: DigestEvent, services: IngestServices): Promise<Outcome> {
  const maxBytes = services.maxDigestBytes ?? DEFAULT_MAX_DIGEST_BYTES;
  const size = event.size ?? (await services.source.headSize(event.bucket, event.key));
  if (size === undefined) return gone(event);
  if (size > maxBytes) return reject(event, services, tooLargeError(size, maxBytes));

  const read = await services.source.getBytes(event.bucket, event.key, { maxBytes });
  if (read.kind === 'missing') return gone(event);
  if (read.kind === 'too-large') return reject(event, services, tooLargeError(read.size, maxBytes));

  let digest: Digest;
  try {
    digest = acceptDigest(read.bytes, { maxBytes, timezone: services.timezone ?? 'UTC' });
  } catch (error) {
    if (error instanceof DigestError || error instanceof DigestLimitError)
      return reject(event, services, error);
    throw error;
  }

  const result = await services.stories.applyDigest(
    { key: event.key, sequencer: event.sequencer },
    digest.stories,
  );
  if (result.outcome !== 'applied') return skipped(event, result);
  return {
    status: 'ok',
    key: event.key,
    sequencer: event.sequencer,
    stories: result.counts,
    warnings: digest.warnings,
    digest: { title: digest.title, date: digest.date, publishedAt: digest.publishedAt },
  };
}

/**
 * Ingest's acceptance path for a digest's bytes: decoded, parsed and checked against the table's limits.
 * `feedwright publish --dry-run` runs the same path, so a dry run refuses exactly what ingest would.
 * @throws DigestError or DigestLimitError for input ingest rejects.
 */
export function acceptDigest(
  bytes: Uint8Array,
  options: { maxBytes?: number; timezone?: string } = {},
): Digest {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DIGEST_BYTES;
  if (bytes.byteLength > maxBytes) throw tooLargeError(bytes.byteLength, maxBytes);
  const digest = parseDigest(decodeDigest(bytes, { maxBytes }), { timezone: options.timezone ?? 'UTC' });
  assertStorable(digest);
  return digest;
}

/** A digest the parser accepts but the table cannot hold as it is; rejected like bad input. */
export class DigestLimitError extends Error {
  override readonly name = 'DigestLimitError';
  readonly code: 'TOO_MANY_STORIES' | 'DUPLICATE_STORY_ID' | 'STORY_TOO_LARGE' | 'UNRENDERABLE_STORY';

  constructor(code: DigestLimitError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Limits of the table that a digest could exceed, and stories render could never render: refused as bad
 * input here rather than failing the write, or stored and failing every render of the feeds after it.
 */
function assertStorable(digest: Digest): void {
  if (digest.stories.length > INGEST_LIMITS.maxStories) {
    throw new DigestLimitError(
      'TOO_MANY_STORIES',
      `the digest has ${digest.stories.length} stories, more than the ${INGEST_LIMITS.maxStories} one digest may have: split it`,
    );
  }
  const seen = new Set<string>();
  for (const story of digest.stories) {
    if (seen.has(story.storyId)) {
      throw new DigestLimitError(
        'DUPLICATE_STORY_ID',
        `two stories have the id ${story.storyId}: give one of them another title`,
      );
    }
    seen.add(story.storyId);
    try {
      assertRenderable(story);
    } catch (error) {
      if (!(error instanceof SiteInputError)) throw error;
      throw new DigestLimitError(
        'UNRENDERABLE_STORY',
        `the story '${story.title.slice(0, 80)}' cannot be published: ${error.message}; report this digest as a parser bug`,
      );
    }
    const bytes = Buffer.byteLength(JSON.stringify(story), 'utf8');
    if (bytes > INGEST_LIMITS.maxStoryBytes) {
      throw new DigestLimitError(
        'STORY_TOO_LARGE',
        `the story '${story.title.slice(0, 80)}' is ${Math.ceil(bytes / 1024)} KiB, over the ` +
          `${INGEST_LIMITS.maxStoryBytes / 1024} KiB one story may have: check for a missing section label`,
      );
    }
  }
}

async function reject(
  event: DigestEvent,
  services: IngestServices,
  error: DigestError | DigestLimitError,
): Promise<Outcome> {
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
    stories: NO_STORIES,
    warnings: [],
    reason: error.message,
    code: error.code,
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
    stories: NO_STORIES,
    warnings: [],
    reason,
  };
}
