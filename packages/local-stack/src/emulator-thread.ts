import { Worker } from 'node:worker_threads';
import {
  type DynamoEmulator,
  type DynamoEmulatorOptions,
  LocalDataError,
  type S3Emulator,
  type S3EmulatorOptions,
  startDynamoEmulator,
  startS3Emulator,
} from './emulators.ts';
import type { ObjectChange } from './s3-notifications.ts';

/** What an emulator thread is started with. */
export type EmulatorWorkerData =
  | { readonly kind: 's3'; readonly options: Omit<S3EmulatorOptions, 'beforeAnswer'> }
  | { readonly kind: 'dynamo'; readonly options: DynamoEmulatorOptions };

/** What the starting thread sends an emulator thread. */
export type EmulatorRequest = { readonly type: 'ack'; readonly id: number } | { readonly type: 'close' };

/** What an emulator thread sends back. */
export type EmulatorWorkerMessage =
  | { readonly type: 'ready'; readonly port: number }
  | {
      readonly type: 'failed';
      readonly error: { name: string; message: string; code?: string; port?: number };
    }
  | { readonly type: 'change'; readonly id: number; readonly change: ObjectChange }
  | { readonly type: 'closed' };

/**
 * s3rver on a worker thread of its own, else in this thread: the same emulator, with its requests (file
 * reads and writes, MD5s, Koa) off the thread that runs the functions. Object changes are told to the
 * listeners here before s3rver answers the request that made them, as in one thread.
 */
export async function startS3EmulatorThread(
  options: Omit<S3EmulatorOptions, 'beforeAnswer'>,
): Promise<S3Emulator> {
  const listeners: Array<(change: ObjectChange) => void> = [];
  const started = await startEmulatorThread({ kind: 's3', options }, (change) => {
    for (const listener of listeners) listener(change);
  });
  if (started === undefined) return startS3Emulator(options);
  return {
    endpoint: `http://${options.host}:${started.port}`,
    port: started.port,
    onObjectChange: (listener) => listeners.push(listener),
    close: started.close,
  };
}

/** dynalite on a worker thread of its own (LevelDB reads and writes off this thread), else in this one. */
export async function startDynamoEmulatorThread(options: DynamoEmulatorOptions): Promise<DynamoEmulator> {
  const started = await startEmulatorThread({ kind: 'dynamo', options }, () => undefined);
  if (started === undefined) return startDynamoEmulator(options);
  return { endpoint: `http://${options.host}:${started.port}`, port: started.port, close: started.close };
}

/**
 * Starts an emulator thread and resolves once it listens; undefined when this Node.js cannot run the
 * worker's TypeScript (Node.js 20: the loader's hooks do not reach worker threads; Node.js 22 strips
 * types itself), so the caller runs the emulator in this thread instead.
 * @throws the emulator's own start-up error (a taken port, damaged data), as it would throw in this thread.
 */
function startEmulatorThread(
  data: EmulatorWorkerData,
  onChange: (change: ObjectChange) => void,
): Promise<{ port: number; close: () => Promise<void> } | undefined> {
  const worker = new Worker(new URL('./emulator-worker.ts', import.meta.url), { workerData: data });
  const send = (request: EmulatorRequest): void => worker.postMessage(request);
  let closed: (() => void) | undefined;
  let exited = false;
  worker.once('exit', () => {
    exited = true;
    closed?.();
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    worker.on('message', (message: EmulatorWorkerMessage) => {
      switch (message.type) {
        case 'ready':
          ready = true;
          resolve({
            port: message.port,
            close: async () => {
              // A thread that stopped (a fault) has nothing left to close.
              if (exited) return;
              const done = new Promise<void>((resolveClose) => {
                closed = resolveClose;
              });
              send({ type: 'close' });
              await done;
              await worker.terminate();
            },
          });
          return;
        case 'failed':
          void worker.terminate();
          reject(startError(message.error));
          return;
        case 'change':
          try {
            onChange(message.change);
          } finally {
            send({ type: 'ack', id: message.id });
          }
          return;
        case 'closed':
          closed?.();
          return;
      }
    });
    worker.on('error', (error: NodeJS.ErrnoException) => {
      if (!ready) {
        if (error.code === 'ERR_UNKNOWN_FILE_EXTENSION') resolve(undefined);
        else reject(error);
        return;
      }
      // A fault in the emulator while it runs: as fatal as it was in this thread.
      throw error;
    });
  });
}

function startError(error: { name: string; message: string; code?: string; port?: number }): Error {
  if (error.name === LocalDataError.name) return new LocalDataError(error.message);
  return Object.assign(new Error(error.message), {
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.port === undefined ? {} : { port: error.port }),
  });
}
