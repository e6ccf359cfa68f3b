import { Worker } from 'node:worker_threads';
import type { Story } from '@feedwright/digest';
import { type SearchPageOptions, type SiteConfig, searchRecords } from '@feedwright/site';
import type { SiteObject } from '@feedwright/storage';
import { indexRecords, type PagefindFile, SearchIndexError, searchFilesOf } from './build-index.ts';
import type { IndexWorkerData, IndexWorkerResult } from './index-worker.ts';

/**
 * `buildSearchFiles`, with Pagefind driven from a worker thread: the same files, while the calling thread
 * is free to do synchronous work (`feedwright build` renders and writes the pages meanwhile). Driven from
 * the calling thread, Pagefind would wait for it: its records go through a pipe that only an idle event
 * loop fills.
 *
 * The worker runs the TypeScript sources, which a worker can load only where the loader's hooks reach
 * worker threads (Node.js 22, as the repository runs); elsewhere Pagefind is driven from this thread.
 * @throws SearchIndexError when Pagefind reports an error.
 */
export async function buildSearchFilesAside(
  stories: readonly Story[],
  config: SiteConfig,
  options: SearchPageOptions = {},
): Promise<SiteObject[]> {
  const records = searchRecords(stories, config);
  const data: IndexWorkerData = { records, language: config.language };
  const bundle = await inWorker(data).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    return indexRecords(records, config.language);
  });
  return searchFilesOf(bundle, config, options);
}

function inWorker(data: IndexWorkerData): Promise<readonly PagefindFile[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./index-worker.ts', import.meta.url), { workerData: data });
    worker.once('message', (result: IndexWorkerResult) => {
      void worker.terminate();
      if ('error' in result) reject(new SearchIndexError(result.error));
      else resolve(result.files);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new SearchIndexError(`the index worker stopped (exit ${code})`)));
  });
}

export { SearchIndexError } from './build-index.ts';
