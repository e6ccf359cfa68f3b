import { mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { watch } from 'chokidar';
import type { UploadLedger } from './upload-ledger.ts';

/** Options of {@link watchInbox}. */
export interface InboxOptions {
  readonly directory: string;
  /** Uploads a digest file's bytes under its file name. */
  readonly upload: (name: string, bytes: Buffer) => Promise<void>;
  readonly log: (line: string) => void;
  /**
   * What was uploaded before, across restarts: a file found at start whose bytes are as last uploaded
   * is not uploaded again (see `openUploadLedger`).
   * @default undefined - every file found at start is uploaded
   */
  readonly ledger?: UploadLedger;
  /**
   * How long a file's size must stay the same before it counts as written in full (chokidar's
   * `awaitWriteFinish.stabilityThreshold`). A copy over a slow disk or network share pauses between
   * chunks; the default outlasts a pause of a second or more.
   * @default 2000
   */
  readonly settleMs?: number;
}

/** A running inbox watcher. */
export interface InboxWatcher {
  /** A file is waiting to settle or being uploaded. */
  readonly busy: boolean;
  /** Resolves once every file seen so far is uploaded (or given up on). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const IDLE_POLL_MS = 25;

/**
 * Watches the drop folder with chokidar: each `*.txt` file that appears or changes there is uploaded
 * once, whole, after its size has stayed the same for `settleMs` (`awaitWriteFinish`), and so is each
 * one present at start, unless the `ledger` has these very bytes of it as uploaded already: a digest
 * withdrawn since stays withdrawn at the next start (a file dropped or changed while the watcher runs
 * is always uploaded: that is an editor publishing it). It is a drop folder, not a mirror:
 * removing a file does not delete the digest (withdrawing is an explicit S3 delete), so clearing the
 * folder never un-publishes stories. Dot-files, other extensions and subfolders are ignored.
 */
export async function watchInbox(options: InboxOptions): Promise<InboxWatcher> {
  const directory = resolve(options.directory);
  await mkdir(directory, { recursive: true });
  const settleMs = options.settleMs ?? 2000;
  const inFlight = new Set<Promise<void>>();
  // Their first event is the start's: checked against the ledger. Any later one is an editor's drop.
  const foundAtStart = new Set(await readdir(directory));

  const watcher = watch(directory, {
    depth: 0,
    ignored: (path, stats) =>
      path !== directory && (stats?.isDirectory() === true || !isDigestFile(basename(path))),
    awaitWriteFinish: {
      stabilityThreshold: settleMs,
      pollInterval: Math.max(10, Math.min(100, settleMs / 4)),
    },
  });

  const upload = (path: string): void => {
    if (dirname(path) !== directory) return;
    const name = basename(path);
    const task = (async () => {
      try {
        const bytes = await readFile(path);
        if (foundAtStart.delete(name) && options.ledger?.has(name, bytes) === true) {
          options.log(
            `inbox: ${name} is unchanged since its upload; not uploaded again (a withdrawn digest stays withdrawn: drop it again, or use feedwright publish, to publish it again)`,
          );
          return;
        }
        await options.upload(name, bytes);
        await options.ledger?.record(name, bytes);
        options.log(`inbox: uploaded ${name}`);
      } catch (error) {
        options.log(
          `inbox: could not upload ${name}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    })().finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  watcher.on('add', upload);
  watcher.on('change', upload);
  watcher.on('error', (error) =>
    options.log(
      `inbox: watching ${directory} failed: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));

  // chokidar keeps the files still being written (not yet stable) in `_pendingWrites`.
  const busy = (): boolean => watcher._pendingWrites.size > 0 || inFlight.size > 0;
  return {
    get busy() {
      return busy();
    },
    idle: async () => {
      while (busy()) {
        await Promise.allSettled([...inFlight]);
        if (busy()) await new Promise((wake) => setTimeout(wake, IDLE_POLL_MS));
      }
    },
    close: async () => {
      await watcher.close();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** A digest file of the drop folder: `*.txt`, not hidden (editors' temporary files often are). */
export function isDigestFile(name: string): boolean {
  return name.toLowerCase().endsWith('.txt') && !name.startsWith('.');
}
