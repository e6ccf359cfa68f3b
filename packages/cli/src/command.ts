/** A subcommand of `feedwright`: its one-line summary, its `--help` text and its entry point. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}

/** Wrong flags or arguments: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Runs `read` (flag parsing, a time zone, a URL…) and reports whatever it throws as a UsageError. */
export function asUsageError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
