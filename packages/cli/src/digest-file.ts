import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import {
  acceptDigest,
  DEFAULT_MAX_DIGEST_BYTES,
  type Digest,
  DigestError,
  tooLargeError,
} from '@feedwright/digest';

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
 * error to report per file; so is anything but a regular file (a named pipe is refused, not waited on).
 *
 * Synchronous calls: a command reading digests has nothing else to do meanwhile (`feedwright build`'s
 * search index runs on a thread of its own), and on a busy machine a thread-pool round trip for each of
 * a file's open, stat, reads and close cost more than the calls (1,000 digests: ~0.3 s against ~0.05 s).
 *
 * @throws {DigestError} `TOO_LARGE` or `UNREADABLE`.
 */
export async function readDigestBytes(
  path: string,
  options: ReadDigestFileOptions = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DIGEST_BYTES;
  let fd: number;
  try {
    // Non-blocking: opening a named pipe for reading would otherwise wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new DigestError('UNREADABLE', 'is a directory, not a digest file');
    if (!stat.isFile()) throw new DigestError('UNREADABLE', 'is not a regular file');
    if (stat.size > maxBytes) throw tooLargeError(stat.size, maxBytes);
    // One byte more than the limit allows is enough to tell that the file grew past it.
    let buffer = new Uint8Array(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        // The file grew after stat but is still within the limit: room for the rest, up to the limit
        // and the byte that tells it is over.
        const larger = new Uint8Array(Math.min(buffer.length * 2, maxBytes + 1));
        larger.set(buffer);
        buffer = larger;
      }
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw tooLargeError(length, maxBytes);
    }
    return buffer.subarray(0, length);
  } catch (error) {
    throw error instanceof DigestError ? error : unreadable(error);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads one digest file and accepts it exactly as ingest does: {@link readDigestBytes}, then
 * `acceptDigest` of `@feedwright/digest` (decode, parse, story limits), or for an `.eml` file
 * `parseMailDigest` of `@feedwright/mail` (the message's text, then the same path). `feedwright parse` and
 * `feedwright build` both read digests through here.
 *
 * @throws {DigestError} for every reason the file is not a usable digest.
 */
export async function readDigestFile(
  path: string,
  options: ReadDigestFileOptions & { readonly timezone?: string } = {},
): Promise<Digest> {
  const bytes = await readDigestBytes(path, options);
  const accept = { ...options, timezone: options.timezone ?? 'UTC' };
  if (isMailFile(path)) {
    // Loaded for saved e-mails only: MIME, HTML and legacy charsets are most of what a build would load.
    const { parseMailDigest } = await import('@feedwright/mail');
    return (await parseMailDigest(bytes, accept)).digest;
  }
  return acceptDigest(bytes, accept);
}

/**
 * Whether a file is a saved e-mail message (`.eml`), read as a mailed digest: its text part (or
 * its HTML part as text), forwarding unwrapped, then the same acceptance path as a `.txt` file. A
 * file's sender is not checked: whoever has the file could as well have saved its text.
 */
function isMailFile(path: string): boolean {
  return /\.eml$/i.test(path);
}
