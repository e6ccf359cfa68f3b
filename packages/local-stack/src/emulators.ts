import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { closeServer } from './close-server.ts';
import type { ObjectChange } from './s3-notifications.ts';
import { type GuardedS3rver, refuseUnstorableKeys } from './s3rver-keys.ts';
import { applyS3rverShims } from './s3rver-shims.ts';

// s3rver and dynalite are CommonJS without type declarations; these are the parts used here.
const require = createRequire(import.meta.url);

/** What s3rver emits as `event` after a write (one record, key not URL-encoded). */
export interface S3rverEvent {
  readonly Records: ReadonlyArray<{
    readonly eventName: string;
    readonly requestParameters?: { readonly sourceIPAddress?: string };
    readonly s3: {
      readonly bucket: { readonly name: string };
      readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string };
    };
  }>;
}

interface S3rverStore extends Pick<GuardedS3rver['store'], 'getResourcePath'> {
  // Replaceable on purpose: the local stack wraps it to see multi-object deletes.
  deleteObject: (bucket: string, key: string) => Promise<void>;
}

interface S3rverInstance extends GuardedS3rver {
  readonly store: S3rverStore;
  /** Set by `run()`. */
  readonly httpServer?: Server;
  run(): Promise<AddressInfo>;
  on(event: 'event', listener: (event: S3rverEvent) => void): this;
  on(event: 'error', listener: (error: unknown) => void): this;
}

type S3rverConstructor = new (options: {
  port: number;
  address: string;
  directory: string;
  silent: boolean;
  configureBuckets: ReadonlyArray<{ name: string }>;
}) => S3rverInstance;

type DynaliteFactory = (options: { path?: string; createTableMs?: number; deleteTableMs?: number }) => Server;

/** The access key s3rver accepts (it verifies V2 signatures only; V4 just needs a known key). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * An S3 client for s3rver: path-style addressing, the key s3rver accepts, and checksums only where
 * S3 requires them (s3rver predates the SDK's default CRC checksums and would store their
 * aws-chunked framing as the object's bytes).
 */
export function s3rverClient(endpoint: string, region = 'us-east-1'): S3Client {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A running s3rver. */
export interface S3Emulator {
  readonly endpoint: string;
  readonly port: number;
  /**
   * Tells `listener` of every object written or removed from now on, before s3rver answers the request
   * that did it (as S3's notifications, but in step: a client that has its answer knows the change is
   * told).
   */
  onObjectChange(listener: (change: ObjectChange) => void): void;
  close(): Promise<void>;
}

/** A running dynalite. */
export interface DynamoEmulator {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Where and how s3rver runs. */
export interface S3EmulatorOptions {
  readonly host: string;
  readonly port: number;
  readonly directory: string;
  readonly buckets: readonly string[];
  /** Awaited after each request is handled and before it is answered. @default none */
  readonly beforeAnswer?: () => Promise<void>;
}

/** Where dynalite runs. */
export interface DynamoEmulatorOptions {
  readonly host: string;
  readonly port: number;
  readonly directory: string;
}

/**
 * Starts s3rver in-process, keeping objects under `directory` and creating `buckets` if missing
 * (its `configureBuckets` is idempotent). Keys it could not keep as files as they are (a `.` or `..`
 * part, a part over its file-name limit) are refused with a 400 (see `refuseUnstorableKeys`).
 */
export async function startS3Emulator(options: S3EmulatorOptions): Promise<S3Emulator> {
  await mkdir(options.directory, { recursive: true });
  applyS3rverShims();
  const S3rver = require('s3rver') as S3rverConstructor;
  const instance = new S3rver({
    port: options.port,
    address: options.host,
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  // Koa logs unhandled app errors to stderr by default; s3rver answers them as S3 errors already.
  instance.on('error', () => undefined);
  // Before it listens: Koa composes its middleware then.
  refuseUnstorableKeys(instance);
  const { beforeAnswer } = options;
  if (beforeAnswer !== undefined) {
    instance.middleware.unshift(async (_context, next) => {
      await next();
      await beforeAnswer();
    });
  }
  // s3rver listens with no 'error' listener, so a taken port would be an uncaught exception: find out
  // first, as a rejection that names the port.
  if (options.port !== 0) await assertPortFree(options.host, options.port);
  const listeners: Array<(change: ObjectChange) => void> = [];
  watchObjectChanges(instance, (change) => {
    for (const listener of listeners) listener(change);
  });
  const address = await instance.run();
  return {
    endpoint: `http://${options.host}:${address.port}`,
    port: address.port,
    onObjectChange: (listener) => listeners.push(listener),
    // Not instance.close(): that waits for idle keep-alive sockets of SDK clients to time out.
    close: async () => {
      if (instance.httpServer !== undefined) await closeServer(instance.httpServer);
    },
  };
}

/**
 * Turns s3rver's writes into object changes. Creations come from its `event`s; removals from its
 * store, because s3rver emits nothing for a multi-object delete (`DeleteObjects`, used by
 * `aws s3 rm --recursive`) while S3 notifies every key it removes. Its own removal event is
 * skipped so a single DELETE is not reported twice. Both happen inside the request, before its answer.
 */
function watchObjectChanges(instance: S3rverInstance, notify: (change: ObjectChange) => void): void {
  instance.on('event', (event: S3rverEvent) => {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      notify({
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        eventName: record.eventName,
        size: record.s3.object.size,
        eTag: record.s3.object.eTag,
        sourceIp: record.requestParameters?.sourceIPAddress,
      });
    }
  });
  const store = instance.store;
  const deleteObject = store.deleteObject.bind(store);
  store.deleteObject = async (bucket: string, key: string) => {
    await deleteObject(bucket, key);
    notify({ bucket, key, eventName: 'ObjectRemoved:Delete' });
  };
}

/**
 * Local data the emulators cannot read (a file cut off by a crash or a full disk): what is broken,
 * where, and what to do. `feedwright dev` prints the message, with no stack, and exits non-zero.
 */
export class LocalDataError extends Error {
  override readonly name = 'LocalDataError';
}

/** The part of `level` (dynalite's own LevelDB binding) the check uses. */
type LevelConstructor = new (
  location: string,
  options: { keyEncoding: 'buffer'; valueEncoding: 'buffer' },
) => {
  open(): Promise<void>;
  iterator(): AsyncIterable<unknown>;
  close(): Promise<void>;
};

/**
 * Reads every entry of the LevelDB store under `directory` once, so that a damaged file is found now,
 * with a sentence, rather than by dynalite, which throws LevelDB's errors where nothing catches them
 * (the process ends with a `LEVEL_IO_ERROR` or `LEVEL_CORRUPTION` stack at the first read).
 * @throws LocalDataError naming the folder, LevelDB's own words, and what to do.
 */
async function checkDynamoData(directory: string): Promise<void> {
  const { Level } = require('level') as { Level: LevelConstructor };
  const db = new Level(directory, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  try {
    await db.open();
    for await (const _entry of db.iterator()) {
      // Reading is the check: each table file is opened and its blocks checksummed.
    }
  } catch (error) {
    const cause = error as { code?: string; message?: string; cause?: { message?: string } };
    const detail = [cause.code, cause.cause?.message ?? cause.message].filter(Boolean).join(': ');
    throw new LocalDataError(
      `the local DynamoDB data in ${directory} is damaged and cannot be read (${detail}). ` +
        `Nothing was changed. Move the folder aside (mv '${directory}' '${directory}.damaged') and start ` +
        'again: the digests kept in the local S3 rebuild the table and the site at the next start ' +
        '(reconcile); delete the moved folder once the site is back.',
      { cause: error },
    );
  } finally {
    await db.close().catch(() => undefined);
  }
}

/**
 * Starts dynalite in-process with its LevelDB files under `directory`, after reading them once (see
 * {@link checkDynamoData}).
 * @throws LocalDataError when the files are damaged.
 */
export async function startDynamoEmulator(options: DynamoEmulatorOptions): Promise<DynamoEmulator> {
  await mkdir(options.directory, { recursive: true });
  await checkDynamoData(options.directory);
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({ path: options.directory, createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

/** Rejects with Node's own EADDRINUSE error (its `code` and `port`) when `port` on `host` is taken. */
function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
