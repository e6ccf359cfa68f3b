import { isNotModified, parseEntityTags, weakEntityTag } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';

const object = { etag: '"abc123"', lastModified: new Date('2026-11-27T10:00:00.500Z') };

describe('Function: isNotModified', () => {
  it('answers not modified when If-None-Match lists the current tag', () => {
    // Act
    const result = isNotModified({ ifNoneMatch: '"zzz", "abc123"' }, object);

    // Assess
    expect(result).toBe(true);
  });

  it('compares weakly, so a weak tag from a gzip response matches the strong one', () => {
    // Act
    const result = isNotModified({ ifNoneMatch: 'W/"abc123"' }, object);

    // Assess
    expect(result).toBe(true);
  });

  it('answers modified when If-None-Match names other tags', () => {
    // Act
    const result = isNotModified({ ifNoneMatch: '"old"' }, object);

    // Assess
    expect(result).toBe(false);
  });

  it('matches any existing object for If-None-Match: *', () => {
    // Act
    const result = isNotModified({ ifNoneMatch: '*' }, object);

    // Assess
    expect(result).toBe(true);
  });

  it('ignores If-Modified-Since when If-None-Match is present', () => {
    // Act
    const result = isNotModified(
      { ifNoneMatch: '"old"', ifModifiedSince: 'Fri, 27 Nov 2026 12:00:00 GMT' },
      object,
    );

    // Assess
    expect(result).toBe(false);
  });

  it('answers not modified when If-Modified-Since is the Last-Modified second or later', () => {
    // Act
    const same = isNotModified({ ifModifiedSince: 'Fri, 27 Nov 2026 10:00:00 GMT' }, object);
    const later = isNotModified({ ifModifiedSince: 'Fri, 27 Nov 2026 11:00:00 GMT' }, object);

    // Assess
    expect([same, later]).toEqual([true, true]);
  });

  it('answers modified when If-Modified-Since is earlier or not a date', () => {
    // Act
    const earlier = isNotModified({ ifModifiedSince: 'Fri, 27 Nov 2026 09:59:59 GMT' }, object);
    const garbage = isNotModified({ ifModifiedSince: 'yesterday-ish' }, object);

    // Assess
    expect([earlier, garbage]).toEqual([false, false]);
  });

  it('answers modified without conditional headers', () => {
    // Act
    const result = isNotModified({}, object);

    // Assess
    expect(result).toBe(false);
  });
});

describe('Function: parseEntityTags', () => {
  it('keeps a comma inside a quoted tag', () => {
    // Act
    const tags = parseEntityTags('"a,b", W/"c"');

    // Assess
    expect(tags).toEqual(['"a,b"', 'W/"c"']);
  });
});

describe('Function: weakEntityTag', () => {
  it('prefixes a strong tag with W/ once', () => {
    // Act
    const tags = [weakEntityTag('"x"'), weakEntityTag('W/"x"')];

    // Assess
    expect(tags).toEqual(['W/"x"', 'W/"x"']);
  });
});
