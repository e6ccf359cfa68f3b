import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';

/** An uploaded digest object, read or not. */
export type DigestRead =
  | { readonly kind: 'found'; readonly bytes: Uint8Array }
  /** The object is gone (deleted after the event was sent): a later event says what happened. */
  | { readonly kind: 'missing' }
  /** The stored object is bigger than the limit (it changed since the event): not read. */
  | { readonly kind: 'too-large'; readonly size: number };

/** The incoming bucket port: what ingest reads and where it reports. */
export interface DigestSource {
  /** The object's size in bytes, or `undefined` if there is no such object. */
  headSize(bucket: string, key: string): Promise<number | undefined>;
  /** Reads the object unless it is over `maxBytes`. */
  getBytes(bucket: string, key: string, options: { readonly maxBytes: number }): Promise<DigestRead>;
  /** Writes a processing report as JSON at `reportKey`. */
  putReport(bucket: string, reportKey: string, report: unknown): Promise<void>;
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

  async headSize(bucket: string, key: string): Promise<number | undefined> {
    try {
      const output = await this.#client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return output.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async getBytes(bucket: string, key: string, options: { readonly maxBytes: number }): Promise<DigestRead> {
    let output: GetObjectCommandOutput;
    try {
      output = await this.#client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
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
    return { kind: 'found', bytes };
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
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
  );
}

/** An in-memory digest source for unit tests: objects by `bucket/key`, reports kept as parsed JSON. */
export class MemoryDigestSource implements DigestSource {
  readonly objects = new Map<string, Uint8Array>();
  readonly reports = new Map<string, unknown>();
  /** How many times an object body was read, so tests can prove "refused before reading". */
  reads = 0;

  put(bucket: string, key: string, body: string | Uint8Array): void {
    this.objects.set(`${bucket}/${key}`, typeof body === 'string' ? new TextEncoder().encode(body) : body);
  }

  async headSize(bucket: string, key: string): Promise<number | undefined> {
    return this.objects.get(`${bucket}/${key}`)?.byteLength;
  }

  async getBytes(bucket: string, key: string, options: { readonly maxBytes: number }): Promise<DigestRead> {
    const bytes = this.objects.get(`${bucket}/${key}`);
    if (bytes === undefined) return { kind: 'missing' };
    if (bytes.byteLength > options.maxBytes) return { kind: 'too-large', size: bytes.byteLength };
    this.reads += 1;
    return { kind: 'found', bytes: bytes.slice() };
  }

  async putReport(bucket: string, reportKey: string, report: unknown): Promise<void> {
    this.reports.set(`${bucket}/${reportKey}`, structuredClone(report));
  }
}
