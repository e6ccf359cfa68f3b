import { type LocalEndpoints, readLocalEndpoints } from '@feedwright/local-stack';
import { UsageError } from './command.ts';

/** Where `feedwright dev` keeps its data, and its endpoints file, by default. */
export const LOCAL_DATA_DIR = '.feedwright';

/**
 * The `feedwright dev` running on this data folder (`--data-dir`, default `.feedwright`), as its
 * endpoints file says; undefined on AWS (`--aws`) or when none is recorded. The commands that talk to
 * the local stack read it, so that they find a stack on any ports without flags.
 * @throws UsageError when `--data-dir` is empty or its endpoints file cannot be read
 */
export async function runningStack(
  values: Readonly<Record<string, string | boolean | undefined>>,
): Promise<LocalEndpoints | undefined> {
  if (values.aws === true) return undefined;
  const dataDir = values['data-dir'] ?? LOCAL_DATA_DIR;
  if (typeof dataDir !== 'string' || dataDir === '') throw new UsageError('--data-dir needs a value');
  try {
    return await readLocalEndpoints(dataDir);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
