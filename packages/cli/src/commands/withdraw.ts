import { basename } from 'node:path';
import { acceptDigest } from '@feedwright/digest';
import { BUCKET_PREFIXES, digestKeyProblem, isDigestKey } from '@feedwright/storage/schema';
import type { Command } from '../command.ts';
import { EXIT } from '../command-line.ts';
import { describeAwsFailure, EditorToolError, editorS3Client } from '../publish/editor-clients.ts';
import {
  deleteDigest,
  digestExists,
  keyLimitsOf,
  readDigestObject,
  readReport,
  waitForStoriesGone,
  waitForWithdrawReport,
} from '../publish/editor-loop.ts';
import { parseWithdrawOptions, WITHDRAW_USAGE } from '../publish/options.ts';
import { ProgressLine } from '../publish/progress.ts';

/** `feedwright withdraw`: delete a digest object and wait until its stories are gone from the site. */
export const withdrawCommand: Command = {
  summary: 'delete a digest and wait until its stories are gone from the site',
  usage: WITHDRAW_USAGE,
  async run(argv) {
    const options = await parseWithdrawOptions(argv);
    const key = withdrawnKeyOf(options.keyOrFile);
    // Before the bucket is touched: a `..` part would delete another key on the local S3.
    const keyProblem = digestKeyProblem(key, keyLimitsOf(options));
    if (keyProblem !== undefined) {
      process.stderr.write(`feedwright: ${key}: refused, nothing deleted: ${keyProblem}\n`);
      return EXIT.refused;
    }
    const s3 = editorS3Client(options);
    const progress = new ProgressLine(process.stderr);
    try {
      if (!(await digestExists(s3, options, key))) {
        process.stderr.write(`feedwright: ${key}: no such digest in the bucket ${options.bucket}\n`);
        return EXIT.refused;
      }
      // Its story ids, to see them leave the site; an unreadable digest has none live anyway.
      const bytes = await readDigestObject(s3, options, key);
      let storyIds: string[] = [];
      try {
        storyIds = bytes === undefined ? [] : acceptDigest(bytes).stories.map((story) => story.storyId);
      } catch {
        storyIds = [];
      }
      const deadline = Date.now() + options.timeoutMs;
      const tick = (what: string, ms: number) =>
        progress.update(key, `waiting for ${what.split(';')[0]}`, ms);
      const before = await readReport(s3, options, key);
      await deleteDigest(s3, options, key);
      const report = await waitForWithdrawReport(s3, options, key, before, deadline, tick);
      try {
        await waitForStoriesGone(
          options,
          storyIds,
          Math.min(report.stories.withdrawn, storyIds.length),
          deadline,
          tick,
        );
      } catch (error) {
        if (!(error instanceof EditorToolError)) throw error;
        // Ingest withdrew them: say so, whatever the site check found.
        throw new EditorToolError(
          `${error.message}; the digest IS withdrawn: deleted from the bucket ${options.bucket}, and ingest ` +
            `withdrew ${report.stories.withdrawn} of its stories`,
        );
      }
      progress.stop();
      const n = report.stories.withdrawn;
      process.stdout.write(`${key}: withdrawn: ${n} ${n === 1 ? 'story' : 'stories'} gone from the site\n`);
      return EXIT.ok;
    } catch (error) {
      progress.stop();
      process.stderr.write(
        `feedwright: ${key}: ${describeAwsFailure(error, 'S3', options.s3Endpoint).message}\n`,
      );
      return EXIT.failed;
    } finally {
      s3.destroy();
    }
  },
};

/**
 * The key to delete: a key under a digest prefix (`digests/…`, `mail/…`) as given; anything else is a
 * file, whose name goes under `digests/`, where `feedwright publish` put it.
 */
export function withdrawnKeyOf(keyOrFile: string): string {
  return isDigestKey(keyOrFile) ? keyOrFile : `${BUCKET_PREFIXES.digests}${basename(keyOrFile)}`;
}
