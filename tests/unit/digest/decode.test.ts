import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_DIGEST_BYTES, decodeDigest, parseDigest } from '@feedwright/digest';
import { describe, expect, it } from 'vitest';
import { DIGESTS_DIR, digestErrorOf } from './fixture-digests.ts';

const seedBytes = readFileSync(`${DIGESTS_DIR}cx-daily-2020-12-01.txt`);
const seedText = seedBytes.toString('utf8');

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  if (bigEndian) le.swap16();
  return bytes(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe], [...le]);
}

describe('Function: decodeDigest', () => {
  it('decodes UTF-8 text unchanged', () => {
    // Act
    const text = decodeDigest(seedBytes);

    // Assess
    expect(text).toBe(seedText);
  });

  it('drops a UTF-8 byte order mark', () => {
    // Act
    const text = decodeDigest(bytes([0xef, 0xbb, 0xbf], seedText));

    // Assess
    expect(text).toBe(seedText);
  });

  it.each([
    ['little-endian', false],
    ['big-endian', true],
  ])(
    'decodes %s UTF-16 with a byte order mark, as Windows editors save "Unicode" text',
    (_name, bigEndian) => {
      // Act
      const text = decodeDigest(utf16(seedText, bigEndian));

      // Assess
      expect(text).toBe(seedText);
      expect(parseDigest(text).stories).toHaveLength(15);
    },
  );

  it('rejects UTF-16 with an odd number of bytes', () => {
    // Act
    const error = digestErrorOf(() => decodeDigest(bytes([0xff, 0xfe], [0x44, 0x00, 0x65])));

    // Assess
    expect(error.code).toBe('INVALID_UTF16');
  });

  it('rejects UTF-32, saying to save as UTF-8', () => {
    // Act
    const error = digestErrorOf(() => decodeDigest(bytes([0xff, 0xfe, 0x00, 0x00], [0x44, 0, 0, 0])));

    // Assess
    expect(error.code).toBe('INVALID_UTF16');
    expect(error.message).toContain('UTF-8');
  });

  it('rejects an empty file', () => {
    // Act
    const error = digestErrorOf(() => decodeDigest(new Uint8Array(0)));

    // Assess
    expect(error.code).toBe('EMPTY');
    expect(error.message).toMatch(/empty/);
  });

  it('rejects a file holding only a byte order mark as empty', () => {
    // Assess
    expect(digestErrorOf(() => decodeDigest(bytes([0xef, 0xbb, 0xbf]))).code).toBe('EMPTY');
  });

  it.each([
    ['a PNG image', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]],
    ['a GIF image', [...Buffer.from('GIF89a'), 1, 0, 1, 0, 0x80, 0, 0]],
    ['a JPEG image', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]],
    ['a PDF document', [...Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj')]],
    ['a ZIP archive', [0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]],
    ['a gzip archive', [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]],
  ])('rejects %s as binary', (what, data) => {
    // Act
    const error = digestErrorOf(() => decodeDigest(Uint8Array.from(data)));

    // Assess
    expect(error.code).toBe('BINARY');
    expect(error.message).toContain(what);
  });

  it('rejects data with many control bytes and no known signature as binary', () => {
    // Prepare
    const data = new Uint8Array(4096);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + 13) % 256 || 1;

    // Act
    const error = digestErrorOf(() => decodeDigest(data));

    // Assess
    expect(error.code).toBe('BINARY');
  });

  it('rejects text with NUL bytes in it', () => {
    // Prepare
    const data = bytes(seedText.slice(0, 200), [0, 0, 0], seedText.slice(200));

    // Act
    const error = digestErrorOf(() => decodeDigest(data));

    // Assess
    expect(error.code).toBe('NUL_BYTES');
    expect(error.message).toContain(`byte ${Buffer.byteLength(seedText.slice(0, 200))}`);
  });

  it('rejects UTF-16 without a byte order mark, naming it', () => {
    // Act
    const error = digestErrorOf(() => decodeDigest(Buffer.from(seedText, 'utf16le')));

    // Assess
    expect(error.code).toBe('NUL_BYTES');
    expect(error.message).toContain('UTF-16');
  });

  it('rejects text in another encoding (Windows-1252) as invalid UTF-8 beyond repair', () => {
    // Prepare: every curly quote of the seed as its single Windows-1252 byte.
    const cp1252 = Buffer.from(
      seedText.replace(/[’]/g, '\x92').replace(/[“]/g, '\x93').replace(/[”]/g, '\x94').replace(/—/g, '\x97'),
      'latin1',
    );

    // Act
    const error = digestErrorOf(() => decodeDigest(cp1252));

    // Assess
    expect(error.code).toBe('INVALID_UTF8');
    expect(error.message).toMatch(/not UTF-8/);
  });

  it('repairs a few stray bytes with U+FFFD, which the parser then warns about', () => {
    // Prepare
    const at = seedText.indexOf('Investment');
    const data = bytes(seedText.slice(0, at), [0xff], seedText.slice(at));

    // Act
    const text = decodeDigest(data);
    const digest = parseDigest(text);

    // Assess
    expect(text).toContain('\uFFFDInvestment');
    expect(digest.warnings).toEqual([expect.stringContaining('1 character(s) could not be read')]);
    expect(digest.warnings[0]).toContain('line 24');
  });

  it('refuses input over the size limit', () => {
    // Act
    const error = digestErrorOf(() => decodeDigest(seedBytes, { maxBytes: 1024 }));

    // Assess
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain('over the 1.0 KiB limit');
  });

  it('has a default limit of 5 MiB', () => {
    // Prepare
    const big = new Uint8Array(DEFAULT_MAX_DIGEST_BYTES + 1).fill(0x41);

    // Act
    const error = digestErrorOf(() => decodeDigest(big));

    // Assess
    expect(DEFAULT_MAX_DIGEST_BYTES).toBe(5 * 1024 * 1024);
    expect(error.code).toBe('TOO_LARGE');
  });

  it('accepts input exactly at the limit', () => {
    // Act
    const text = decodeDigest(seedBytes, { maxBytes: seedBytes.length });

    // Assess
    expect(text).toBe(seedText);
  });
});
