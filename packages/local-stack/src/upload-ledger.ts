import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * What the drop folder uploaded, by file name, with the SHA-256 of the bytes, kept in a file of the
 * data dir so that it outlives restarts. A file is uploaded again only when its bytes change: a
 * digest withdrawn (`feedwright withdraw`, an S3 delete) stays withdrawn although its file is still
 * in the folder when the stack starts again.
 */
export interface UploadLedger {
  /** Whether these bytes of this file were uploaded already. */
  has(name: string, bytes: Uint8Array): boolean;
  /** Records that these bytes of this file were uploaded (written to disk before it resolves). */
  record(name: string, bytes: Uint8Array): Promise<void>;
}

/** The ledger file's contents. */
interface LedgerFile {
  readonly version: 1;
  /** File name → hex SHA-256 of the bytes last uploaded. */
  readonly uploads: Record<string, string>;
}

/**
 * Opens the ledger kept at `path` (created at the first upload). A file that cannot be read as a
 * ledger is set aside as `<path>.unreadable` and the ledger starts empty, so files are uploaded
 * again as before; `log` says so.
 */
export async function openUploadLedger(path: string, log: (line: string) => void): Promise<UploadLedger> {
  const uploads = new Map<string, string>(Object.entries(await readLedger(path, log)));
  let writing: Promise<void> = Promise.resolve();
  const save = async (): Promise<void> => {
    const file: LedgerFile = { version: 1, uploads: Object.fromEntries([...uploads].sort()) };
    await mkdir(dirname(path), { recursive: true });
    // Whole or not at all: a stop mid-write leaves the previous ledger.
    await writeFile(`${path}.tmp`, `${JSON.stringify(file, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
  };
  return {
    has: (name, bytes) => uploads.get(name) === sha256(bytes),
    record: (name, bytes) => {
      uploads.set(name, sha256(bytes));
      writing = writing.then(save, save);
      return writing;
    },
  };
}

async function readLedger(path: string, log: (line: string) => void): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const file = JSON.parse(text) as Partial<LedgerFile>;
    if (file.version !== 1 || typeof file.uploads !== 'object' || file.uploads === null) {
      throw new Error('not a ledger');
    }
    return Object.fromEntries(
      Object.entries(file.uploads).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    await rename(path, `${path}.unreadable`).catch(() => undefined);
    log(`inbox: ${path} is not readable as a list of uploads; set aside, every file is uploaded again`);
    return {};
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
