import { compareSequencers, isValidSequencer } from '@feedwright/storage';
import { describe, expect, it } from 'vitest';

describe('Function: compareSequencers', () => {
  it('orders sequencers of different lengths after left-padding the shorter with zeros', () => {
    // Prepare: lexicographically '9' > '10', numerically it is older
    const older = '9FFFFFFFFFFFFFFF';
    const newer = '0010000000000000000';

    // Act
    const order = compareSequencers(older, newer);

    // Assess
    expect(order).toBeLessThan(0);
    expect(compareSequencers(newer, older)).toBeGreaterThan(0);
  });

  it('treats the same value in another case or with leading zeros as the same event', () => {
    // Act & Assess
    expect(compareSequencers('0055AED6DCD90281E5', '55aed6dcd90281e5')).toBe(0);
  });

  it('accepts hex only as a sequencer', () => {
    // Act & Assess
    expect(isValidSequencer('0055AED6DCD90281E5')).toBe(true);
    expect(isValidSequencer('')).toBe(false);
    expect(isValidSequencer('not-hex')).toBe(false);
  });
});
