import { optionalPositiveInt, requireEnv } from '@feedwright/pipeline';
import { describe, expect, it } from 'vitest';

describe('Function: requireEnv', () => {
  it('returns a set variable and names a missing one in the error', () => {
    // Prepare
    const env = { TABLE_NAME: 'feedwright', EMPTY: '' };

    // Act & Assess
    expect(requireEnv('TABLE_NAME', env)).toBe('feedwright');
    expect(() => requireEnv('SITE_BUCKET', env)).toThrow(/SITE_BUCKET is not set/);
    expect(() => requireEnv('EMPTY', env)).toThrow(/EMPTY is not set/);
  });
});

describe('Function: optionalPositiveInt', () => {
  it('reads whole numbers, treats unset as undefined, and refuses anything else by name', () => {
    // Prepare
    const env = { ITEMS: '25', BLANK: '', ZERO: '0', WORDS: 'fifty', FRACTION: '2.5' };

    // Act & Assess
    expect(optionalPositiveInt('ITEMS', env)).toBe(25);
    expect(optionalPositiveInt('UNSET', env)).toBeUndefined();
    expect(optionalPositiveInt('BLANK', env)).toBeUndefined();
    for (const name of ['ZERO', 'WORDS', 'FRACTION']) {
      expect(() => optionalPositiveInt(name, env)).toThrow(
        new RegExp(`${name} must be a positive whole number`),
      );
    }
  });
});
