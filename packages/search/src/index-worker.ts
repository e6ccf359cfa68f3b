/**
 * Worker thread entry of {@link openSearchIndexer}: starts Pagefind's service at once (while the thread
 * that opened it still reads digests), then indexes the records it is sent and posts back the bundle, or
 * the error's message. Its own event loop keeps Pagefind's pipe flowing while the other thread is busy
 * with synchronous work.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SearchRecord } from '@feedwright/site';
import { indexRecords, startPagefind } from './build-index.ts';

/** What the worker is started with. */
export interface IndexWorkerData {
  readonly language: string;
}

/** What the worker is sent, once. */
export interface IndexWorkerRequest {
  readonly records: readonly SearchRecord[];
}

/** What the worker posts back: that it runs, then the bundle or the error. */
export type IndexWorkerResult =
  | { readonly ready: true }
  | { readonly files: ReadonlyArray<{ readonly path: string; readonly content: Uint8Array }> }
  | { readonly error: string };

const post = (result: IndexWorkerResult): void => parentPort?.postMessage(result);
const { language } = workerData as IndexWorkerData;
const started = startPagefind(language);
post({ ready: true });
parentPort?.once('message', ({ records }: IndexWorkerRequest) => {
  started
    .then(() => indexRecords(records, language))
    .then(
      (files) => post({ files }),
      (error: unknown) => post({ error: error instanceof Error ? error.message : String(error) }),
    );
});
