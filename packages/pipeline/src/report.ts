import type { StoryCounts } from '@feedwright/storage';

/**
 * The processing report ingest writes to `reports/<key>.json` in the incoming bucket.
 * `skipped` reports (a duplicate or older event) are returned and logged but not written, so that they
 * never overwrite the report of the upload that is actually live.
 */
export interface IngestReport {
  readonly status: 'ok' | 'rejected' | 'withdrawn' | 'skipped';
  /** The digest's object key, decoded. */
  readonly key: string;
  readonly sequencer: string;
  /** The upload's ETag and version (versioned buckets), from the event: how an editor's tool finds the report of *its* upload. */
  readonly eTag?: string;
  readonly versionId?: string;
  readonly stories: StoryCounts;
  /** What the parser tolerated but an editor may want to fix. */
  readonly warnings: readonly string[];
  /** Why the digest was rejected or the event skipped, in words an editor can act on. */
  readonly reason?: string;
  /** The parser's error code when rejected (`EMPTY`, `BINARY`, `TOO_LARGE`, …). */
  readonly code?: string;
  /** The digest as parsed, when it was. */
  readonly digest?: { readonly title: string; readonly date: string; readonly publishedAt: string };
  /** When ingest finished (the only field that differs between two identical runs). */
  readonly processedAt?: string;
}

export const NO_STORIES: StoryCounts = { total: 0, added: 0, updated: 0, withdrawn: 0, unchanged: 0 };
