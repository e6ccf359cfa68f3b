import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { PARTIAL_PREFIX } from './s3rver-replace.ts';

/** s3rver keeps each object as `<key>._S3rver_object`, its metadata in `<key>._S3rver_metadata.json`. */
const METADATA_SUFFIX = '._S3rver_metadata.json';
const OBJECT_SUFFIX = '._S3rver_object';
const MD5_SUFFIX = '._S3rver_object.md5';

/** One object s3rver's data held half-written, and what was done about it. */
export interface RepairedObject {
  /** `bucket/key`. */
  readonly path: string;
  readonly action: 'removed' | 'md5-dropped' | 'partial-removed';
}

/**
 * Repairs what a hard stop (`kill -9`) of s3rver mid-write leaves behind, before s3rver starts:
 * - a zero-byte or unreadable `_S3rver_metadata.json`: the write was cut off, its client never got an
 *   answer. Every request for the key, and every listing of its bucket, fails with `UnknownError`
 *   until the files are gone, so the object is removed (object, MD5 and metadata); reconcile then
 *   withdraws a digest it was, or rewrites a site file it was.
 * - an object whose bytes do not hash to its recorded MD5: s3rver by itself writes the MD5 and the
 *   metadata before the bytes are all on disk, so a stop mid-PUT left a short file that s3rver would
 *   serve with the whole object's ETag (data written before `replaceObjectsWhole`; since, only a stop
 *   between the renames that replace an object). Removed too: reconcile rewrites a site file, and a digest cut short
 *   was never accepted (its client got no answer).
 * - an MD5 file that is not 32 hex digits: dropped, s3rver recomputes it from the object.
 * - a `.~partial-` file: a write stopped before it replaced its object (see `replaceObjectsWhole`),
 *   whose client got no answer; the object it was to replace is whole. Removed.
 */
export async function repairS3rverData(directory: string): Promise<RepairedObject[]> {
  const repaired: RepairedObject[] = [];
  const removed = new Set<string>();
  for (const file of await filesUnder(directory)) {
    if (basename(file).startsWith(PARTIAL_PREFIX)) {
      await rm(file, { force: true });
      repaired.push({ path: relative(directory, file), action: 'partial-removed' });
    } else if (file.endsWith(METADATA_SUFFIX)) {
      const base = file.slice(0, -METADATA_SUFFIX.length);
      if ((await readable(file)) && (await wholeObject(base))) continue;
      await Promise.all(
        [file, `${base}${OBJECT_SUFFIX}`, `${base}${MD5_SUFFIX}`].map((path) => rm(path, { force: true })),
      );
      removed.add(base);
      repaired.push({ path: relative(directory, base), action: 'removed' });
    } else if (file.endsWith(MD5_SUFFIX) && !removed.has(file.slice(0, -MD5_SUFFIX.length))) {
      const text = (await readFile(file, 'utf8').catch(() => '')).trim();
      if (/^[0-9a-f]{32}$/.test(text)) continue;
      await rm(file, { force: true });
      repaired.push({ path: relative(directory, file.slice(0, -MD5_SUFFIX.length)), action: 'md5-dropped' });
    }
  }
  return repaired;
}

/** Whether the object's bytes hash to its recorded MD5 (or it records none that could be checked). */
async function wholeObject(base: string): Promise<boolean> {
  const recorded = (await readFile(`${base}${MD5_SUFFIX}`, 'utf8').catch(() => '')).trim();
  if (!/^[0-9a-f]{32}$/.test(recorded)) return true;
  try {
    return (await md5Of(`${base}${OBJECT_SUFFIX}`)) === recorded;
  } catch {
    return false;
  }
}

function md5Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

async function readable(metadataFile: string): Promise<boolean> {
  try {
    if ((await stat(metadataFile)).size === 0) return false;
    JSON.parse(await readFile(metadataFile, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

async function filesUnder(directory: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  // Sorted, so that a key's metadata file comes before its `.md5` (`metadata` < `object`).
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
