import type { Item, ItemKey } from './items.ts';

/**
 * The few table operations the story store is built from: strongly consistent reads, a compare-and-set
 * put on an item's `version`, and newest-first index queries. DynamoDB implements it in
 * `dynamo-item-table.ts`; `MemoryItemTable` of `@feedwright/testing` is the in-memory fake for unit tests.
 */
export interface ItemTable {
  /** A strongly consistent read; `undefined` when there is no such item. */
  get(key: ItemKey): Promise<Item | undefined>;
  /** Strongly consistent reads of many items, in no particular order; missing items are left out. */
  getMany(keys: readonly ItemKey[]): Promise<Item[]>;
  /**
   * Writes `item` (any item shape of items.ts) only if the stored item's `version` still equals `expectedVersion` (`undefined`: only if
   * there is no item). Resolves `false` when another writer got there first.
   */
  putIfVersion(item: ItemKey, expectedVersion: number | undefined): Promise<boolean>;
  /** An unconditional put, for idempotent items such as topic registry entries. */
  put(item: ItemKey): Promise<void>;
  /** ONE Query of a sparse index, newest (highest sort key) first. */
  queryIndex(indexName: string, partitionValue: string, limit: number): Promise<Item[]>;
  /**
   * ONE ranged Query of a sparse index (every page of it): the items whose sort key lies in
   * `[from, to)`, newest (highest sort key) first, or the `limit` first of them.
   */
  queryIndexRange(indexName: string, partitionValue: string, range: SortKeyRange): Promise<Item[]>;
  /** All items of one partition (the topic registry), by sort key. */
  queryPartition(pk: string): Promise<Item[]>;
}

/**
 * A half-open range of sort keys, `[from, to)`; either end may be open. `oldestFirst` reads it forwards,
 * `limit` stops after that many items.
 */
export interface SortKeyRange {
  readonly from?: string;
  readonly to?: string;
  readonly oldestFirst?: boolean;
  readonly limit?: number;
}
