import { type IssueDigest, type ItemKey, TableIssueRegistry } from '@feedwright/storage';
import { MemoryItemTable } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';

const digestAt = (title: string, publishedAt: string): IssueDigest => ({
  title,
  summary: '',
  date: publishedAt.slice(0, 10),
  publishedAt,
  stories: [{ storyId: `${title}-story` }],
});

/** A memory table that runs `hook` once, just before the first write into partition `pk`. */
class PausingTable extends MemoryItemTable {
  hook: (() => Promise<void>) | undefined;
  constructor(private readonly pk: string) {
    super();
  }
  override async putIfVersion(item: ItemKey, expectedVersion: number | undefined): Promise<boolean> {
    const hook = this.hook;
    if (hook !== undefined && item.pk === this.pk) {
      this.hook = undefined;
      await hook();
    }
    return super.putIfVersion(item, expectedVersion);
  }
}

describe('Class: TableIssueRegistry', () => {
  it('leaves no live record of an older event that a newer one of the same digest overtook mid-way', async () => {
    // Prepare
    const table = new PausingTable('ISSUES#2021-04');
    const registry = new TableIssueRegistry(table);
    const key = 'digests/raced.txt';
    table.hook = () =>
      registry.recordIssue({ key, sequencer: '02' }, digestAt('Newer', '2021-05-01T06:00:00Z'));

    // Act
    await registry.recordIssue({ key, sequencer: '01' }, digestAt('Older', '2021-04-30T22:00:00Z'));

    // Assess
    expect(await registry.issuesOfMonth('2021-04')).toEqual([]);
    expect((await registry.issuesOfMonth('2021-05')).map((issue) => issue.title)).toEqual(['Newer']);
  });

  it('withdraws every earlier record of a digest moved twice, even after an interrupted move', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const registry = new TableIssueRegistry(table);
    const key = 'digests/moved.txt';
    await registry.recordIssue({ key, sequencer: '01' }, digestAt('March', '2021-03-10T08:00:00Z'));
    await registry.recordIssue({ key, sequencer: '02' }, digestAt('April', '2021-04-10T08:00:00Z'));

    // Act
    await registry.withdrawIssue({ key, sequencer: '03' });

    // Assess
    for (const month of ['2021-03', '2021-04']) expect(await registry.issuesOfMonth(month)).toEqual([]);
  });
});
