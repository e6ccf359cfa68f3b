import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** An input that could not be used, with a reason for the person who named it. */
export interface InputProblem {
  readonly path: string;
  readonly reason: string;
}

export interface DigestInputs {
  /** Digest files in a stable order: arguments in order, each folder's `*.txt`/`*.eml` files sorted by name. */
  readonly files: readonly string[];
  readonly problems: readonly InputProblem[];
}

/**
 * Expands FILE_OR_DIR arguments: a file stands for itself; a folder contributes its `*.txt` files and
 * its saved e-mail messages (`*.eml`), not recursively, and nothing else. The same file named twice is read once.
 */
export async function collectDigestFiles(paths: readonly string[]): Promise<DigestInputs> {
  const files: string[] = [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    const key = resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const path of paths) {
    let stats: Awaited<ReturnType<typeof stat>>;
    try {
      stats = await stat(path);
    } catch (error) {
      problems.push({ path, reason: describeFsError(error) });
      continue;
    }
    if (!stats.isDirectory()) {
      add(path);
      continue;
    }
    const names = (await readdir(path))
      .filter((name) => name.endsWith('.txt') || name.endsWith('.eml'))
      .sort();
    let found = 0;
    for (const name of names) {
      const file = join(path, name);
      // Follows symlinks; a folder named x.txt is not a digest.
      const entry = await stat(file).catch(() => undefined);
      if (entry?.isFile() === true) {
        add(file);
        found += 1;
      }
    }
    if (found === 0) problems.push({ path, reason: 'no digest files (*.txt, *.eml) in this folder' });
  }
  return { files, problems };
}

/** A file-system error as a short reason ("no such file or directory"), not a stack trace. */
function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
