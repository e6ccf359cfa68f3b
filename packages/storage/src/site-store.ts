import {
  DeleteObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type ListedObject, S3DigestSource } from './digest-source.ts';
import { sha256 } from './items.ts';

/** A file of the site tree; `@feedwright/site`'s `SiteFile` has this shape. */
export interface SiteObject {
  /** Path under the site root, no leading slash (`feeds/all/rss.xml`). */
  readonly path: string;
  /** The bytes: text (written as UTF-8) or binary (the search index). */
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** What a site object currently is: its content hash (of body and headers) and ETag, or `null` if absent. */
export type ObjectVersion = {
  readonly contentHash: string | undefined;
  readonly etag: string | undefined;
} | null;

export type PutResult = 'written' | 'unchanged';
/** `foreign`: the object is there but the pipeline did not write it (the operator's own): left alone. */
export type DeleteResult = 'deleted' | 'absent' | 'foreign';

/** Options of {@link SiteStore.putIfChanged}. */
export interface PutIfChangedOptions {
  /**
   * What the caller saw before it read the data it rendered from (see {@link SiteStore.head}). When given,
   * the write succeeds only if the object is still that version, so a render working from older data can
   * never overwrite a newer render's output: it gets a {@link SiteObjectConflictError} and renders again.
   * @default the store HEADs the object itself just before writing
   */
  readonly expected?: ObjectVersion;
}

/** Another writer changed the object between the caller's HEAD and its PUT. Render again from fresh data. */
export class SiteObjectConflictError extends Error {
  override readonly name = 'SiteObjectConflictError';
}

/** The site bucket port: writes only what changed, so ETags stay put and readers get 304s. */
export interface SiteStore {
  /** The object's current version, or `null` if there is none. */
  head(path: string): Promise<ObjectVersion>;
  /** Writes `file` unless the stored object already has the same body, Content-Type and Cache-Control. */
  putIfChanged(file: SiteObject, options?: PutIfChangedOptions): Promise<PutResult>;
  /**
   * Removes the object if it is there and the pipeline wrote it: it carries the content hash that
   * `putIfChanged` stores ({@link CONTENT_HASH_METADATA}). Anything else in the bucket (`robots.txt`,
   * `.well-known/…`) is the operator's, and stays.
   */
  delete(path: string): Promise<DeleteResult>;
  /**
   * Every object of the site (or of those whose path starts with `prefix`) with its ETag (unquoted; the
   * MD5 of the body for a single PUT), sorted by path.
   */
  list(prefix?: string): Promise<ListedObject[]>;
}

/** The object metadata key (`x-amz-meta-content-sha256`) that carries the content hash. */
export const CONTENT_HASH_METADATA = 'content-sha256';

/** The hash compared by `putIfChanged`: a change of headers alone is a change too. */
export function siteObjectHash(file: SiteObject): string {
  const head = `${file.contentType}\n${file.cacheControl}\n`;
  return typeof file.body === 'string' ? sha256(`${head}${file.body}`) : sha256(head, file.body);
}

/** Options of {@link S3SiteStore}. */
export interface S3SiteStoreOptions {
  readonly bucket: string;
  /** @default new S3Client({}) */
  readonly client?: S3Client;
  /**
   * Send S3's conditional-write headers (`If-Match` / `If-None-Match: *`) with each PUT, so concurrent
   * renders cannot overwrite each other's newer output. Emulators that do not implement them ignore them.
   * @default true
   */
  readonly conditionalWrites?: boolean;
}

/** The site store on an S3 bucket. */
export class S3SiteStore implements SiteStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #conditional: boolean;

  constructor(options: S3SiteStoreOptions) {
    this.#client = options.client ?? new S3Client({});
    this.#bucket = options.bucket;
    this.#conditional = options.conditionalWrites ?? true;
  }

  async head(path: string): Promise<ObjectVersion> {
    try {
      const output = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: path }));
      return { contentHash: output.Metadata?.[CONTENT_HASH_METADATA], etag: output.ETag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async putIfChanged(file: SiteObject, options: PutIfChangedOptions = {}): Promise<PutResult> {
    const current = options.expected !== undefined ? options.expected : await this.head(file.path);
    const contentHash = siteObjectHash(file);
    if (current !== null && current.contentHash === contentHash) return 'unchanged';
    const condition = !this.#conditional
      ? {}
      : current === null
        ? { IfNoneMatch: '*' }
        : current.etag !== undefined
          ? { IfMatch: current.etag }
          : {};
    try {
      await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: file.path,
          Body: typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : file.body,
          ContentType: file.contentType,
          CacheControl: file.cacheControl,
          Metadata: { [CONTENT_HASH_METADATA]: contentHash },
          ...condition,
        }),
      );
    } catch (error) {
      if (isPreconditionFailure(error)) {
        throw new SiteObjectConflictError(
          `${file.path} in bucket ${this.#bucket} changed while it was being rendered; render it again`,
        );
      }
      throw error;
    }
    return 'written';
  }

  async delete(path: string): Promise<DeleteResult> {
    const current = await this.head(path);
    if (current === null) return 'absent';
    if (current.contentHash === undefined) return 'foreign';
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: path }));
    return 'deleted';
  }

  list(prefix = ''): Promise<ListedObject[]> {
    return new S3DigestSource({ client: this.#client }).listObjects(this.#bucket, prefix);
  }
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof NotFound ||
    (error instanceof S3ServiceException &&
      (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404))
  );
}

function isPreconditionFailure(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'PreconditionFailed' ||
      error.name === 'ConditionalRequestConflict' ||
      error.$metadata.httpStatusCode === 412 ||
      error.$metadata.httpStatusCode === 409)
  );
}
