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
import { bareETag } from './items.ts';

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
