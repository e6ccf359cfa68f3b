import {
  bareETag,
  type DeleteResult,
  type ListedObject,
  md5,
  type ObjectVersion,
  type PutIfChangedOptions,
  type PutResult,
  type SiteObject,
  SiteObjectConflictError,
  type SiteStore,
  siteObjectHash,
} from '@feedwright/storage';

/**
 * An in-memory site store for unit tests; `writes` counts PUTs so tests can prove "nothing written".
 * `putForeign` stands for an object the operator put there (no content hash).
 */
export class MemorySiteStore implements SiteStore {
  readonly files = new Map<string, SiteObject & { readonly etag: string; readonly foreign?: true }>();
  writes = 0;
  deletes = 0;

  async head(path: string): Promise<ObjectVersion> {
    const file = this.files.get(path);
    if (file === undefined) return null;
    return { contentHash: file.foreign ? undefined : siteObjectHash(file), etag: file.etag };
  }

  /** An object put by someone else than the pipeline, as an operator's `aws s3 cp` would. */
  putForeign(file: SiteObject): void {
    this.files.set(file.path, { ...file, etag: `"${md5(file.body)}"`, foreign: true });
  }

  async putIfChanged(file: SiteObject, options: PutIfChangedOptions = {}): Promise<PutResult> {
    const stored = await this.head(file.path);
    const current = options.expected !== undefined ? options.expected : stored;
    if (current !== null && current.contentHash === siteObjectHash(file)) return 'unchanged';
    if ((current === null) !== (stored === null) || (current !== null && current.etag !== stored?.etag)) {
      throw new SiteObjectConflictError(`${file.path} changed while it was being rendered; render it again`);
    }
    this.files.set(file.path, { ...file, etag: `"${md5(file.body)}"` });
    this.writes += 1;
    return 'written';
  }

  async delete(path: string): Promise<DeleteResult> {
    if (this.files.get(path)?.foreign) return 'foreign';
    if (!this.files.delete(path)) return 'absent';
    this.deletes += 1;
    return 'deleted';
  }

  async list(prefix = ''): Promise<ListedObject[]> {
    return [...this.files.values()]
      .filter((file) => file.path.startsWith(prefix))
      .map((file) => ({ key: file.path, eTag: bareETag(file.etag) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
