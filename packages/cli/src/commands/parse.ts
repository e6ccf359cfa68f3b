import { parseArgs } from 'node:util';
import { DEFAULT_MAX_DIGEST_BYTES, type Digest, DigestError } from '@feedwright/digest';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { readDigestFile } from '../digest-file.ts';

const usage = `Usage: feedwright parse FILE [--timezone TZ] [--max-bytes N]

Parses one digest (the plain-text daily newsletter) and prints its stories as JSON on stdout.

Options:
  --timezone TZ    IANA time zone in which the date line's wall time is read
                   (default: UTC), e.g. Asia/Shanghai, America/New_York
  --max-bytes N    refuse files larger than N bytes, before reading them
                   (default: ${DEFAULT_MAX_DIGEST_BYTES}, i.e. 5 MiB; suffixes K and M allowed)
  -h, --help       show this help

Exit status: 0 parsed; 2 rejected (bad input, bad time zone, missing file), with one line
'feedwright: FILE: REASON' on stderr and nothing on stdout; 2 also for wrong options.`;

const SIZE = /^(\d+)\s*(k|kb|kib|m|mb|mib)?$/i;

function parseMaxBytes(value: string): number {
  const match = SIZE.exec(value.trim());
  if (match === null)
    throw new UsageError(`--max-bytes wants a number of bytes like 1048576 or 1M, not '${value}'`);
  const unit = (match[2] ?? '').toLowerCase().charAt(0);
  const bytes = Number(match[1]) * (unit === 'm' ? 1024 * 1024 : unit === 'k' ? 1024 : 1);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new UsageError(`--max-bytes wants a positive number of bytes, not '${value}'`);
  }
  return bytes;
}

function readArgs(argv: readonly string[]): { file: string; timezone: string; maxBytes: number } {
  let parsed: ReturnType<typeof parseArgsStrict>;
  try {
    parsed = parseArgsStrict(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const option = /'([^']+)'/.exec(message)?.[1];
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
      throw new UsageError(`unknown option '${option}'`);
    }
    throw new UsageError(message.split('\n')[0] ?? message);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('missing FILE: the digest to parse');
  if (positionals.length > 1) throw new UsageError(`one FILE at a time, got ${positionals.length}`);
  return {
    file: positionals[0] as string,
    timezone: values.timezone ?? 'UTC',
    maxBytes:
      values['max-bytes'] === undefined ? DEFAULT_MAX_DIGEST_BYTES : parseMaxBytes(values['max-bytes']),
  };
}

function parseArgsStrict(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      timezone: { type: 'string' },
      'max-bytes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
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
    const { file, timezone, maxBytes } = readArgs(argv);
    let digest: Digest;
    try {
      digest = await readDigestFile(file, { maxBytes, timezone });
    } catch (error) {
      if (error instanceof DigestError) {
        process.stderr.write(`feedwright: ${oneLine(file)}: ${oneLine(error.message)}\n`);
        return 2;
      }
      // A bug, not bad input: still one line, no stack trace, and a distinct status.
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`feedwright: ${oneLine(file)}: internal error: ${oneLine(message)}\n`);
      return 1;
    }
    await writeStdout(`${JSON.stringify(digest, null, 2)}\n`);
    return 0;
  },
};
