import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { closestName } from '@feedwright/config';
import { UsageError } from './command.ts';

/**
 * The exit status of every command, one table for all (docs/cli.md): a script can tell a refused
 * digest from a wrong command line from a service that could not be reached.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Refused: a digest was rejected, or what was named is not there (no such digest, work left). */
  refused: 1,
  /** Wrong usage: an unknown option, a missing or bad value, a missing file or folder. */
  usage: 2,
  /** Failed: the stack or AWS could not be reached, refused the credentials, or timed out. */
  failed: 3,
} as const;

/** The exit-status paragraph every command's `--help` ends with. */
export const EXIT_STATUS_HELP = `Exit status (every command): ${EXIT.ok} done; ${EXIT.refused} refused (a digest rejected, or nothing
to act on); ${EXIT.usage} wrong usage (unknown option, missing value, missing file); ${EXIT.failed} failed (the stack
or AWS unreachable, credentials refused, a timeout).`;

/** One option of a command: a value (`--out DIR`) or a switch (`--dry-run`). */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The value's name in `--help` and in a "needs a value" message (`DIR`, `URL`). */
  readonly placeholder?: string;
}

/** What a command takes: its options and how many arguments, named as in its usage line. */
export interface CommandLineSpec {
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** @default no arguments */
  readonly args?: { readonly name: string; readonly min: number; readonly max: number };
}

/** A parsed command line: option values by flag name (without dashes), and the arguments. */
export interface CommandLine {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly args: readonly string[];
}

/**
 * Parses a command's arguments with the same rules and the same messages for every command: an
 * unknown option (with the nearest known one), an option without its value, a switch given a value,
 * too few or too many arguments. `-h`/`--help` are handled before, by `main`.
 * @throws UsageError
 */
export function parseCommandLine(argv: readonly string[], spec: CommandLineSpec): CommandLine {
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(spec.options).map(([name, option]) => [name, { type: option.type }]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string | boolean | undefined> = {};
  const args: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      args.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const option = spec.options[token.name];
    if (option === undefined) {
      const near = closestName(token.name, Object.keys(spec.options));
      throw new UsageError(
        `unknown option '${token.rawName}'${near === undefined ? '' : ` (did you mean '--${near}'?)`}`,
      );
    }
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`option '${token.rawName}' takes no value`);
      values[token.name] = true;
      continue;
    }
    // A following "-x" is taken for a forgotten value, not for the value itself.
    const value = token.value;
    const forgotten = value === undefined || value === '' || (!token.inlineValue && /^-./.test(value));
    if (forgotten) {
      throw new UsageError(
        `option '${token.rawName}' needs a value: ${token.rawName} ${option.placeholder ?? 'VALUE'}`,
      );
    }
    values[token.name] = value;
  }
  const { name, min, max } = spec.args ?? { name: '', min: 0, max: 0 };
  if (args.length < min) throw new UsageError(`missing ${name}`);
  if (args.length > max) {
    const extra = args.slice(max).map((arg) => `'${arg}'`);
    throw new UsageError(`unexpected argument${extra.length === 1 ? '' : 's'} ${extra.join(' ')}`);
  }
  return { values, args };
}

/**
 * Checks that each path names a file (or, with `folders`, a file or a folder) before a command reads
 * any, with the same message whichever command it is.
 * @throws UsageError
 */
export async function requireInputs(paths: readonly string[], options: { folders: boolean }): Promise<void> {
  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(path)).isDirectory();
    } catch {
      throw new UsageError(`no such file${options.folders ? ' or folder' : ''}: ${path}`);
    }
    if (isFolder && !options.folders) throw new UsageError(`${path} is a folder; name a digest file`);
  }
}
