/**
 * Worker thread entry of {@link startEmulatorThread}: runs s3rver or dynalite on its own event loop (and
 * so on the machine's other core), and tells the thread that started it of each object change, waiting for
 * its acknowledgement before s3rver answers the request that made it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmulatorRequest, EmulatorWorkerData, EmulatorWorkerMessage } from './emulator-thread.ts';
import { type DynamoEmulator, type S3Emulator, startDynamoEmulator, startS3Emulator } from './emulators.ts';

const port = parentPort;
if (port === null) throw new Error('emulator-worker.ts runs as a worker thread only');
const post = (message: EmulatorWorkerMessage): void => port.postMessage(message);

/** Changes told and not yet acknowledged, by id. */
const unacknowledged = new Map<number, { readonly told: Promise<void>; readonly acknowledge: () => void }>();
let nextChange = 0;

async function start(data: EmulatorWorkerData): Promise<S3Emulator | DynamoEmulator> {
  if (data.kind === 'dynamo') return startDynamoEmulator(data.options);
  const emulator = await startS3Emulator({
    ...data.options,
    // Every change told so far is acknowledged before the answer goes out.
    beforeAnswer: async () => {
      await Promise.all([...unacknowledged.values()].map((entry) => entry.told));
    },
  });
  emulator.onObjectChange((change) => {
    const id = nextChange++;
    let acknowledge = (): void => undefined;
    const told = new Promise<void>((resolve) => {
      acknowledge = resolve;
    });
    unacknowledged.set(id, { told, acknowledge });
    post({ type: 'change', id, change });
  });
  return emulator;
}

start(workerData as EmulatorWorkerData).then(
  (emulator) => {
    port.on('message', (request: EmulatorRequest) => {
      if (request.type === 'ack') {
        unacknowledged.get(request.id)?.acknowledge();
        unacknowledged.delete(request.id);
      } else {
        void emulator.close().then(() => post({ type: 'closed' }));
      }
    });
    post({ type: 'ready', port: emulator.port });
  },
  (error: unknown) => {
    const cause = error as NodeJS.ErrnoException & { port?: number };
    post({
      type: 'failed',
      error: {
        name: cause.name ?? 'Error',
        message: cause.message ?? String(error),
        ...(cause.code === undefined ? {} : { code: cause.code }),
        ...(cause.port === undefined ? {} : { port: cause.port }),
      },
    });
  },
);
