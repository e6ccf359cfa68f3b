import { isListItem, listMarker } from '@feedwright/digest';
import { describe, expect, it } from 'vitest';

describe('Function: listMarker', () => {
  it('reads a bullet, where the text starts after the spaces, and no number', () => {
    // Act
    const marker = listMarker('•  Caps on deposits');

    // Assess
    expect(marker).toEqual({ kind: 'unordered', number: undefined, textStart: 3 });
  });

  it.each([
    ['1. One', 1, 3],
    ['2) Two', 2, 3],
    ['10.\u00a0Ten', 10, 4],
    ['999) Many', 999, 5],
  ])('reads the item number of %s', (line, number, textStart) => {
    // Act
    const marker = listMarker(line);

    // Assess
    expect(marker).toEqual({ kind: 'ordered', number, textStart });
  });

  it.each([
    '',
    '•',
    '• ',
    '•Item',
    '1.5 million',
    '1.',
    '1)',
    '1 Item',
    'Item • two',
    '2021) The year',
    '—',
    '.5 Item',
  ])('reads %j as no list item', (line) => {
    // Act
    const marker = listMarker(line);

    // Assess
    expect(marker).toBeUndefined();
    expect(isListItem(line)).toBe(false);
  });
});
