import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MAX_DIGEST_BYTES,
  type Digest,
  DigestError,
  decodeDigest,
  parseDigest,
  tooLargeError,
} from '@feedwright/digest';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

/** Options of {@link readDigestFile}. */
export interface ReadDigestFileOptions {
  /** Refuse files larger than this, from their size, before reading them. @default 5 MiB */
  readonly maxBytes?: number;
}

function unreadable(error: unknown): DigestError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new DigestError('UNREADABLE', 'no such file');
    case 'EISDIR':
      return new DigestError('UNREADABLE', 'is a directory, not a digest file');
    case 'EACCES':
    case 'EPERM':
      return new DigestError('UNREADABLE', 'permission denied: cannot read the file');
    default:
      return new DigestError(
        'UNREADABLE',
        `cannot read the file: ${error instanceof Error ? error.message : String(error)}`,
      );
  }
}

/**
 * Reads a digest file's bytes, refusing it from its size before reading it when it is over the
 * limit (and again while reading, should it grow meanwhile). Missing files, directories and
 * unreadable files are a `DigestError` with code `UNREADABLE`, so that a caller has one kind of
 * error to report per file.
 *
 * @throws {DigestError} `TOO_LARGE` or `UNREADABLE`.
 */
export async function readDigestBytes(
  path: string,
  options: ReadDigestFileOptions = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DIGEST_BYTES;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(error);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new DigestError('UNREADABLE', 'is a directory, not a digest file');
    if (!stat.isFile()) throw new DigestError('UNREADABLE', 'is not a regular file');
    if (stat.size > maxBytes) throw tooLargeError(stat.size, maxBytes);
    // One byte more than the limit allows is enough to tell that the file grew past it.
    const buffer = new Uint8Array(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw tooLargeError(length, maxBytes);
    if (length === buffer.length) {
      // The file grew after stat but is still within the limit: read the rest.
      return new Uint8Array(await readAll(handle, buffer, maxBytes));
    }
    return buffer.subarray(0, length);
  } catch (error) {
    throw error instanceof DigestError ? error : unreadable(error);
  } finally {
    await handle.close();
  }
}

async function readAll(
  handle: Awaited<ReturnType<typeof open>>,
  head: Uint8Array,
  maxBytes: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [head];
  let total = head.length;
  for (;;) {
    const chunk = new Uint8Array(64 * 1024);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw tooLargeError(total, maxBytes);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

/**
 * Reads, decodes and parses one digest file: {@link readDigestBytes}, then `decodeDigest` and
 * `parseDigest` of `@feedwright/digest`.
 *
 * @throws {DigestError} for every reason the file is not a usable digest.
 */
export async function readDigestFile(
  path: string,
  options: ReadDigestFileOptions & { readonly timezone?: string } = {},
): Promise<Digest> {
  const bytes = await readDigestBytes(path, options);
  return parseDigest(decodeDigest(bytes, options), { timezone: options.timezone ?? 'UTC' });
}

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
