import type { Context } from 'aws-lambda';
import { createLambdaContext, type LocalFunction } from './lambda-context.ts';

/** Options of {@link AsyncInvoker}. */
export interface AsyncInvokerOptions<E> {
  readonly fn: LocalFunction;
  readonly handler: (event: E, context: Context) => Promise<unknown>;
  /**
   * Waits before each retry of a failed invocation; Lambda retries an asynchronous invocation
   * twice (after a minute, then two), here after short pauses.
   * @default [200, 1000]
   */
  readonly retryDelaysMs?: readonly number[];
  /** @default 4 */
  readonly concurrency?: number;
  /** Reports failures, retries and dropped events. */
  readonly log: (line: string) => void;
}

/**
 * Invokes a handler the way S3 notifications invoke Lambda: asynchronously, with retries when it
 * throws. Events of one group (one object key) run one after another, so a quick put-then-delete
 * reaches the handler in order; different keys run side by side up to the concurrency limit.
 */
export class AsyncInvoker<E> {
  readonly #options: AsyncInvokerOptions<E>;
  readonly #groups = new Map<string, Promise<void>>();
  readonly #idleWaiters: Array<() => void> = [];
  readonly #slotWaiters: Array<() => void> = [];
  #pending = 0;
  #running = 0;

  constructor(options: AsyncInvokerOptions<E>) {
    this.#options = options;
  }

  /** Events queued or running. */
  get pending(): number {
    return this.#pending;
  }

  /** Queues an invocation; never rejects (failures are logged, as Lambda's would be). */
  invoke(event: E, group: string, description: string): void {
    this.#pending += 1;
    const previous = this.#groups.get(group) ?? Promise.resolve();
    const next = previous.then(() => this.#run(event, description));
    this.#groups.set(group, next);
    void next.finally(() => {
      if (this.#groups.get(group) === next) this.#groups.delete(group);
      this.#pending -= 1;
      if (this.#pending === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    });
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #run(event: E, description: string): Promise<void> {
    await this.#acquire();
    try {
      const delays = this.#options.retryDelaysMs ?? [200, 1000];
      for (let attempt = 0; ; attempt += 1) {
        try {
          await this.#options.handler(event, createLambdaContext(this.#options.fn));
          return;
        } catch (error) {
          const delay = delays[attempt];
          if (delay === undefined) {
            this.#options.log(
              `${this.#options.fn.functionName}: ${description} failed ${attempt + 1} times, event dropped: ${describe(error)}`,
            );
            return;
          }
          this.#options.log(
            `${this.#options.fn.functionName}: ${description} failed (${describe(error)}); retrying in ${delay} ms`,
          );
          await sleep(delay);
        }
      }
    } finally {
      this.#release();
    }
  }

  async #acquire(): Promise<void> {
    if (this.#running < (this.#options.concurrency ?? 4)) {
      this.#running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
  }

  #release(): void {
    const next = this.#slotWaiters.shift();
    // The slot passes straight to the next waiter, so #running stays the same.
    if (next !== undefined) next();
    else this.#running -= 1;
  }
}

/** One line for a log: the message of an error, or the value. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
