import { describe, expect, it } from 'vitest';
import { objectKeyForPath } from '../../../packages/cli/src/dev/site-server.ts';

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
