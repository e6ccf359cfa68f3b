import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Options of {@link watchInbox}. */
export interface InboxOptions {
  readonly directory: string;
  /** Uploads a digest file's bytes under its file name. */
  readonly upload: (name: string, bytes: Buffer) => Promise<void>;
  readonly log: (line: string) => void;
  /**
   * How long a file's size and modification time must stay the same before it counts as
   * written in full (an editor or `cp` may still be writing when the first event fires).
   * @default 100
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

/**
 * Watches the drop folder: each `*.txt` file that appears or changes there is uploaded once it
 * has stopped growing, and so is each one present at start. It is a drop folder, not a mirror:
 * removing a file does not delete the digest (withdrawing is an explicit S3 delete), so clearing
 * the folder never un-publishes stories. Dot-files and other extensions are ignored.
 */
export async function watchInbox(options: InboxOptions): Promise<InboxWatcher> {
  await mkdir(options.directory, { recursive: true });
  const settleMs = options.settleMs ?? 100;
  const pending = new Map<string, NodeJS.Timeout>();
  const lastSeen = new Map<string, string>();
  const uploaded = new Map<string, string>();
  const inFlight = new Set<Promise<void>>();
  const idleWaiters: Array<() => void> = [];
  let closed = false;

  const wakeIfIdle = () => {
    if (pending.size === 0 && inFlight.size === 0) for (const wake of idleWaiters.splice(0)) wake();
  };

  const check = (name: string) => {
    pending.delete(name);
    const task = settle(name).finally(() => {
      inFlight.delete(task);
      wakeIfIdle();
    });
    inFlight.add(task);
  };

  const arm = (name: string) => {
    if (closed || !isDigestFile(name)) return;
    const existing = pending.get(name);
    if (existing !== undefined) clearTimeout(existing);
    pending.set(
      name,
      setTimeout(() => check(name), settleMs),
    );
  };

  const settle = async (name: string): Promise<void> => {
    const path = join(options.directory, name);
    let signature: string;
    try {
      const info = await stat(path);
      if (!info.isFile()) return;
      signature = `${info.size}:${info.mtimeMs}`;
    } catch {
      // Gone: nothing to upload, and removal is not mirrored.
      lastSeen.delete(name);
      uploaded.delete(name);
      return;
    }
    if (lastSeen.get(name) !== signature) {
      // Changed since the last look (or first look): wait for it to settle.
      lastSeen.set(name, signature);
      arm(name);
      return;
    }
    // fs.watch often reports one write twice; the second look finds it uploaded already.
    if (uploaded.get(name) === signature) return;
    try {
      await options.upload(name, await readFile(path));
      uploaded.set(name, signature);
      options.log(`inbox: uploaded ${name}`);
    } catch (error) {
      options.log(
        `inbox: could not upload ${name}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };

  const watcher: FSWatcher = watch(options.directory, (_event, filename) => {
    if (filename !== null) arm(basename(filename.toString()));
  });
  watcher.on('error', (error) =>
    options.log(`inbox: watching ${options.directory} failed: ${error.message}`),
  );

  for (const name of await readdir(options.directory)) arm(name);

  return {
    get busy() {
      return pending.size > 0 || inFlight.size > 0;
    },
    idle: () =>
      pending.size === 0 && inFlight.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => idleWaiters.push(resolve)),
    close: async () => {
      closed = true;
      watcher.close();
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      await Promise.allSettled([...inFlight]);
      wakeIfIdle();
    },
  };
}

/** A digest file of the drop folder: `*.txt`, not hidden (editors' temporary files often are). */
export function isDigestFile(name: string): boolean {
  return name.toLowerCase().endsWith('.txt') && !name.startsWith('.');
}
