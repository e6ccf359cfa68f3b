import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The name every file of a write in progress starts with, in the folder of the object it will
 * replace: no key's file starts with it (s3rver names them `<last part>._S3rver_…`), and it is as
 * short whatever the key, so it fits where the key's own files fit.
 */
export const PARTIAL_PREFIX = '.~partial-';

/** An object as s3rver's controllers hand it to the store. */
interface IncomingObject {
  readonly bucket: string;
  readonly key: string;
  readonly content: Buffer | NodeJS.ReadableStream;
  readonly metadata: Record<string, string>;
}

type Metadata = Record<string, string | number>;

/** The methods of s3rver's FilesystemStore (lib/stores/filesystem.js) that are replaced or used. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Metadata>;
  putMetadata(bucket: string, key: string, metadata: Metadata, md5?: string): Promise<void>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
  putObject(object: IncomingObject): Promise<{ size: number; md5: string }>;
  copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata?: Metadata,
  ): Promise<Metadata>;
  deleteObject(bucket: string, key: string): Promise<void>;
}

/** The three files s3rver keeps an object in, by the resource name it gives each. */
type ObjectFiles = Record<'object' | 'object.md5' | 'metadata.json', string>;

const RESOURCES = ['object', 'object.md5', 'metadata.json'] as const;

/**
 * Per-key exclusion between the reads of an object's files and their replacement: readers share a
 * key, a writer has it alone. Readers never wait for a waiting writer, so a read that reads again
 * within itself (s3rver's `getObject` calls `getMetadata`) cannot deadlock; each hold is a few file
 * operations long, so a writer is not kept waiting for long.
 */
class KeyLocks {
  readonly #held = new Map<string, { readers: number; writing: boolean; waiters: Array<() => void> }>();

  async read<T>(key: string, work: () => Promise<T>): Promise<T> {
    const state = await this.#until(key, (held) => !held.writing);
    state.readers += 1;
    try {
      return await work();
    } finally {
      state.readers -= 1;
      this.#release(key, state);
    }
  }

  async write<T>(key: string, work: () => Promise<T>): Promise<T> {
    const state = await this.#until(key, (held) => !held.writing && held.readers === 0);
    state.writing = true;
    try {
      return await work();
    } finally {
      state.writing = false;
      this.#release(key, state);
    }
  }

  async #until(
    key: string,
    free: (held: { readers: number; writing: boolean }) => boolean,
  ): Promise<{ readers: number; writing: boolean; waiters: Array<() => void> }> {
    for (;;) {
      let state = this.#held.get(key);
      if (state === undefined) {
        state = { readers: 0, writing: false, waiters: [] };
        this.#held.set(key, state);
      }
      if (free(state)) return state;
      const waiting = state;
      await new Promise<void>((resolve) => waiting.waiters.push(resolve));
    }
  }

  #release(key: string, state: { readers: number; writing: boolean; waiters: Array<() => void> }): void {
    for (const wake of state.waiters.splice(0)) wake();
    if (state.readers === 0 && !state.writing && this.#held.get(key) === state) this.#held.delete(key);
  }
}

const PATCHED = Symbol.for('feedwright.s3rver.wholeReplace');

/**
 * Makes s3rver replace an object as S3 does, all at once. s3rver 3.7.1 rewrites an object's file in
 * place (truncating it first), then its MD5 and metadata files, and answers the PUT before the bytes
 * are all written; a GET meanwhile took its length from one version and its bytes from another, and
 * Node cut the connection when the body fell short (the client's read failed with `aborted` or
 * `ECONNRESET`, after its SDK's retries, which end with the answer's headers). Here a write goes to
 * files of its own beside the object's, is complete on disk before anything is replaced, and is
 * renamed over the object's three files while no read of that key is between its first and last file
 * operation; a read holds its key only until its body file is open, and an open file keeps the bytes
 * it had. A hard stop leaves the earlier version whole and a `.~partial-` file, which the start-up
 * repair removes. Call before s3rver is first required; a second call changes nothing.
 */
export function replaceObjectsWhole(): void {
  const Store = require('s3rver/lib/stores/filesystem') as {
    prototype: FilesystemStore & { [PATCHED]?: true };
  };
  const store = Store.prototype;
  if (store[PATCHED]) return;
  store[PATCHED] = true;
  const original = {
    getMetadata: store.getMetadata,
    putMetadata: store.putMetadata,
    getObject: store.getObject,
    deleteObject: store.deleteObject,
  };
  const locks = new KeyLocks();
  const id = (bucket: string, key: string) => `${bucket}/${key}`;
  const filesOf = (self: FilesystemStore, bucket: string, key: string): ObjectFiles =>
    Object.fromEntries(
      RESOURCES.map((resource) => [resource, self.getResourcePath(bucket, key, resource)]),
    ) as ObjectFiles;

  /** Writes `metadata` and `md5` as s3rver does, into the partial files of `partial`. */
  const putPartialMetadata = (
    self: FilesystemStore,
    partial: ObjectFiles,
    bucket: string,
    key: string,
    metadata: Metadata,
    md5: string,
  ) => {
    const view = Object.create(self, {
      getResourcePath: {
        value: (_bucket: string, _key: string | undefined, resource: keyof ObjectFiles) => partial[resource],
      },
    }) as FilesystemStore;
    return original.putMetadata.call(view, bucket, key, metadata, md5);
  };

  /**
   * Has `fill` write the object's bytes into partial files of its own, with its metadata as s3rver
   * writes it (`putMetadata`), then renames them over the object's files while no read of the key is
   * under way; a failed write leaves nothing behind.
   */
  const replaceWith = async <T>(
    self: FilesystemStore,
    bucket: string,
    key: string,
    fill: (
      partial: ObjectFiles,
      putMetadata: (metadata: Metadata, md5: string) => Promise<void>,
    ) => Promise<T>,
  ): Promise<T> => {
    const target = filesOf(self, bucket, key);
    const partial = partialFiles(target.object);
    await mkdir(path.dirname(target.object), { recursive: true });
    try {
      const filled = await fill(partial, (metadata, md5) =>
        putPartialMetadata(self, partial, bucket, key, metadata, md5),
      );
      await locks.write(id(bucket, key), async () => {
        await Promise.all(RESOURCES.map((resource) => rename(partial[resource], target[resource])));
      });
      return filled;
    } catch (error) {
      await removeFiles(partial);
      throw error;
    }
  };

  store.getMetadata = function getMetadata(this: FilesystemStore, bucket, key) {
    return locks.read(id(bucket, key), () => original.getMetadata.call(this, bucket, key));
  };

  store.getObject = function getObject(this: FilesystemStore, bucket, key, options) {
    return locks.read(id(bucket, key), () => original.getObject.call(this, bucket, key, options));
  };

  store.deleteObject = function deleteObject(this: FilesystemStore, bucket, key) {
    return locks.write(id(bucket, key), () => original.deleteObject.call(this, bucket, key));
  };

  store.putObject = function putObject(this: FilesystemStore, object) {
    return replaceWith(this, object.bucket, object.key, async (partial, putMetadata) => {
      // Objects here are pages, feeds and digests: read whole, then written with one call.
      const chunks: Buffer[] = [];
      if (Buffer.isBuffer(object.content)) chunks.push(object.content);
      else for await (const chunk of object.content) chunks.push(Buffer.from(chunk as Uint8Array));
      const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const digest = createHash('md5').update(bytes).digest('hex');
      await Promise.all([writeFile(partial.object, bytes), putMetadata(object.metadata, digest)]);
      return { size: bytes.length, md5: digest };
    });
  };

  store.copyObject = async function copyObject(
    this: FilesystemStore,
    srcBucket,
    srcKey,
    destBucket,
    destKey,
    replacementMetadata,
  ) {
    const source = filesOf(this, srcBucket, srcKey);
    await replaceWith(this, destBucket, destKey, async (partial, putMetadata) => {
      // The bytes and the metadata of one version of the source.
      const metadata = await locks.read(id(srcBucket, srcKey), async () => {
        await copyFile(source.object, partial.object);
        return original.getMetadata.call(this, srcBucket, srcKey);
      });
      await putMetadata(replacementMetadata ?? metadata, JSON.parse(String(metadata.etag)) as string);
    });
    return this.getMetadata(destBucket, destKey);
  };
}

/** Fresh names for the files of one write, in the folder of `objectFile`. */
function partialFiles(objectFile: string): ObjectFiles {
  const stem = path.join(path.dirname(objectFile), `${PARTIAL_PREFIX}${randomBytes(6).toString('hex')}`);
  return { object: `${stem}-object`, 'object.md5': `${stem}-md5`, 'metadata.json': `${stem}-metadata` };
}

/** Removes what there is of a write that failed (its client is told it failed). */
async function removeFiles(files: ObjectFiles): Promise<void> {
  await Promise.all(RESOURCES.map((resource) => rm(files[resource], { force: true })));
}
