import { type Dirent, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { replaceObjectsWhole } from './s3rver-replace.ts';

const require = createRequire(import.meta.url);

/** The part of `node:crypto` s3rver uses for its ListObjectsV2 continuation tokens. */
interface CipherFactory {
  createCipheriv: (algorithm: string, ...rest: unknown[]) => unknown;
  createDecipheriv: (algorithm: string, ...rest: unknown[]) => unknown;
}

/** A stand-in for a DES (de)cipher that leaves the bytes as they are. */
const passThrough = () => ({
  update: (data: string | Buffer, encoding?: BufferEncoding) =>
    typeof data === 'string' ? Buffer.from(data, encoding) : Buffer.from(data),
  final: () => Buffer.alloc(0),
});

/**
 * Fixes to s3rver 3.7.1 (unmaintained) for what feedwright asks of it; call before s3rver is first
 * required. Each is a stand-in for a part s3rver gets wrong, never a change of what S3 answers.
 */
export function applyS3rverShims(): void {
  allowS3rverContinuationTokens();
  listInKeyOrder();
  replaceObjectsWhole();
}

/** s3rver's `walk` (lib/utils.js), whose file store destructures it when it loads. */
type Walk = (dir: string, recurseFilter?: (dirPath: string) => boolean) => Generator<string>;

/** The suffix of the file that holds an object's body in s3rver's store. */
const OBJECT_SUFFIX = '._S3rver_object';

/**
 * s3rver lists a prefix by walking the directories its keys make, keeping the first 1,000 keys in the
 * order `readdirSync` gives them, and starting the next page after the last one. Two faults:
 * - the walk's order is not the keys' order: in a bucket with more than 1,000 keys under `feeds/`,
 *   `feeds.opml` (which sorts before `feeds/`) came after them in the walk, so it was on no page;
 * - it `statSync`s every file of every directory it enters: each LIST of `stories/2023-01-` on a site
 *   of 17,000 objects stat-ed 50,000 files, blocking the process.
 * The walk here yields each directory's entries in the order of the keys they hold (an object file
 * by its key, a directory as its name and `/`), from the entries' own types, without a stat.
 */
function listInKeyOrder(): void {
  const utils = require('s3rver/lib/utils') as { walk: Walk };
  const sortKey = (entry: Dirent): string =>
    entry.isDirectory()
      ? `${entry.name}/`
      : entry.name.endsWith(OBJECT_SUFFIX)
        ? entry.name.slice(0, -OBJECT_SUFFIX.length)
        : entry.name;
  const walk: Walk = function* walk(dir, recurseFilter): Generator<string> {
    const entries = readdirSync(dir, { withFileTypes: true })
      .map((entry) => ({ entry, key: sortKey(entry) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { entry } of entries) {
      const filePath = path.posix.join(dir, entry.name);
      if (!entry.isDirectory()) yield filePath;
      else if (recurseFilter === undefined || recurseFilter(filePath)) yield* walk(filePath, recurseFilter);
    }
  };
  utils.walk = walk;
}

/**
 * s3rver seals the continuation token of a truncated ListObjectsV2 page (more than 1,000 keys) with
 * single DES, which OpenSSL 3 (Node.js ≥ 17) ships only in its legacy provider: every such listing
 * fails with a 500 InternalError. Where DES is missing, `createCipheriv('des')` and
 * `createDecipheriv('des')` are made to pass the bytes through, so the token is s3rver's own
 * `region/bucket/key` text behind its 8-byte IV: opaque to clients, as S3's are. No other algorithm
 * is touched, and nothing else asks for DES (which, without this, cannot be used at all).
 */
function allowS3rverContinuationTokens(): void {
  const crypto = require('node:crypto') as CipherFactory;
  try {
    crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return; // DES is there: s3rver works as it is.
  } catch {
    // Unsupported: stand in below.
  }
  const { createCipheriv, createDecipheriv } = crypto;
  crypto.createCipheriv = (algorithm, ...rest) =>
    algorithm === 'des' ? passThrough() : createCipheriv(algorithm, ...rest);
  crypto.createDecipheriv = (algorithm, ...rest) =>
    algorithm === 'des' ? passThrough() : createDecipheriv(algorithm, ...rest);
}
