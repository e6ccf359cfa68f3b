import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { SiteFile } from '@feedwright/site';

/**
 * Writes the site's files under `outDir`. Each file is written to a temporary name and renamed, so a
 * reader of the folder (a static server) never sees half a file. Files already there and not part of
 * this build are left alone.
 */
export async function writeSiteTree(outDir: string, files: readonly SiteFile[]): Promise<void> {
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
