import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Story } from '@feedwright/digest';
import { S3RVER_KEY_LIMITS } from '@feedwright/local-stack';
import type { IngestReport } from '@feedwright/pipeline';
import { encodePath, storyPageText, storyPath } from '@feedwright/site';
import { type KeyLimits, reportKeyFor, S3_KEY_LIMITS } from '@feedwright/storage/schema';
import { describeAwsFailure, EditorToolError } from './editor-clients.ts';
import type { EditorTarget } from './options.ts';

const POLL_MS = 100;

/**
 * Connections to the site refused (or its host not found) this many times in a row: it is not there,
 * and waiting longer would only delay the editor (a busy server answers, or drops, instead).
 */
const REFUSALS_TO_GIVE_UP = 5;

/** Codes of a site that is not there at all, as opposed to one that is slow or busy. */
const NOT_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** The site refused every connection: it is not at the URL given, so waiting stops at once. */
class SiteUnreachableError extends EditorToolError {}

/** Progress while waiting (a TTY shows it on one line); called about every poll. */
export type Progress = (what: string, elapsedMs: number) => void;

/** One upload as S3 answered it: what identifies it in ingest's report. */
export interface Upload {
  readonly key: string;
  readonly eTag: string;
  readonly versionId: string | undefined;
}

/**
 * The keys the target's bucket can hold: S3's on AWS, the local S3's (shorter parts) on an explicit
 * endpoint, which is the local stack's.
 */
export function keyLimitsOf(target: EditorTarget): KeyLimits {
  return target.s3Endpoint === undefined ? S3_KEY_LIMITS : S3RVER_KEY_LIMITS;
}

/** The report on the key now, or undefined when there is none. */
export async function readReport(
  s3: S3Client,
  target: EditorTarget,
  key: string,
): Promise<IngestReport | undefined> {
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: reportKeyFor(key) }));
    text = (await readBody(object.Body)) ?? '';
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw describeAwsFailure(error, 'S3', target.s3Endpoint);
  }
  try {
    return JSON.parse(text) as IngestReport;
  } catch {
    return undefined; // cut short (see readBody): ask again
  }
}

/**
 * The body's text, or undefined when its connection was cut while it streamed: the SDK retries a
 * request only until its answer's headers, so the poll that asked reads again at its next turn.
 */
async function readBody(body: { transformToString(encoding?: string): Promise<string> } | undefined) {
  try {
    return await body?.transformToString('utf8');
  } catch {
    return undefined;
  }
}

/** Whether the digest object exists. */
export async function digestExists(s3: S3Client, target: EditorTarget, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }));
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NotFound' || name === 'NoSuchKey') return false;
    throw describeAwsFailure(error, 'S3', target.s3Endpoint);
  }
}

/** Reads the digest object's bytes, or undefined when it is gone. */
export async function readDigestObject(
  s3: S3Client,
  target: EditorTarget,
  key: string,
): Promise<Uint8Array | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
    return await object.Body?.transformToByteArray();
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw describeAwsFailure(error, 'S3', target.s3Endpoint);
  }
}

/** PUTs the digest; resolves with what identifies this upload, or rejects with nothing uploaded. */
export async function uploadDigest(
  s3: S3Client,
  target: EditorTarget,
  key: string,
  bytes: Uint8Array,
): Promise<Upload> {
  try {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: key,
        Body: bytes,
        ContentType: 'text/plain; charset=utf-8',
      }),
    );
    return { key, eTag: unquote(put.ETag ?? ''), versionId: put.VersionId };
  } catch (error) {
    throw describeAwsFailure(error, 'S3', target.s3Endpoint);
  }
}

/** Deletes the digest object. */
export async function deleteDigest(s3: S3Client, target: EditorTarget, key: string): Promise<void> {
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
  } catch (error) {
    throw describeAwsFailure(error, 'S3', target.s3Endpoint);
  }
}

/**
 * Whether `report` is ingest's report on `upload`: the same version where the bucket is versioned,
 * else the same ETag and a report written after `before` (the report that was there before the PUT;
 * an identical re-upload has the old ETag, but a new sequencer).
 */
function isReportOf(report: IngestReport, upload: Upload, before: IngestReport | undefined): boolean {
  if (report.status === 'withdrawn' || report.status === 'skipped') return false;
  if (upload.versionId !== undefined && report.versionId !== undefined)
    return report.versionId === upload.versionId;
  if (report.eTag === undefined || unquote(report.eTag) !== upload.eTag) return false;
  return before === undefined || report.sequencer !== before.sequencer;
}

/** Polls until `found` gives a value, or fails with a timeout naming `what`. */
async function waitFor<T>(
  what: string,
  deadline: number,
  found: () => Promise<T | undefined>,
  progress?: Progress,
  lastProblem?: () => string | undefined,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await found();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const problem = lastProblem?.();
      throw new EditorToolError(
        `timed out after ${Math.round((Date.now() - start) / 1000)} s waiting for ${what}` +
          (problem === undefined ? '' : ` (last: ${problem})`),
      );
    }
    progress?.(what, Date.now() - start);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Waits for ingest's report on this upload. */
export function waitForReport(
  s3: S3Client,
  target: EditorTarget,
  upload: Upload,
  before: IngestReport | undefined,
  deadline: number,
  progress?: Progress,
): Promise<IngestReport> {
  return waitFor(
    `ingest's report (${reportKeyFor(upload.key)}); the upload itself happened`,
    deadline,
    async () => {
      const report = await readReport(s3, target, upload.key);
      return report !== undefined && isReportOf(report, upload, before) ? report : undefined;
    },
    progress,
  );
}

/** Waits for the report of a delete, written after `before`. */
export function waitForWithdrawReport(
  s3: S3Client,
  target: EditorTarget,
  key: string,
  before: IngestReport | undefined,
  deadline: number,
  progress?: Progress,
): Promise<IngestReport> {
  return waitFor(
    `ingest's report (${reportKeyFor(key)}); the object is deleted`,
    deadline,
    async () => {
      const report = await readReport(s3, target, key);
      return report?.status === 'withdrawn' && report.sequencer !== before?.sequencer ? report : undefined;
    },
    progress,
  );
}

/** The URL of a site path under the site URL. */
export const siteUrlOf = (target: EditorTarget, path: string): string =>
  `${target.siteUrl}${encodePath(path)}`;

/** A site page as fetched: its status and body, or status 0 and why when the site did not answer. */
interface Page {
  readonly status: number;
  readonly body: string;
  readonly problem?: string;
  /** The connection was refused or the host not found (its code): nothing listens there. */
  readonly notThere?: string;
}

/**
 * Fetches a site page. A site that does not answer is retried by the caller until its deadline (a busy
 * server may drop a connection), unless it refuses every connection: see {@link pageFetcher}.
 */
async function fetchPage(url: string): Promise<Page> {
  try {
    const response = await fetch(url, {
      headers: { 'cache-control': 'no-cache' },
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: response.status === 200 ? await response.text() : '' };
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    return {
      status: 0,
      body: '',
      problem: `cannot reach the site at ${url} (${code}): check --site-url`,
      ...(NOT_THERE.has(code) ? { notThere: code } : {}),
    };
  }
}

/**
 * {@link fetchPage} that throws a {@link SiteUnreachableError} once the site has refused
 * {@link REFUSALS_TO_GIVE_UP} connections in a row, instead of letting the caller wait its whole timeout.
 */
function pageFetcher(target: EditorTarget): (url: string) => Promise<Page> {
  let refusals = 0;
  return async (url) => {
    const page = await fetchPage(url);
    refusals = page.notThere === undefined ? 0 : refusals + 1;
    if (refusals >= REFUSALS_TO_GIVE_UP) {
      throw new SiteUnreachableError(
        `cannot reach the site at ${target.siteUrl} (${page.notThere}, ${refusals} tries): check --site-url`,
      );
    }
    return page;
  };
}

/** Waits until every story's page is served with this version's text. */
export function waitForStoriesLive(
  target: EditorTarget,
  stories: readonly Story[],
  deadline: number,
  progress?: Progress,
): Promise<true> {
  const pending = new Map(stories.map((story) => [story.storyId, story]));
  const fetchPage = pageFetcher(target);
  let problem: string | undefined;
  return waitFor(
    `the stories on the site (${target.siteUrl})`,
    deadline,
    async () => {
      for (const [id, story] of pending) {
        const page = await fetchPage(siteUrlOf(target, storyPath(id)));
        problem = page.problem;
        if (page.status !== 200 || !page.body.includes(storyPageText(story))) return undefined;
        pending.delete(id);
      }
      return true;
    },
    progress,
    () => problem,
  );
}

/** Waits until at least `count` of the stories' pages are gone (404/410) from the site. */
export function waitForStoriesGone(
  target: EditorTarget,
  storyIds: readonly string[],
  count: number,
  deadline: number,
  progress?: Progress,
): Promise<true> {
  const fetchPage = pageFetcher(target);
  let problem: string | undefined;
  return waitFor(
    `the stories to leave the site (${target.siteUrl})`,
    deadline,
    async () => {
      let gone = 0;
      for (const id of storyIds) {
        const page = await fetchPage(siteUrlOf(target, storyPath(id)));
        problem = page.problem;
        if (page.status === 404 || page.status === 410 || page.status === 403) gone += 1;
      }
      return gone >= count ? true : undefined;
    },
    progress,
    () => problem,
  );
}

function unquote(eTag: string): string {
  return eTag.replace(/^W\//, '').replace(/^"|"$/g, '');
}
