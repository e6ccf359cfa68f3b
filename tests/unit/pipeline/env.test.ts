import { requireEnv } from '@feedwright/pipeline';
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
