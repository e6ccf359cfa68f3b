import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { acceptDigest, type Digest, DigestError } from '@feedwright/digest';
import type { IngestReport } from '@feedwright/pipeline';
import { feedPath, storyPath } from '@feedwright/site';
import { createDynamoStoryStore, type StoryCounts } from '@feedwright/storage';
import { BUCKET_PREFIXES, digestKeyProblem, reportKeyFor } from '@feedwright/storage/schema';
import type { Command } from '../command.ts';
import { EXIT } from '../command-line.ts';
import { heldNotes, renamedNotes } from '../publish/correction-notes.ts';
import { type DryRunPlan, planDryRun, storyDiff } from '../publish/dry-run.ts';
import {
  describeAwsFailure,
  EditorToolError,
  editorDynamoClient,
  editorS3Client,
} from '../publish/editor-clients.ts';
import {
  keyLimitsOf,
  readReport,
  siteUrlOf,
  uploadDigest,
  waitForReport,
  waitForStoriesLive,
} from '../publish/editor-loop.ts';
import { PUBLISH_USAGE, type PublishOptions, parsePublishOptions } from '../publish/options.ts';
import { mapLimit, ProgressLine } from '../publish/progress.ts';

/** Files uploaded and waited for at once. */
const CONCURRENCY = 4;

/**
 * How one file went: its exit code (0 published, 1 rejected or published with stories whose text another
 * digest gives, 2 the tool failed), and what to print.
 */
interface FileOutcome {
  readonly code: (typeof EXIT)[keyof typeof EXIT];
  /** Published, but some of its stories show another digest's text. */
  readonly held?: true;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
}

/** `feedwright publish`: upload digests (or dry-run them) and wait until they are live. */
export const publishCommand: Command = {
  summary: 'upload digests and wait until their stories are live (--dry-run: show what would change)',
  usage: PUBLISH_USAGE,
  async run(argv) {
    const options = await parsePublishOptions(argv);
    const s3 = editorS3Client(options);
    const dynamo = options.dryRun ? editorDynamoClient(options) : undefined;
    const progress = new ProgressLine(process.stderr);
    try {
      const outcomes = await mapLimit(options.files, CONCURRENCY, async (file) => {
        const outcome = await publishFile(file, options, { s3, dynamo, progress }).catch(
          (error: unknown): FileOutcome => ({
            code: EXIT.failed,
            stdout: [],
            stderr: [`feedwright: ${file}: ${describeAwsFailure(error, 'S3', options.s3Endpoint).message}`],
          }),
        );
        progress.clear();
        for (const line of outcome.stdout) process.stdout.write(`${line}\n`);
        for (const line of outcome.stderr) process.stderr.write(`${line}\n`);
        return outcome;
      });
      progress.stop();
      if (options.files.length > 1) {
        const count = (code: number) =>
          outcomes.filter((outcome) => outcome.code === code && outcome.held === undefined).length;
        const held = outcomes.filter((outcome) => outcome.held).length;
        const verb = options.dryRun ? 'would publish' : 'published';
        const heldPart = held === 0 ? '' : ` (${held} with stories showing another digest's text)`;
        process.stdout.write(
          `${options.files.length} files: ${count(EXIT.ok) + held} ${verb}${heldPart}, ${count(EXIT.refused)} rejected, ${count(EXIT.failed)} failed\n`,
        );
      }
      // The worst outcome: failed over refused over done.
      return Math.max(EXIT.ok, ...outcomes.map((outcome) => outcome.code));
    } finally {
      progress.stop();
      s3.destroy();
      dynamo?.destroy();
    }
  },
};

interface Clients {
  readonly s3: ReturnType<typeof editorS3Client>;
  readonly dynamo: ReturnType<typeof editorDynamoClient> | undefined;
  readonly progress: ProgressLine;
}

async function publishFile(file: string, options: PublishOptions, clients: Clients): Promise<FileOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return {
      code: EXIT.failed,
      stdout: [],
      stderr: [`feedwright: ${file}: cannot read the file (${code ?? String(error)})`],
    };
  }
  const key = `${BUCKET_PREFIXES.digests}${basename(file)}`;
  // Before anything is uploaded: a key that S3 would refuse, or that names another key locally.
  const keyProblem = digestKeyProblem(key, keyLimitsOf(options));
  if (keyProblem !== undefined) {
    return { code: 1, stdout: [], stderr: [`feedwright: ${file}: refused, nothing uploaded: ${keyProblem}`] };
  }
  if (options.dryRun) return dryRun(file, key, bytes, options, clients);

  const deadline = Date.now() + options.timeoutMs;
  const tick = (what: string, ms: number) =>
    clients.progress.update(file, `waiting for ${what.split(';')[0]}`, ms);
  const before = await readReport(clients.s3, options, key);
  const upload = await uploadDigest(clients.s3, options, key, bytes);
  let report: IngestReport;
  try {
    report = await waitForReport(clients.s3, options, upload, before, deadline, tick);
  } finally {
    clients.progress.done(file);
  }
  if (report.status === 'rejected') {
    return {
      code: EXIT.refused,
      stdout: [],
      stderr: [
        `feedwright: ${file}: rejected: ${report.reason ?? 'no reason given'}`,
        ...(before?.status === 'ok'
          ? [`feedwright: ${file}: the previously published version stays live`]
          : []),
      ],
    };
  }
  // Stories whose text another digest gives will never show this file's: say so now, wait for the rest.
  const held = report.held ?? [];
  const heldIds = new Set(held.map((story) => story.storyId));
  // The stories as this tool reads them: their text is what the site must show (zone-independent).
  const digest = parseOrUndefined(bytes, options.timezone);
  const published = [
    `${file}: published: ${countsLine(report.stories)}`,
    ...report.warnings.map((warning) => `  warning: ${warning}`),
    ...renamedNotes(report.renamed ?? []),
    ...(digest === undefined ? [] : urlLines(options, digest)),
  ];
  if (digest !== undefined) {
    try {
      const shown = digest.stories.filter((story) => !heldIds.has(story.storyId));
      await waitForStoriesLive(options, shown, deadline, tick);
    } catch (error) {
      if (!(error instanceof EditorToolError)) throw error;
      // Ingest applied it: the digest is live whatever the site check says, and the editor must know.
      return {
        code: EXIT.failed,
        stdout: published,
        stderr: [
          `feedwright: ${file}: ${error.message}`,
          `feedwright: ${file}: the digest IS published: uploaded as ${key} and applied by ingest ` +
            `(report ${reportKeyFor(key, keyLimitsOf(options))} in the bucket ${options.bucket}); to ` +
            'see its stories live, publish the same file again with the right --site-url (it changes nothing)',
        ],
      };
    } finally {
      clients.progress.done(file);
    }
  }
  return {
    code: held.length > 0 ? 1 : 0,
    ...(held.length > 0 ? { held: true as const } : {}),
    stdout: published,
    stderr: heldNotes(basename(file), held).flatMap(({ headline, lines }) => [
      `feedwright: ${file}: ${headline}`,
      ...lines,
    ]),
  };
}

async function dryRun(
  file: string,
  key: string,
  bytes: Uint8Array,
  options: PublishOptions,
  clients: Clients,
): Promise<FileOutcome> {
  let digest: Digest;
  try {
    digest = acceptDigest(bytes, { timezone: options.timezone });
  } catch (error) {
    if (error instanceof DigestError) {
      return { code: EXIT.refused, stdout: [], stderr: [`feedwright: ${file}: rejected: ${error.message}`] };
    }
    throw error;
  }
  if (clients.dynamo === undefined || options.table === undefined)
    throw new EditorToolError('no table to compare with');
  const store = createDynamoStoryStore({ client: clients.dynamo, tableName: options.table });
  let plan: DryRunPlan;
  try {
    plan = await planDryRun(store, key, digest.stories);
  } catch (error) {
    throw describeAwsFailure(error, 'DynamoDB', options.dynamoEndpoint);
  }
  // A corrected headline shows as what it is, not as an added and a withdrawn story.
  const renamedFrom = new Set(plan.renamed.map(({ from }) => from.storyId));
  const renamedTo = new Set(plan.renamed.map(({ to }) => to.storyId));
  return {
    code: EXIT.ok,
    stdout: [
      `${file}: dry run, nothing uploaded: would publish ${countsLine(plan.counts)}`,
      ...digest.warnings.map((warning) => `  warning: ${warning}`),
      ...plan.added
        .filter((story) => !renamedTo.has(story.storyId))
        .map((story) => `  + added: ${story.title} (${story.storyId})`),
      ...renamedNotes(plan.renamed),
      ...plan.updated.flatMap(({ before, after }) => [
        `  ~ updated: ${after.title} (${after.storyId})`,
        ...storyDiff(before, after).map((line) => `      ${line}`),
      ]),
      ...plan.withdrawn
        .filter((story) => !renamedFrom.has(story.storyId))
        .map((story) => `  - withdrawn: ${story.title} (${story.storyId})`),
      ...plan.kept.map(
        (story) => `  = stays live (another digest has it): ${story.title} (${story.storyId})`,
      ),
      ...heldNotes(basename(file), plan.held).flatMap(({ headline, lines }) => [
        `  ! ${headline}`,
        ...lines.map((line) => `  ${line}`),
      ]),
    ],
    stderr: [],
  };
}

function parseOrUndefined(bytes: Uint8Array, timezone: string): Digest | undefined {
  try {
    return acceptDigest(bytes, { timezone });
  } catch {
    return undefined;
  }
}

function countsLine(counts: StoryCounts): string {
  return (
    `${counts.total} ${counts.total === 1 ? 'story' : 'stories'} (${counts.added} added, ` +
    `${counts.updated} updated, ${counts.withdrawn} withdrawn, ${counts.unchanged} unchanged)`
  );
}

function urlLines(options: PublishOptions, digest: Digest): string[] {
  const topics = [...new Set(digest.stories.map((story) => story.topicSlug))];
  return [
    ...topics.map((slug) => `  feed: ${siteUrlOf(options, feedPath(slug, 'rss'))}`),
    ...digest.stories.map((story) => `  story: ${siteUrlOf(options, storyPath(story.storyId))}`),
  ];
}
