import type {
  DigestRead,
  DigestSource,
  ItemKey,
  ItemTable,
  ListedObject,
  ReadOptions,
} from '@feedwright/storage';
import { FailingTable } from '../storage/failing-table.ts';

/** One write of a process: an item to the table, or a report to the incoming bucket. */
export type Write = { readonly item: ItemKey } | { readonly reportKey: string };

/**
 * A process that dies at a write: the `at`-th (1 for the first), or the first that `at` picks. That write
 * and every later one throw, as after a `kill -9`, whichever store it goes to. `writes` counts them all,
 * so a run with `at` = Infinity tells how many writes there are to crash between.
 */
export class Crash {
  writes = 0;
  #dead = false;
  constructor(readonly at: number | ((write: Write) => boolean)) {}

  /** Counts one write; throws once the process is dead. */
  write(write: Write): void {
    this.writes += 1;
    if (typeof this.at === 'number' ? this.writes >= this.at : this.at(write)) this.#dead = true;
    if (this.#dead) throw new Error('the process was killed (injected)');
  }
}

/** The table as a crashing process sees it: every write counted, conditional or not. */
export class CrashingTable extends FailingTable {
  readonly #crash: Crash;
  constructor(inner: ItemTable, crash: Crash) {
    super(inner, () => false);
    this.#crash = crash;
  }
  override putIfVersion(item: ItemKey, expectedVersion: number | undefined): Promise<boolean> {
    this.#crash.write({ item });
    return super.putIfVersion(item, expectedVersion);
  }
  override put(item: ItemKey): Promise<void> {
    this.#crash.write({ item });
    return super.put(item);
  }
}

/** The incoming bucket as a crashing process sees it: its report writes counted. */
export class CrashingSource implements DigestSource {
  constructor(
    private readonly inner: DigestSource,
    private readonly crash: Crash,
  ) {}
  headSize(bucket: string, key: string, versionId?: string): Promise<number | undefined> {
    return this.inner.headSize(bucket, key, versionId);
  }
  getBytes(bucket: string, key: string, options: ReadOptions): Promise<DigestRead> {
    return this.inner.getBytes(bucket, key, options);
  }
  async putReport(bucket: string, reportKey: string, report: unknown): Promise<void> {
    this.crash.write({ reportKey });
    await this.inner.putReport(bucket, reportKey, report);
  }
  hasReport(bucket: string, reportKey: string): Promise<boolean> {
    return this.inner.hasReport(bucket, reportKey);
  }
  listObjects(bucket: string, prefix: string): Promise<ListedObject[]> {
    return this.inner.listObjects(bucket, prefix);
  }
}
