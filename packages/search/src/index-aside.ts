import { Worker } from 'node:worker_threads';
import type { Story } from '@feedwright/digest';
import { type SearchPageOptions, type SiteConfig, searchRecords } from '@feedwright/site';
import type { SiteObject } from '@feedwright/storage';
import { indexRecords, type PagefindFile, SearchIndexError, searchFilesOf } from './build-index.ts';
import type { IndexWorkerData, IndexWorkerRequest, IndexWorkerResult } from './index-worker.ts';

/** A search index builder opened ahead of its stories (see {@link openSearchIndexer}). */
export interface SearchIndexer {
  /**
   * `buildSearchFiles` of `stories`: the same files. Once only.
   * @throws SearchIndexError when Pagefind reports an error.
   */
  build(stories: readonly Story[], config: SiteConfig, options?: SearchPageOptions): Promise<SiteObject[]>;
  /** Lets the process end without building (a build that stops early). */
  close(): void;
}

/**
 * `buildSearchFiles` with Pagefind driven from a worker thread, opened before the stories are known:
 * the worker starts Pagefind's service at once, and the calling thread is free to do synchronous work
 * while it indexes (`feedwright build` reads the digests meanwhile, then renders and writes the pages).
 * Driven from the calling thread, Pagefind would wait for it: its records go through a pipe that only an
 * idle event loop fills.
 *
 * The worker runs the TypeScript sources, which a worker can load where Node.js reads TypeScript (22, as
 * the repository runs); elsewhere Pagefind is driven from this thread.
 */
export function openSearchIndexer(language: string): SearchIndexer {
  const data: IndexWorkerData = { language };
  const worker = new Worker(new URL('./index-worker.ts', import.meta.url), { workerData: data });
  // Not keeping the process alive until it is given work.
  worker.unref();
  // Whether the worker runs: false when it could not load (then Pagefind is driven from this thread).
  const running = new Promise<boolean>((resolve) => {
    worker.once('message', () => resolve(true));
    worker.once('error', () => resolve(false));
  });
  return {
    async build(stories, config, options = {}) {
      // From here the process waits for the worker, even before it has said that it runs.
      worker.ref();
      const records = searchRecords(stories, config);
      // Posted now, before any await: the caller goes on with synchronous work (the build renders and
      // writes its pages), and a continuation of this function would run only once that is done.
      const inThread = inWorker(worker, { records });
      // Settled here when the worker could not load; then Pagefind is driven from this thread.
      inThread.catch(() => undefined);
      const bundle = (await running) ? await inThread : await indexRecords(records, config.language);
      return searchFilesOf(bundle, config, options);
    },
    close: () => void worker.terminate(),
  };
}

function inWorker(worker: Worker, request: IndexWorkerRequest): Promise<readonly PagefindFile[]> {
  return new Promise<readonly PagefindFile[]>((resolve, reject) => {
    worker.on('message', (result: IndexWorkerResult) => {
      if ('error' in result) reject(new SearchIndexError(result.error));
      else if ('files' in result) resolve(result.files);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new SearchIndexError(`the index worker stopped (exit ${code})`)));
    worker.postMessage(request);
  }).finally(() => void worker.terminate());
}

/**
 * `buildSearchFiles`, with Pagefind driven from a worker thread ({@link openSearchIndexer} opened and
 * built at once).
 * @throws SearchIndexError when Pagefind reports an error.
 */
export function buildSearchFilesAside(
  stories: readonly Story[],
  config: SiteConfig,
  options: SearchPageOptions = {},
): Promise<SiteObject[]> {
  return openSearchIndexer(config.language).build(stories, config, options);
}

export { SearchIndexError } from './build-index.ts';
