import type { Story } from '@feedwright/digest';
import { createDynamoStoryStore, type TableStoryStore } from '@feedwright/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../support/emulators.ts';

/** A story of `topicSlug` at `publishedAt` (UTC, as the parser writes it). */
const storyAt = (storyId: string, topicSlug: string, publishedAt: string): Story => ({
  storyId,
  position: 0,
  topic: topicSlug,
  topicSlug,
  title: storyId,
  paragraphs: ['Text.'],
  related: [],
  imageCaption: null,
  publishedAt,
});

let emulators: Emulators;
let store: TableStoryStore;
let queries: string[];

beforeAll(async () => {
  emulators = await startEmulators();
  const client = emulators.dynamoClient();
  queries = [];
  // Record every DynamoDB operation the store sends: the archive reads must be Queries, never a Scan.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      queries.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  store = createDynamoStoryStore({ tableName: emulators.tableName, client });
  const stories = [
    storyAt('nov-30', 'tech', '2020-11-30T23:59:59Z'),
    storyAt('dec-01', 'tech', '2020-12-01T00:00:00Z'),
    storyAt('dec-31', 'tech', '2020-12-31T23:59:59Z'),
    storyAt('dec-15-other', 'autos', '2020-12-15T12:00:00Z'),
    storyAt('feb-01', 'tech', '2021-02-01T08:00:00Z'),
  ];
  await store.applyDigest({ key: 'digests/a.txt', sequencer: '0000000000000001' }, stories);
}, 60_000);

afterAll(async () => {
  await emulators.stop();
});

describe('TableStoryStore on dynalite: the archive’s month queries', () => {
  it('reads one UTC month of a topic with one ranged Query, newest first, its edges included', async () => {
    // Prepare
    queries.length = 0;

    // Act
    const december = await store.storiesOfMonth('tech', '2020-12');

    // Assess
    expect(december.map((story) => story.storyId)).toEqual(['dec-31', 'dec-01']);
    expect(queries).toEqual(['QueryCommand']);
  });

  it('reads a month of all stories from the all index', async () => {
    const december = await store.storiesOfMonth('all', '2020-12');
    expect(december.map((story) => story.storyId)).toEqual(['dec-31', 'dec-15-other', 'dec-01']);
  });

  it('finds the nearest months with stories on either side, skipping empty ones, with two Queries', async () => {
    // Prepare
    queries.length = 0;

    // Act
    const around = await store.adjacentMonths('tech', '2020-12');
    const edge = await store.adjacentMonths('tech', '2021-02');

    // Assess
    expect(around).toEqual({ older: '2020-11', newer: '2021-02' });
    expect(edge).toEqual({ older: '2020-12', newer: null });
    expect(queries).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand']);
  });

  it('leaves withdrawn stories out of their month', async () => {
    // Act
    await store.withdrawDigest({ key: 'digests/a.txt', sequencer: '0000000000000002' });

    // Assess
    expect(await store.storiesOfMonth('tech', '2020-12')).toEqual([]);
    expect(await store.adjacentMonths('tech', '2021-01')).toEqual({ older: null, newer: null });
  });
});
