/**
 * Worker thread entry of {@link buildSearchFilesAside}: indexes the records it is given with Pagefind and
 * posts back the bundle, or the error's message. Its own event loop keeps Pagefind's pipe flowing while
 * the thread that started it is busy with synchronous work.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SearchRecord } from '@feedwright/site';
import { indexRecords } from './build-index.ts';

/** What the worker is started with. */
export interface IndexWorkerData {
  readonly records: readonly SearchRecord[];
  readonly language: string;
}

/** What the worker posts back, once. */
export type IndexWorkerResult =
  | { readonly files: ReadonlyArray<{ readonly path: string; readonly content: Uint8Array }> }
  | { readonly error: string };

const { records, language } = workerData as IndexWorkerData;
const post = (result: IndexWorkerResult): void => parentPort?.postMessage(result);
indexRecords(records, language).then(
  (files) => post({ files }),
  (error: unknown) => post({ error: error instanceof Error ? error.message : String(error) }),
);
