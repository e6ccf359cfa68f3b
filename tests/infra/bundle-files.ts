import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The chunks one bundled module imports: `import … from"./chunk-X.mjs"` and `import("./chunk-X.mjs")`. */
function chunkImports(code: string): { readonly static: string[]; readonly dynamic: string[] } {
  const names = (pattern: RegExp) => [
    ...new Set([...code.matchAll(pattern)].map((match) => match[1] as string)),
  ];
  return {
    // `from"./x.mjs"` or a bare `import"./x.mjs"`, as esbuild writes them minified.
    static: names(/(?:\bfrom|\bimport)\s*["']\.\/([\w-]+\.mjs)["']/g),
    dynamic: names(/\bimport\(\s*["']\.\/([\w-]+\.mjs)["']\s*\)/g),
  };
}

/**
 * The JavaScript files of a bundle folder by when they load: `init`, `index.mjs` and every chunk it
 * imports statically, transitively; `later`, every other `.mjs` file that some file of it imports with
 * `import()`, and what those import. Throws when a file imports one that is not in the folder.
 */
export function bundleFiles(dir: string): {
  readonly init: string[];
  readonly later: string[];
  readonly all: string[];
} {
  const all = readdirSync(dir).filter((file) => file.endsWith('.mjs'));
  const read = (file: string) => {
    if (!all.includes(file)) throw new Error(`${dir}: a module imports ${file}, which is not in the bundle`);
    return readFileSync(join(dir, file), 'utf8');
  };
  const closure = (start: readonly string[], exclude: ReadonlySet<string>) => {
    const seen = new Set<string>();
    const pending = [...start];
    const dynamic = new Set<string>();
    while (pending.length > 0) {
      const file = pending.pop() as string;
      if (seen.has(file) || exclude.has(file)) continue;
      seen.add(file);
      const imports = chunkImports(read(file));
      pending.push(...imports.static);
      for (const target of imports.dynamic) dynamic.add(target);
    }
    return { files: seen, dynamic };
  };
  const init = closure(['index.mjs'], new Set());
  let later = new Set<string>();
  let frontier = [...init.dynamic];
  while (frontier.length > 0) {
    const next = closure(frontier, new Set([...init.files, ...later]));
    later = new Set([...later, ...next.files]);
    frontier = [...next.dynamic].filter((file) => !init.files.has(file) && !later.has(file));
  }
  return { init: [...init.files].sort(), later: [...later].sort(), all: all.sort() };
}

/** The text of several files of `dir`, joined. */
export function textOf(dir: string, files: readonly string[]): string {
  return files.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
}
