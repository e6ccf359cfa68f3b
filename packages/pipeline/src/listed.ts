import type { SiteFile } from '@feedwright/site';
import { md5, type ObjectVersion } from '@feedwright/storage';
import type { ArchiveContext } from './archive-context.ts';

/** What a listing of the bucket said of the objects under some prefixes, as write conditions. */
export class Listed {
  readonly #prefixes: readonly string[];
  readonly #eTags = new Map<string, string | undefined>();

  private constructor(prefixes: readonly string[]) {
    this.#prefixes = prefixes;
  }

  static async of(prefixes: readonly string[], context: ArchiveContext): Promise<Listed> {
    const listed = new Listed(prefixes);
    for (const objects of await Promise.all(prefixes.map((prefix) => context.site.list(prefix)))) {
      for (const { key, eTag } of objects) listed.#eTags.set(key, eTag);
    }
    return listed;
  }

  /** Whether the listing saw `path`. */
  has(path: string): boolean {
    return this.#eTags.has(path);
  }

  /** The listed paths that start with `prefix`, sorted. */
  keys(prefix: string): string[] {
    return [...this.#eTags.keys()].filter((key) => key.startsWith(prefix));
  }

  /**
   * Writes `file` unless the listing shows the same body, on the condition that it is still what the
   * listing saw (a path outside the listed prefixes is HEADed by the store instead). Only for files
   * whose headers never change alone (story and issue pages): a listing gives no headers.
   */
  async write(file: SiteFile, context: ArchiveContext): Promise<void> {
    if (!this.#prefixes.some((prefix) => file.path.startsWith(prefix))) return context.put(file);
    const eTag = this.#eTags.get(file.path);
    if (eTag !== undefined && eTag === md5(file.body)) return;
    const expected: ObjectVersion = this.#eTags.has(file.path)
      ? { contentHash: undefined, etag: eTag === undefined ? undefined : `"${eTag}"` }
      : null;
    return context.put(file, expected);
  }
}
