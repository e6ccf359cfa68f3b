import { acceptsGzip, isCompressible } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';

describe('Function: acceptsGzip', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['*', true],
    ['gzip;q=0', false],
    ['*, gzip;q=0', false],
    ['identity', false],
    ['', false],
  ])('reads %j as %s', (header, expected) => {
    // Act
    const result = acceptsGzip(header);

    // Assess
    expect(result).toBe(expected);
  });

  it('refuses when the header is absent', () => {
    // Act
    const result = acceptsGzip(undefined);

    // Assess
    expect(result).toBe(false);
  });
});

describe('Function: isCompressible', () => {
  it.each([
    'application/rss+xml; charset=utf-8',
    'application/atom+xml; charset=utf-8',
    'application/feed+json; charset=utf-8',
    'text/x-opml; charset=utf-8',
    'text/html; charset=utf-8',
  ])('compresses %s', (contentType) => {
    // Act
    const result = isCompressible(contentType, 5_000);

    // Assess
    expect(result).toBe(true);
  });

  it('leaves images and bodies under 1,000 bytes alone, as CloudFront does', () => {
    // Act
    const image = isCompressible('image/png', 5_000);
    const tiny = isCompressible('text/html; charset=utf-8', 999);

    // Assess
    expect([image, tiny]).toEqual([false, false]);
  });
});
