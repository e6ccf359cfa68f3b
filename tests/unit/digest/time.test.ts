import { DigestError, formatInstant, resolveTimeZone } from '@feedwright/digest';
import { describe, expect, it } from 'vitest';

describe('Function: formatInstant', () => {
  it.each([
    0, -1, -1000, -60_000, 951_782_400_000, 1_606_814_340_000, 1_606_814_339_999, 4_102_444_799_000,
    253_402_300_799_000, -2_208_988_800_000,
  ])('formats %d as toISOString does, to the second', (epochMs) => {
    // Act
    const text = formatInstant(epochMs);

    // Assess
    expect(text).toBe(`${new Date(epochMs).toISOString().slice(0, 19)}Z`);
  });

  it('agrees with toISOString on every day of a leap-year cycle', () => {
    // Prepare
    const start = Date.UTC(1996, 0, 1, 23, 59, 59);
    const mismatches: number[] = [];

    // Act
    for (let day = 0; day < 4 * 366; day++) {
      const t = start + day * 86_400_000;
      if (formatInstant(t) !== `${new Date(t).toISOString().slice(0, 19)}Z`) mismatches.push(t);
    }

    // Assess
    expect(mismatches).toEqual([]);
  });
});

describe('Function: resolveTimeZone', () => {
  it('returns the canonical name of a known zone', () => {
    // Assess
    expect(resolveTimeZone('utc')).toBe('UTC');
    expect(resolveTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai');
  });

  it.each(['Mars/Base', '', 'Not a zone'])('rejects %j with BAD_TIMEZONE', (zone) => {
    // Act
    let error: unknown;
    try {
      resolveTimeZone(zone);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(DigestError);
    expect((error as DigestError).code).toBe('BAD_TIMEZONE');
  });
});
