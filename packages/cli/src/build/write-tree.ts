import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';

/**
 * Writes the site's files under `outDir`. Each file is written to a temporary name and renamed, so a
 * reader of the folder (a static server) never sees half a file. Files already there and not part of
 * this build are left alone. Every path is checked before anything is written.
 *
 * Synchronous on purpose: the build has nothing else to do meanwhile, and one call per file costs a
 * fraction of the thread-pool round trips of `fs/promises` (18,000 files: ~0.4 s against ~0.9 s with 32
 * writes in flight, ~1.9 s one at a time, on a RAM disk).
 */
export function writeSiteTree(
  outDir: string,
  files: ReadonlyArray<{ readonly path: string; readonly body: string | Uint8Array }>,
): void {
  const targets = files.map((file) => {
    if (file.path.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`refusing to write outside the output folder: '${file.path}'`);
    }
    return { target: join(outDir, ...file.path.split('/')), body: file.body };
  });
  mkdirSync(outDir, { recursive: true });
  const made = new Set<string>();
  for (const { target, body } of targets) {
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    const temporary = join(folder, `.${process.pid}.tmp-${basename(target)}`);
    writeFileSync(temporary, body, 'utf8');
    renameSync(temporary, target);
  }
}

/**
 * Removes the files under `outDir/<folder>` that are not in `keep` (paths relative to `outDir`, '/'
 * separated): for a folder that the build writes whole, such as the search index, whose file names change
 * with its content.
 */
export async function removeStaleFiles(
  outDir: string,
  folder: string,
  keep: ReadonlySet<string>,
): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(join(outDir, ...folder.split('/')), { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const entry of entries.sort()) {
    const path = `${folder.replace(/\/$/, '')}/${entry.split(sep).join('/')}`;
    if (keep.has(path)) continue;
    const target = join(outDir, ...path.split('/'));
    if (!(await stat(target)).isFile()) continue;
    await rm(target);
    removed.push(path);
  }
  return removed;
}
