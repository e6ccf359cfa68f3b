import type { HeldStory, RenamedStory, StoryCounts } from '@feedwright/storage';

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
  /**
   * Stories of this upload whose text readers will not see: another digest holding the same story ranks
   * first (newer date line, or the same and a name that sorts first). Absent when there are none.
   */
  readonly held?: readonly HeldStory[];
  /** Stories of the previous version this upload replaces under a corrected headline. Absent when none. */
  readonly renamed?: readonly RenamedStory[];
  /** What the parser tolerated but an editor may want to fix. */
  readonly warnings: readonly string[];
  /** Why the digest was rejected or the event skipped, in words an editor can act on. */
  readonly reason?: string;
  /** The parser's error code when rejected (`EMPTY`, `BINARY`, `TOO_LARGE`, …), or `BAD_KEY` for a key no digest may have. */
  readonly code?: string;
  /** The digest as parsed, when it was. */
  readonly digest?: { readonly title: string; readonly date: string; readonly publishedAt: string };
  /** When ingest finished (the only field that differs between two identical runs). */
  readonly processedAt?: string;
}

/** An editor's notification of one report: an e-mail subject and a readable body with the JSON report. */
export interface ReportNotification {
  /** `Published: <file> (N stories)`, `Rejected: <file>: <reason>` or `Withdrawn: <file> (N stories)`. */
  readonly subject: string;
  readonly message: string;
}

// SNS subjects: ASCII, no line breaks or control characters, under 100 characters.
const MAX_SUBJECT = 99;

function asciiSubject(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.length > MAX_SUBJECT ? `${ascii.slice(0, MAX_SUBJECT - 3)}...` : ascii;
}

/** What an editor should know of a published upload's stories: another digest's text shown, headlines changed. */
function correctionNotes(report: IngestReport): string {
  const notes: string[] = [];
  const byHolder = new Map<string, HeldStory[]>();
  for (const story of report.held ?? []) {
    byHolder.set(story.shownFrom, [...(byHolder.get(story.shownFrom) ?? []), story]);
  }
  for (const [key, held] of byHolder) {
    const other = key.replace(/^digests\//, '');
    const why =
      held[0]?.because === 'newer-date'
        ? 'its date line is newer'
        : 'the same date line, and its name sorts first';
    notes.push(
      [
        `${held.length} ${held.length === 1 ? 'story shows' : 'stories show'} the text of ${other}, not this file's (${why}):`,
        ...held.map((story) => `- ${story.title}`),
        `To show this file's text: withdraw ${other}, or upload this file as ${other}.`,
      ].join('\n'),
    );
  }
  for (const { from, to } of report.renamed ?? []) {
    notes.push(`Headline changed: ${from.title} -> ${to.title} (the story has a new address and feed item).`);
  }
  return notes.map((note) => `\n\n${note}`).join('');
}

/**
 * The notification of a written report (`skipped` ones are never sent): the subject an editor sees in
 * the inbox, one readable summary, then the report as JSON for tools.
 */
export function reportNotification(report: IngestReport): ReportNotification {
  const file = report.key.replace(/^digests\//, '');
  const n = report.stories.total;
  const stories = `${n} ${n === 1 ? 'story' : 'stories'}`;
  const counts = `${report.stories.added} added, ${report.stories.updated} updated, ${report.stories.withdrawn} withdrawn, ${report.stories.unchanged} unchanged`;
  let subject: string;
  let summary: string;
  if (report.status === 'rejected') {
    subject = `Rejected: ${file}: ${report.reason ?? 'no reason given'}`;
    summary = `${file} was rejected: ${report.reason ?? 'no reason given'}.\nNothing was changed; the previously published version (if any) stays live. Fix the file and upload it again.`;
  } else if (report.status === 'withdrawn') {
    subject = `Withdrawn: ${file} (${report.stories.withdrawn} ${report.stories.withdrawn === 1 ? 'story' : 'stories'})`;
    summary = `${file} was deleted: ${report.stories.withdrawn} of its stories left the feeds.`;
  } else {
    subject = `Published: ${file} (${stories})`;
    summary = `${file} is published: ${stories} (${counts}).${report.digest === undefined ? '' : `\n${report.digest.title}`}${correctionNotes(report)}`;
  }
  const warnings =
    report.warnings.length === 0 ? '' : `\n\nWarnings:\n${report.warnings.map((w) => `- ${w}`).join('\n')}`;
  return {
    subject: asciiSubject(subject),
    message: `${summary}${warnings}\n\nReport (JSON):\n${JSON.stringify(report, null, 2)}\n`,
  };
}
