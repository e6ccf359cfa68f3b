import { redirectChain, resolveRedirect, TableStoryStore } from '@feedwright/storage';
import { MemoryItemTable } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';

const rename = (from: string, to: string) => ({
  from: { storyId: from, title: from },
  to: { storyId: to, title: to },
});

describe('Function: resolveRedirect', () => {
  const redirects = new Map([
    ['a', 'b'],
    ['b', 'c'],
    ['x', 'y'],
    ['y', 'x'],
  ]);

  it('leads an old id along its chain to the first live story', () => {
    expect(resolveRedirect('a', redirects, (id) => id === 'c')).toBe('c');
    expect(resolveRedirect('a', redirects, (id) => id === 'b' || id === 'c')).toBe('b');
    expect(redirectChain('a', redirects)).toEqual(['b', 'c']);
  });

  it('leads nowhere when the old id is live again, has no redirect, or nothing along the chain is live', () => {
    expect(resolveRedirect('a', redirects, (id) => id === 'a' || id === 'c')).toBeUndefined();
    expect(resolveRedirect('z', redirects, () => false)).toBeUndefined();
    expect(resolveRedirect('a', redirects, () => false)).toBeUndefined();
  });

  it('stops where a chain comes back on itself (a headline corrected back)', () => {
    expect(redirectChain('x', redirects)).toEqual(['y']);
    expect(resolveRedirect('x', redirects, () => false)).toBeUndefined();
    expect(resolveRedirect('y', redirects, (id) => id === 'x')).toBe('x');
  });
});

describe('Class: TableStoryStore, redirect records', () => {
  it('records each renamed story once, and a later rename of the same old id replaces it', async () => {
    // Prepare
    const table = new MemoryItemTable();
    const store = new TableStoryStore(table);

    // Act
    await store.recordRedirects([rename('a', 'b')]);
    const first = await table.queryPartition('REDIRECTS');
    await store.recordRedirects([rename('a', 'b')]);
    const again = await table.queryPartition('REDIRECTS');
    await store.recordRedirects([rename('a', 'd'), rename('b', 'c')]);

    // Assess
    expect(again).toEqual(first);
    expect(first).toEqual([{ pk: 'REDIRECTS', sk: 'a', kind: 'redirect', from: 'a', to: 'b' }]);
    expect(await store.redirects()).toEqual(
      new Map([
        ['a', 'd'],
        ['b', 'c'],
      ]),
    );
  });
});
