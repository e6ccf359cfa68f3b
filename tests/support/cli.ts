import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where `npx feedwright` runs from. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The installed `feedwright` bin, as `npm ci` links it. */
export const FEEDWRIGHT_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'feedwright');

/** How a `feedwright` run ended. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `feedwright` bin from the repository root, as a user would after `npm ci`. */
export function runFeedwright(...args: string[]): Promise<CliRun> {
  return runFeedwrightWith({}, ...args);
}

/** {@link runFeedwright} with extra environment variables (`undefined` removes one). */
export function runFeedwrightWith(
  env: Record<string, string | undefined>,
  ...args: string[]
): Promise<CliRun> {
  return runFeedwrightIn(REPO_ROOT, env, ...args);
}

/** {@link runFeedwrightWith} from another working folder, as a user in their own project would. */
export function runFeedwrightIn(
  cwd: string,
  env: Record<string, string | undefined>,
  ...args: string[]
): Promise<CliRun> {
  const merged = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  return new Promise((resolve) => {
    execFile(
      FEEDWRIGHT_BIN,
      args,
      { cwd, env: merged, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
