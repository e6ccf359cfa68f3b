/** Where a setting is used: the value reaches every function (and command) of that part. */
export type SettingScope = 'site' | 'pipeline' | 'deploy';

/**
 * One setting, defined once: the CLI flag, the Lambda environment variable and the CDK context key
 * that carry it, its default, what it means, and the check every value passes wherever it comes from.
 */
export interface Setting<T> {
  /** The setting's name; also its CDK context key when {@link Setting.context} is true. */
  readonly name: string;
  readonly scope: SettingScope;
  /** What it does, one sentence, as `--help` and docs/operations.md show it. */
  readonly help: string;
  /** The environment variable the stack sets on the functions that read it. @default - none */
  readonly env?: string;
  /** The long CLI flag, without its dashes. @default - none */
  readonly flag?: string;
  /** The value's placeholder in `--help`: `URL`, `N`, `TZ`, `TEXT`, `LIST`. */
  readonly placeholder: string;
  /** Whether `cdk deploy -c <name>=…` sets it. */
  readonly context: boolean;
  /** The value when it is not given; undefined when there is none. */
  readonly defaultValue: T | undefined;
  /** The default as a person reads it, for `--help` and the docs. */
  readonly defaultText: string;
  /**
   * Reads a given text into the value, or throws an Error whose message says what is accepted
   * (without naming the source: the reader adds the flag, the variable or the context key).
   */
  readonly check: (raw: string) => T;
  /** The value as its environment variable carries it. @default String(value) */
  readonly toText?: (value: T) => string;
}

/** A setting that cannot work; the message names where it came from and what it accepts. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The message of whatever a check threw. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The known name closest to `given` (letter case ignored), when it is close enough to be a likely
 * slip: at most a third of its letters, and at least one, differ.
 */
export function closestName(given: string, known: Iterable<string>): string | undefined {
  const target = given.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(target, name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  if (best === undefined) return undefined;
  return best.distance <= Math.max(1, Math.floor(given.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i += 1) d[i * cols] = i;
  for (let j = 0; j < cols; j += 1) d[j] = j;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}
