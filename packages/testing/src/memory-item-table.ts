import type { Item, ItemKey, ItemTable, SortKeyRange } from '@feedwright/storage';
import { TABLE_INDEXES } from '@feedwright/storage/schema';

const INDEX_ATTRIBUTES = new Map<string, { partitionKey: string; sortKey: string }>(
  Object.values(TABLE_INDEXES).map((index) => [index.indexName, index]),
);

/**
 * An in-memory `ItemTable` with the same semantics as the DynamoDB adapter (copies in and out, sparse
 * indexes, compare-and-set on `version`). For unit tests only: its index query walks every item.
 */
export class MemoryItemTable implements ItemTable {
  readonly #items = new Map<string, Item>();

  async get(key: ItemKey): Promise<Item | undefined> {
    const item = this.#items.get(id(key));
    return item === undefined ? undefined : structuredClone(item);
  }

  async getMany(keys: readonly ItemKey[]): Promise<Item[]> {
    const found: Item[] = [];
    for (const key of keys) {
      const item = await this.get(key);
      if (item !== undefined) found.push(item);
    }
    return found;
  }

  async putIfVersion(item: ItemKey, expectedVersion: number | undefined): Promise<boolean> {
    const current = this.#items.get(id(item));
    const matches =
      expectedVersion === undefined ? current === undefined : current?.version === expectedVersion;
    if (!matches) return false;
    this.#items.set(id(item), withoutUndefined(item));
    return true;
  }

  async put(item: ItemKey): Promise<void> {
    this.#items.set(id(item), withoutUndefined(item));
  }

  async queryIndex(indexName: string, partitionValue: string, limit: number): Promise<Item[]> {
    const index = INDEX_ATTRIBUTES.get(indexName);
    if (index === undefined) throw new Error(`no index named ${indexName}`);
    return [...this.#items.values()]
      .filter(
        (item) => item[index.partitionKey] === partitionValue && typeof item[index.sortKey] === 'string',
      )
      .sort((a, b) => byCodeUnits(String(b[index.sortKey]), String(a[index.sortKey])))
      .slice(0, limit)
      .map((item) => structuredClone(item));
  }

  async queryIndexRange(indexName: string, partitionValue: string, range: SortKeyRange): Promise<Item[]> {
    const index = INDEX_ATTRIBUTES.get(indexName);
    if (index === undefined) throw new Error(`no index named ${indexName}`);
    const inRange = (key: string): boolean =>
      (range.from === undefined || key >= range.from) && (range.to === undefined || key < range.to);
    const sorted = [...this.#items.values()]
      .filter(
        (item) => item[index.partitionKey] === partitionValue && typeof item[index.sortKey] === 'string',
      )
      .filter((item) => inRange(String(item[index.sortKey])))
      .sort((a, b) => byCodeUnits(String(b[index.sortKey]), String(a[index.sortKey])));
    if (range.oldestFirst === true) sorted.reverse();
    return sorted.slice(0, range.limit ?? sorted.length).map((item) => structuredClone(item));
  }

  async queryPartition(pk: string): Promise<Item[]> {
    return [...this.#items.values()]
      .filter((item) => item.pk === pk)
      .sort((a, b) => byCodeUnits(a.sk, b.sk))
      .map((item) => structuredClone(item));
  }

  /** Every item, for assertions in tests. */
  all(): Item[] {
    return [...this.#items.values()].map((item) => structuredClone(item));
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function id(key: ItemKey): string {
  return `${key.pk}\u0000${key.sk}`;
}

/** DynamoDB drops undefined attributes (the adapter marshals with removeUndefinedValues); so does the fake. */
function withoutUndefined(item: ItemKey): Item {
  return structuredClone(Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined))) as Item;
}
