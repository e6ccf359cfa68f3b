import { createDynamoIssueRegistry, type IssueDigest, type TableIssueRegistry } from '@feedwright/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../support/emulators.ts';

/** A digest's issue fields, dated `publishedAt` (UTC, as the parser writes it). */
const digestAt = (title: string, publishedAt: string, storyIds: readonly string[]): IssueDigest => ({
  title,
  summary: `Summary of ${title}.`,
  date: publishedAt.slice(0, 10),
  publishedAt,
  stories: storyIds.map((storyId) => ({ storyId })),
});

let emulators: Emulators;
let registry: TableIssueRegistry;
let commands: string[];

beforeAll(async () => {
  emulators = await startEmulators();
  const client = emulators.dynamoClient();
  commands = [];
  // Record every DynamoDB operation: a month's issues must be one Query, and ingest's writes only Puts.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  registry = createDynamoIssueRegistry({ tableName: emulators.tableName, client });
}, 60_000);

afterAll(async () => {
  await emulators.stop();
});

describe('TableIssueRegistry on dynalite', () => {
  it('records a digest’s issue under its UTC month and lists the month with one Query', async () => {
    // Prepare
    await registry.recordIssue(
      { key: 'digests/a.txt', sequencer: '01' },
      digestAt('First', '2021-03-02T08:00:00Z', ['s1', 's2']),
    );
    await registry.recordIssue(
      { key: 'digests/b.txt', sequencer: '01' },
      digestAt('Second', '2021-03-01T08:00:00Z', ['s3']),
    );
    commands.length = 0;

    // Act
    const march = await registry.issuesOfMonth('2021-03');

    // Assess
    expect(commands).toEqual(['QueryCommand']);
    expect(march).toEqual([
      {
        digestKey: 'digests/b.txt',
        title: 'Second',
        summary: 'Summary of Second.',
        date: '2021-03-01',
        publishedAt: '2021-03-01T08:00:00Z',
        storyIds: ['s3'],
      },
      {
        digestKey: 'digests/a.txt',
        title: 'First',
        summary: 'Summary of First.',
        date: '2021-03-02',
        publishedAt: '2021-03-02T08:00:00Z',
        storyIds: ['s1', 's2'],
      },
    ]);
  });

  it('moves an issue whose corrected digest has another month, and writes with Get, Query and Put only', async () => {
    // Prepare
    const key = 'digests/moved.txt';
    await registry.recordIssue({ key, sequencer: '01' }, digestAt('Moved', '2021-04-30T22:00:00Z', ['m1']));
    commands.length = 0;

    // Act
    await registry.recordIssue(
      { key, sequencer: '02' },
      digestAt('Moved on', '2021-05-01T06:00:00Z', ['m1']),
    );

    // Assess
    expect(new Set(commands)).toEqual(new Set(['GetItemCommand', 'PutItemCommand']));
    expect(await registry.issuesOfMonth('2021-04')).toEqual([]);
    expect((await registry.issuesOfMonth('2021-05')).map((issue) => issue.title)).toEqual(['Moved on']);
  });

  it('ignores an older event that arrives after a newer one', async () => {
    // Prepare
    const key = 'digests/late.txt';
    await registry.recordIssue({ key, sequencer: '0A' }, digestAt('Newer', '2021-06-02T08:00:00Z', ['n1']));

    // Act
    await registry.recordIssue({ key, sequencer: '09' }, digestAt('Older', '2021-06-01T08:00:00Z', ['o1']));
    await registry.withdrawIssue({ key, sequencer: '08' });

    // Assess
    expect((await registry.issuesOfMonth('2021-06')).map((issue) => issue.title)).toEqual(['Newer']);
  });

  it('withdraws a deleted digest’s issue, and records it again when the digest comes back', async () => {
    // Prepare
    const key = 'digests/gone.txt';
    const digest = digestAt('Gone', '2021-07-04T08:00:00Z', ['g1']);
    await registry.recordIssue({ key, sequencer: '01' }, digest);

    // Act
    await registry.withdrawIssue({ key, sequencer: '02' });
    const afterDelete = await registry.issuesOfMonth('2021-07');
    await registry.recordIssue({ key, sequencer: '03' }, digest);

    // Assess
    expect(afterDelete).toEqual([]);
    expect((await registry.issuesOfMonth('2021-07')).map((issue) => issue.digestKey)).toEqual([key]);
  });

  it('refuses a month that is not yyyy-mm, naming it', async () => {
    // Act / Assess
    await expect(registry.issuesOfMonth('2021-7')).rejects.toThrow("'2021-7' is not a month (yyyy-mm)");
  });
});
