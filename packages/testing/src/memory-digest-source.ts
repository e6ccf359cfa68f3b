import {
  type DigestRead,
  type DigestSource,
  type ListedObject,
  md5,
  type ReadOptions,
} from '@feedwright/storage';

/** One version of an object in {@link MemoryDigestSource}: bytes, or a delete marker. */
export interface MemoryVersion {
  readonly versionId: string;
  readonly bytes: Uint8Array | null;
}

/**
 * An in-memory, version-aware digest source for unit tests, behaving as a versioned S3 bucket: each put
 * adds a version, a delete adds a delete marker, deleting a version by id removes it (a delete marker
 * too, which undeletes), and the current object is the newest version unless that is a delete marker.
 * Reports are kept as parsed JSON, and listed as objects of the bucket.
 */
export class MemoryDigestSource implements DigestSource {
  readonly versions = new Map<string, MemoryVersion[]>();
  readonly reports = new Map<string, unknown>();
  /** How many times an object body was read, so tests can prove "refused before reading". */
  reads = 0;
  /** Puts to refuse with an error before they land (a failing bucket), counted down. */
  failReportPuts = 0;
  #nextVersion = 1;

  /** Adds a version; returns its id. */
  put(bucket: string, key: string, body: string | Uint8Array): string {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    return this.#add(`${bucket}/${key}`, bytes);
  }

  /** A delete without a version id: adds a delete marker and returns its id. */
  delete(bucket: string, key: string): string {
    return this.#add(`${bucket}/${key}`, null);
  }

  /** Deletes one version (or delete marker) for good. */
  deleteVersion(bucket: string, key: string, versionId: string): void {
    const list = this.versions.get(`${bucket}/${key}`) ?? [];
    this.versions.set(
      `${bucket}/${key}`,
      list.filter((version) => version.versionId !== versionId),
    );
  }

  #add(path: string, bytes: Uint8Array | null): string {
    const versionId = `v${this.#nextVersion}`;
    this.#nextVersion += 1;
    this.versions.set(path, [...(this.versions.get(path) ?? []), { versionId, bytes }]);
    return versionId;
  }

  #find(bucket: string, key: string, versionId?: string): Uint8Array | undefined {
    const list = this.versions.get(`${bucket}/${key}`) ?? [];
    const version = versionId === undefined ? list.at(-1) : list.find((v) => v.versionId === versionId);
    return version?.bytes ?? undefined;
  }

  async headSize(bucket: string, key: string, versionId?: string): Promise<number | undefined> {
    return this.#find(bucket, key, versionId)?.byteLength;
  }

  async getBytes(bucket: string, key: string, options: ReadOptions): Promise<DigestRead> {
    const bytes = this.#find(bucket, key, options.versionId);
    if (bytes === undefined) return { kind: 'missing' };
    if (bytes.byteLength > options.maxBytes) return { kind: 'too-large', size: bytes.byteLength };
    this.reads += 1;
    return { kind: 'found', bytes: bytes.slice(), eTag: md5(bytes) };
  }

  async putReport(bucket: string, reportKey: string, report: unknown): Promise<void> {
    if (this.failReportPuts > 0) {
      this.failReportPuts -= 1;
      throw new Error('InternalError: the report could not be written (injected)');
    }
    this.reports.set(`${bucket}/${reportKey}`, structuredClone(report));
  }

  async hasReport(bucket: string, reportKey: string): Promise<boolean> {
    return this.reports.has(`${bucket}/${reportKey}`);
  }

  async listObjects(bucket: string, prefix: string): Promise<ListedObject[]> {
    const listed: ListedObject[] = [];
    for (const [path, versions] of this.versions) {
      const key = path.slice(bucket.length + 1);
      const current = versions.at(-1)?.bytes;
      if (path.startsWith(`${bucket}/${prefix}`) && current) listed.push({ key, eTag: md5(current) });
    }
    for (const [path, report] of this.reports) {
      if (!path.startsWith(`${bucket}/${prefix}`)) continue;
      listed.push({ key: path.slice(bucket.length + 1), eTag: md5(JSON.stringify(report)) });
    }
    return listed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
