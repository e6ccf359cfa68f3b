import { encodeS3EventKey } from '@feedwright/local-stack';
import { decodeS3Key } from '@feedwright/pipeline';
import { describe, expect, it } from 'vitest';

describe('Function: encodeS3EventKey', () => {
  it('writes a space as + and keeps the slashes of the prefix', () => {
    // Act
    const encoded = encodeS3EventKey('digests/red flower.txt');

    // Assess
    expect(encoded).toBe('digests/red+flower.txt');
  });

  it('percent-encodes a literal + so that it is not read back as a space', () => {
    // Act
    const encoded = encodeS3EventKey('digests/c++ notes.txt');

    // Assess
    expect(encoded).toBe('digests/c%2B%2B+notes.txt');
  });

  it('percent-encodes non-ASCII characters as upper-case UTF-8 bytes', () => {
    // Act
    const encoded = encodeS3EventKey('digests/café 日報.txt');

    // Assess
    expect(encoded).toBe('digests/caf%C3%A9+%E6%97%A5%E5%A0%B1.txt');
  });

  it('keeps letters, digits and -_.* and encodes the rest of the punctuation', () => {
    // Act
    const encoded = encodeS3EventKey("a-b_c.d*e~f(1)!'=:;,&@$?#%");

    // Assess
    expect(encoded).toBe('a-b_c.d*e%7Ef%281%29%21%27%3D%3A%3B%2C%26%40%24%3F%23%25');
  });

  it('round-trips through the decoding the ingest function applies', () => {
    // Prepare
    const keys = ['digests/a b+c.txt', 'digests/Ünïcødé 😀 (copy).txt', 'digests/100% done?.txt'];

    // Act
    const decoded = keys.map((key) => decodeS3Key(encodeS3EventKey(key)));

    // Assess
    expect(decoded).toEqual(keys);
  });
});
