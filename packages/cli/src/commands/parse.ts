import { DEFAULT_MAX_DIGEST_BYTES, type Digest, DigestError } from '@feedwright/digest';
import type { Command } from '../command.ts';
import { EXIT, EXIT_STATUS_HELP, parseCommandLine, requireInputs } from '../command-line.ts';
import { readDigestFile } from '../digest-file.ts';
import { HELP_LINE, readSettingFlags, settingHelp, settingOptions } from '../setting-flags.ts';

/** The settings `feedwright parse` takes: how the digest is read. */
const PARSE_SETTINGS = ['digestTimezone', 'maxDigestBytes'] as const;

const usage = `Usage: feedwright parse FILE [--timezone TZ] [--max-bytes N]

Parses one digest (the plain-text daily newsletter, or a saved e-mail) and prints its stories as
JSON on stdout. A rejected digest gets one line 'feedwright: FILE: REASON' on stderr and nothing on
stdout.

Options:
${settingHelp(PARSE_SETTINGS)}
${HELP_LINE}

${EXIT_STATUS_HELP}`;

async function readArgs(
  argv: readonly string[],
): Promise<{ file: string; timezone: string; maxBytes: number }> {
  const { values, args } = parseCommandLine(argv, {
    options: settingOptions(PARSE_SETTINGS),
    args: { name: 'FILE: the digest to parse', min: 1, max: 1 },
  });
  const { digestTimezone, maxDigestBytes } = readSettingFlags(PARSE_SETTINGS, values);
  const file = args[0] ?? '';
  await requireInputs([file], { folders: false });
  return { file, timezone: digestTimezone ?? 'UTC', maxBytes: maxDigestBytes ?? DEFAULT_MAX_DIGEST_BYTES };
}

/**
 * Writes to stdout and waits until it is flushed. A reader that stops early (`| head`) closes the
 * pipe: that EPIPE ends the output quietly, as with any Unix tool, rather than as a crash.
 */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE')
        process.stderr.write(`feedwright: cannot write the output: ${error.message}\n`);
      resolve();
    };
    process.stdout.once('error', onError);
    process.stdout.write(text, (error) => {
      if (error === null || error === undefined) {
        process.stdout.off('error', onError);
        resolve();
      }
    });
  });
}

/** A reason on one line, whatever the input put into it. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** `feedwright parse FILE [--timezone TZ] [--max-bytes N]`: one digest → its model as JSON. */
export const parseCommand: Command = {
  summary: "print a digest's stories as JSON",
  usage,
  async run(argv) {
    const { file, timezone, maxBytes } = await readArgs(argv);
    let digest: Digest;
    try {
      digest = await readDigestFile(file, { maxBytes, timezone });
    } catch (error) {
      if (error instanceof DigestError) {
        process.stderr.write(`feedwright: ${oneLine(file)}: ${oneLine(error.message)}\n`);
        return EXIT.refused;
      }
      // A bug, not bad input: still one line, no stack trace, and a distinct status.
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`feedwright: ${oneLine(file)}: internal error: ${oneLine(message)}\n`);
      return EXIT.failed;
    }
    await writeStdout(`${JSON.stringify(digest, null, 2)}\n`);
    return EXIT.ok;
  },
};
