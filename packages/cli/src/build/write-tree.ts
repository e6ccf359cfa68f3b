import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

/**
 * Writes the site's files under `outDir`. Each file is written to a temporary name and renamed, so a
 * reader of the folder (a static server) never sees half a file. Files already there and not part of
 * this build are left alone.
 */
export async function writeSiteTree(
  outDir: string,
  files: ReadonlyArray<{ readonly path: string; readonly body: string | Uint8Array }>,
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const made = new Set<string>();
  for (const file of files) {
    if (file.path.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`refusing to write outside the output folder: '${file.path}'`);
    }
    const target = join(outDir, ...file.path.split('/'));
    const folder = dirname(target);
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
    const temporary = `${folder}${sep}.${process.pid}.tmp-${file.path.split('/').pop() ?? 'file'}`;
    await writeFile(temporary, file.body, 'utf8');
    await rename(temporary, target);
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
