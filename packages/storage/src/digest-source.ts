import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { bareETag, md5 } from './items.ts';

/** An uploaded digest object, read or not. */
export type DigestRead =
  | { readonly kind: 'found'; readonly bytes: Uint8Array; readonly eTag?: string }
  /** The object is gone (deleted after the event was sent): a later event says what happened. */
  | { readonly kind: 'missing' }
  /** The stored object is bigger than the limit (it changed since the event): not read. */
  | { readonly kind: 'too-large'; readonly size: number };

/** How to read a digest object: the size limit, and the version (the current one when absent). */
export interface ReadOptions {
  readonly maxBytes: number;
  /** The exact version to read (versioned buckets); absent: the current object. */
  readonly versionId?: string;
}

/** The incoming bucket port: what ingest reads and where it reports. */
export interface DigestSource {
  /** The object's (or that version's) size in bytes, or `undefined` if there is no such object. */
  headSize(bucket: string, key: string, versionId?: string): Promise<number | undefined>;
  /** Reads the object (or the given version) unless it is over `maxBytes`; a delete marker is missing. */
  getBytes(bucket: string, key: string, options: ReadOptions): Promise<DigestRead>;
  /** Writes a processing report as JSON at `reportKey`. */
  putReport(bucket: string, reportKey: string, report: unknown): Promise<void>;
  /** Whether a report exists at `reportKey` (a retry writes a missing one). */
  hasReport(bucket: string, reportKey: string): Promise<boolean>;
  /** Every current object under `prefix`, with its ETag (unquoted): reconcile's one listing. */
  listObjects(bucket: string, prefix: string): Promise<ListedObject[]>;
}

/** One current object of a listing. */
export interface ListedObject {
  readonly key: string;
  /** Unquoted. */
  readonly eTag: string | undefined;
}

/** Options of {@link S3DigestSource}. */
export interface S3DigestSourceOptions {
  /** @default new S3Client({}) */
  readonly client?: S3Client;
}

/** The digest source on S3. */
export class S3DigestSource implements DigestSource {
  readonly #client: S3Client;

  constructor(options: S3DigestSourceOptions = {}) {
    this.#client = options.client ?? new S3Client({});
  }

  async headSize(bucket: string, key: string, versionId?: string): Promise<number | undefined> {
    try {
      const output = await this.#client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
      );
      return output.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async getBytes(bucket: string, key: string, options: ReadOptions): Promise<DigestRead> {
    let output: GetObjectCommandOutput;
    try {
      output = await this.#client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(options.versionId ? { VersionId: options.versionId } : {}),
        }),
      );
    } catch (error) {
      if (isMissing(error)) return { kind: 'missing' };
      throw error;
    }
    const size = output.ContentLength;
    const body = output.Body;
    if (size !== undefined && size > options.maxBytes) {
      // Not reading the body: release the connection instead of draining megabytes we will refuse.
      (body as { destroy?: () => void } | undefined)?.destroy?.();
      return { kind: 'too-large', size };
    }
    const bytes = body === undefined ? new Uint8Array() : await body.transformToByteArray();
    if (bytes.byteLength > options.maxBytes) return { kind: 'too-large', size: bytes.byteLength };
    const eTag = bareETag(output.ETag);
    return eTag === undefined ? { kind: 'found', bytes } : { kind: 'found', bytes, eTag };
  }

  async putReport(bucket: string, reportKey: string, report: unknown): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: reportKey,
        Body: Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8'),
        ContentType: 'application/json; charset=utf-8',
      }),
    );
  }

  async hasReport(bucket: string, reportKey: string): Promise<boolean> {
    return (await this.headSize(bucket, reportKey)) !== undefined;
  }

  async listObjects(bucket: string, prefix: string): Promise<ListedObject[]> {
    const objects: ListedObject[] = [];
    let token: string | undefined;
    do {
      const output = await this.#client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const entry of output.Contents ?? []) {
        if (entry.Key !== undefined) objects.push({ key: entry.Key, eTag: bareETag(entry.ETag) });
      }
      token = output.IsTruncated ? output.NextContinuationToken : undefined;
    } while (token !== undefined);
    return objects;
  }
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error instanceof S3ServiceException &&
      // 405: the version named is a delete marker.
      (error.$metadata.httpStatusCode === 404 || error.$metadata.httpStatusCode === 405))
  );
}

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
