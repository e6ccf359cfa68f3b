import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { ItemTable, SortKeyRange } from './item-table.ts';
import type { Item, ItemKey } from './items.ts';
import { TABLE_INDEXES, TABLE_KEYS } from './schema.ts';

/** Options of {@link DynamoItemTable}. */
export interface DynamoItemTableOptions {
  readonly tableName: string;
  /** The low-level client to send through (wrapped in a DynamoDBDocumentClient). @default new DynamoDBClient({}) */
  readonly client?: DynamoDBClient;
}

const INDEX_KEYS = new Map<string, { partitionKey: string; sortKey: string }>(
  Object.values(TABLE_INDEXES).map((index) => [index.indexName, index]),
);

/** BatchGetItem takes at most 100 keys per request. */
const BATCH_GET_LIMIT = 100;
/** Unprocessed keys are retried with backoff; past this many rounds something is wrong. */
const MAX_UNPROCESSED_ROUNDS = 8;

/** Thrown when DynamoDB keeps returning unprocessed keys: throttled beyond what a retry here can absorb. */
class UnprocessedKeysError extends Error {
  override readonly name = 'UnprocessedKeysError';
}

/** The `ItemTable` port on DynamoDB, through `@aws-sdk/lib-dynamodb`. */
/** Items asked for per index Query page. */
const MAX_QUERY_PAGE = 1000;

export class DynamoItemTable implements ItemTable {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: DynamoItemTableOptions) {
    this.#tableName = options.tableName;
    this.#documents = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async get(key: ItemKey): Promise<Item | undefined> {
    const { Item: item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: keyOf(key), ConsistentRead: true }),
    );
    return item as Item | undefined;
  }

  async getMany(keys: readonly ItemKey[]): Promise<Item[]> {
    const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, keyOf(key)])).values()];
    const found: Item[] = [];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let pending: Record<string, unknown>[] = unique.slice(start, start + BATCH_GET_LIMIT);
      for (let round = 0; pending.length > 0; round += 1) {
        if (round >= MAX_UNPROCESSED_ROUNDS) {
          throw new UnprocessedKeysError(
            `DynamoDB left ${pending.length} keys of table ${this.#tableName} unprocessed after ${round} tries; ` +
              'the table is throttled, retry later',
          );
        }
        if (round > 0) await delay(2 ** round * 25);
        const output = await this.#documents.send(
          new BatchGetCommand({
            RequestItems: { [this.#tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        found.push(...((output.Responses?.[this.#tableName] ?? []) as Item[]));
        pending = (output.UnprocessedKeys?.[this.#tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  async putIfVersion(item: ItemKey, expectedVersion: number | undefined): Promise<boolean> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          ...(expectedVersion === undefined
            ? {
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
              }
            : {
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': expectedVersion },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async put(item: ItemKey): Promise<void> {
    await this.#documents.send(new PutCommand({ TableName: this.#tableName, Item: item }));
  }

  async queryIndex(indexName: string, partitionValue: string, limit: number): Promise<Item[]> {
    const index = INDEX_KEYS.get(indexName);
    if (index === undefined) throw new Error(`no index named ${indexName} in TABLE_INDEXES (schema.ts)`);
    // One page for a feed's newest N; reconcile asks for everything and follows the pages.
    return this.#queryPages(
      {
        TableName: this.#tableName,
        IndexName: indexName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': index.partitionKey },
        ExpressionAttributeValues: { ':p': partitionValue },
        ScanIndexForward: false,
      },
      { limit, pageLimit: (found) => Math.min(limit - found, MAX_QUERY_PAGE) },
    );
  }

  async queryIndexRange(indexName: string, partitionValue: string, range: SortKeyRange): Promise<Item[]> {
    const index = INDEX_KEYS.get(indexName);
    if (index === undefined) throw new Error(`no index named ${indexName} in TABLE_INDEXES (schema.ts)`);
    const { limit } = range;
    const names: Record<string, string> = { '#p': index.partitionKey };
    const values: Record<string, unknown> = { ':p': partitionValue };
    let condition = '#p = :p';
    if (range.from !== undefined || range.to !== undefined) names['#s'] = index.sortKey;
    // [from, to): BETWEEN is inclusive at both ends, so the upper end is filtered out below.
    if (range.from !== undefined && range.to !== undefined) {
      condition += ' AND #s BETWEEN :from AND :to';
      Object.assign(values, { ':from': range.from, ':to': range.to });
    } else if (range.from !== undefined) {
      condition += ' AND #s >= :from';
      values[':from'] = range.from;
    } else if (range.to !== undefined) {
      condition += ' AND #s < :to';
      values[':to'] = range.to;
    }
    return this.#queryPages(
      {
        TableName: this.#tableName,
        IndexName: indexName,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: range.oldestFirst === true,
      },
      {
        ...(limit === undefined ? {} : { limit, pageLimit: () => limit + 1 }),
        keep: (item) => range.to === undefined || String(item[index.sortKey]) < range.to,
      },
    );
  }

  async queryPartition(pk: string): Promise<Item[]> {
    return this.#queryPages({
      TableName: this.#tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
  }

  /**
   * A Query followed page by page: the items `keep` accepts (all by default), until the last page or
   * until `limit` are found (then cut to `limit`); `pageLimit` gives each page's Limit from the count
   * found so far.
   */
  async #queryPages(
    input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
    options: {
      readonly limit?: number;
      readonly pageLimit?: (found: number) => number;
      readonly keep?: (item: Item) => boolean;
    } = {},
  ): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await this.#documents.send(
        new QueryCommand({
          ...input,
          ...(options.pageLimit === undefined ? {} : { Limit: options.pageLimit(items.length) }),
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of (output.Items ?? []) as Item[]) if (options.keep?.(item) ?? true) items.push(item);
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined && (options.limit === undefined || items.length < options.limit));
    return options.limit === undefined ? items : items.slice(0, options.limit);
  }
}

function keyOf(key: ItemKey): Record<string, string> {
  return { [TABLE_KEYS.partitionKey]: key.pk, [TABLE_KEYS.sortKey]: key.sk };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
