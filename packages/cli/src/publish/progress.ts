/**
 * One progress line on a terminal, e.g. `waiting for ingest's report: 2 files, 3 s`; nothing at all
 * when the stream is not a TTY (a script or CI log gets only the outcome lines).
 */
export class ProgressLine {
  readonly #stream: NodeJS.WriteStream;
  readonly #waiting = new Map<string, { what: string; ms: number }>();
  #timer: NodeJS.Timeout | undefined;
  #shown = false;

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }

  /** `file` is waiting for `what` since `ms`. */
  update(file: string, what: string, ms: number): void {
    if (!this.#stream.isTTY) return;
    this.#waiting.set(file, { what, ms });
    this.#timer ??= setInterval(() => this.#render(), 250);
  }

  /** `file` is no longer waiting. */
  done(file: string): void {
    this.#waiting.delete(file);
  }

  /** Erases the line (before printing an outcome); it comes back on the next tick. */
  clear(): void {
    if (this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.clear();
  }

  #render(): void {
    const [first] = this.#waiting.values();
    if (first === undefined) {
      this.clear();
      return;
    }
    const files = this.#waiting.size === 1 ? '' : `${this.#waiting.size} files, `;
    this.#stream.write(`\r\x1b[K${first.what}: ${files}${Math.floor(first.ms / 1000)} s`);
    this.#shown = true;
  }
}

/** Runs `work` over `items`, at most `limit` at once; results in the items' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
