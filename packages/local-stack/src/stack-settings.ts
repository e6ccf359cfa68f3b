import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The settings a running local stack was started with that a later command must apply alike: the
 * sender policy above all, so that `feedwright reconcile` never re-applies mail under a looser one
 * than the stack's (a repair that defaulted to "anyone" would publish what the stack refused).
 */
export interface StackSettings {
  /** `--allowed-senders` as given, or `null` when the stack takes mail from anyone. */
  readonly allowedSenders: string | null;
  readonly timezone: string;
}

/** Where {@link writeStackSettings} keeps them: `<data dir>/settings.json`. */
export function stackSettingsPath(dataDir: string): string {
  return join(dataDir, 'settings.json');
}

/** Records the stack's settings in its data folder (written whole, then renamed into place). */
export async function writeStackSettings(dataDir: string, settings: StackSettings): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const path = stackSettingsPath(dataDir);
  await writeFile(`${path}.tmp`, `${JSON.stringify(settings, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

/**
 * The settings the local stack in `dataDir` was last started with, or `undefined` when it has
 * none recorded there.
 *
 * @throws {Error} naming the file, when it exists but is not such a record.
 */
export async function readStackSettings(dataDir: string): Promise<StackSettings | undefined> {
  const path = stackSettingsPath(dataDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<StackSettings>;
  if (
    (parsed.allowedSenders !== null && typeof parsed.allowedSenders !== 'string') ||
    typeof parsed.timezone !== 'string'
  ) {
    throw new Error(
      `${path}: not the local stack's settings (allowedSenders and timezone); start 'feedwright dev' again`,
    );
  }
  return { allowedSenders: parsed.allowedSenders, timezone: parsed.timezone };
}
