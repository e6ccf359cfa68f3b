import type { Item, ItemKey, ItemTable, SortKeyRange } from '@feedwright/storage';

/**
 * An ItemTable that forwards to `inner`, except that a conditional write throws when `fails(n)`
 * holds for its number n (1 for the first): a DynamoDB outage, or a process killed mid-ingest.
 */
export class FailingTable implements ItemTable {
  #writes = 0;
  constructor(
    private readonly inner: ItemTable,
    private readonly fails: (write: number) => boolean,
    private readonly message = 'ProvisionedThroughputExceededException (injected)',
  ) {}
  get(key: ItemKey): Promise<Item | undefined> {
    return this.inner.get(key);
  }
  getMany(keys: readonly ItemKey[]): Promise<Item[]> {
    return this.inner.getMany(keys);
  }
  async putIfVersion(item: ItemKey, expectedVersion: number | undefined): Promise<boolean> {
    this.#writes += 1;
    if (this.fails(this.#writes)) throw new Error(this.message);
    return this.inner.putIfVersion(item, expectedVersion);
  }
  put(item: ItemKey): Promise<void> {
    return this.inner.put(item);
  }
  queryIndex(indexName: string, partitionValue: string, limit: number): Promise<Item[]> {
    return this.inner.queryIndex(indexName, partitionValue, limit);
  }
  queryIndexRange(indexName: string, partitionValue: string, range: SortKeyRange): Promise<Item[]> {
    return this.inner.queryIndexRange(indexName, partitionValue, range);
  }
  queryPartition(pk: string): Promise<Item[]> {
    return this.inner.queryPartition(pk);
  }
}
