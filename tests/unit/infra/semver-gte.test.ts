import { describe, expect, it } from 'vitest';
import { gte } from '../../../infra/lambda/semver-gte.ts';

describe('Function: gte (the Lambda bundles’ stand-in for semver)', () => {
  it('compares plain versions part by part, as numbers, as semver.gte does', () => {
    expect(gte('2.7.15', '2.7.15')).toBe(true);
    expect(gte('2.10.0', '2.9.99')).toBe(true);
    expect(gte('3.0.0', '2.99.99')).toBe(true);
    expect(gte('2.7.9', '2.7.15')).toBe(false);
    expect(gte('v22.11.0', '8.0.0')).toBe(true);
    expect(gte('1.999.999', '2.0.0')).toBe(false);
  });

  it('throws on what it does not read (a prerelease, a range) rather than answer wrongly', () => {
    expect(() => gte('3.0.0-beta.1', '2.0.0')).toThrow(/not a plain major.minor.patch version/);
    expect(() => gte('2.0.0', '>=1.0.0')).toThrow(/'>=1.0.0'/);
  });
});
