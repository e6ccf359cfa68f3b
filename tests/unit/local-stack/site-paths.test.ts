import { isWholeObject, objectKeyForPath } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';

describe('Function: objectKeyForPath', () => {
  it.each([
    ['/', 'index.html'],
    ['/?utm=x', 'index.html'],
    ['/feeds/all/rss.xml', 'feeds/all/rss.xml'],
    ['/feeds/all/feed.json?cache=bust#top', 'feeds/all/feed.json'],
    ['/stories/2020-12-01-caf%C3%A9.html', 'stories/2020-12-01-café.html'],
  ])('maps %s to the key %s', (path, key) => {
    // Act
    const result = objectKeyForPath(path);

    // Assess
    expect(result).toBe(key);
  });

  it.each([
    '/../secret',
    '/feeds/../../etc/passwd',
    '/feeds/%2e%2e/%2e%2e/etc/passwd',
    '/feeds/..%2F..%2Fetc',
    '/feeds\\..\\x',
    '/a%00b',
    '/%E0%A4%A',
    '/feeds/all/',
    '/feeds//rss.xml',
    'feeds/all/rss.xml',
  ])('refuses %s', (path) => {
    // Act
    const result = objectKeyForPath(path);

    // Assess
    expect(result).toBeUndefined();
  });
});

describe('Function: isWholeObject', () => {
  it('accepts bytes whose MD5 is the ETag, and refuses a torn read', () => {
    // Prepare
    const etag = '"5d41402abc4b2a76b9719d911017c592"'; // md5('hello')

    // Act
    const whole = isWholeObject(Buffer.from('hello'), etag);
    const torn = isWholeObject(Buffer.from('hel'), etag);

    // Assess
    expect([whole, torn]).toEqual([true, false]);
  });

  it('refuses an empty or malformed ETag, as s3rver reports mid-write', () => {
    // Act
    const results = [isWholeObject(Buffer.from(''), '""'), isWholeObject(Buffer.from('x'), undefined)];

    // Assess
    expect(results).toEqual([false, false]);
  });

  it('cannot check a multipart ETag and lets it pass', () => {
    // Act
    const result = isWholeObject(Buffer.from('anything'), '"5d41402abc4b2a76b9719d911017c592-3"');

    // Assess
    expect(result).toBe(true);
  });
});
