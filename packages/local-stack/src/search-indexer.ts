/** Options of {@link DebouncedIndexer}. */
export interface DebouncedIndexerOptions {
  /**
   * How long after the first change the index is rebuilt, and so at most how often it is rebuilt while
   * changes keep coming (the local counterpart of the search-index event source's batching window).
   */
  readonly intervalMs: number;
  /** Rebuilds the index (from every live story: the changes themselves are not needed). */
  readonly rebuild: () => Promise<void>;
  /** A rebuild that failed; the next change tries again. */
  readonly onError: (error: unknown) => void;
}

/**
 * Rebuilds the search index after changes, debounced: the first change schedules a rebuild `intervalMs`
 * later, changes meanwhile join it, and changes during a rebuild schedule one more, `intervalMs` after it
 * ends. Never two rebuilds at once.
 */
export class DebouncedIndexer {
  readonly #options: DebouncedIndexerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #dirty = false;
  #closed = false;
  #waiters: Array<() => void> = [];

  constructor(options: DebouncedIndexerOptions) {
    this.#options = options;
  }

  /** Stories changed. */
  touch(): void {
    if (this.#closed) return;
    this.#dirty = true;
    if (this.#timer === undefined && this.#running === undefined) this.#schedule();
  }

  /** Whether a rebuild is due or running. */
  get busy(): boolean {
    return this.#dirty || this.#running !== undefined;
  }

  /** Resolves once no rebuild is due or running. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Drops a rebuild not yet started and waits for a running one. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#dirty = false;
    await this.#running;
    this.#settle();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#dirty = false;
      this.#running = this.#options
        .rebuild()
        .catch((error: unknown) => this.#options.onError(error))
        .finally(() => {
          this.#running = undefined;
          if (this.#dirty && !this.#closed) this.#schedule();
          else this.#settle();
        });
    }, this.#options.intervalMs);
  }

  #settle(): void {
    if (this.busy) return;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}
